package sim

import (
	"cmp"
	"container/heap"
	"math/rand/v2"
	"slices"
	"time"

	"inferplay/sim/workload"
)

// Closed-loop traffic: Workload.Clients users, each of whom sends a request,
// waits for the whole answer (or the rejection), thinks for an exponentially
// distributed time of mean Workload.ThinkTime and sends the next, until the
// workload's Requests have all been sent. The load then follows the
// server's speed, as in a load test with a fixed concurrency or a chat
// service with a fixed number of users, where an open-loop source (Poisson
// and the others) keeps sending however far behind the server falls.
//
// Requests are drawn when they are sent, so their IDs stay in arrival order,
// as the engine's are everywhere.

// clientLoop is the state of the closed loop in a run.
type clientLoop struct {
	pcg    rand.PCG
	rng    *rand.Rand  // draws from pcg
	w      Workload    // shapes and shares to draw requests from
	unsent int         // requests no client has sent yet
	seed   uint64      // for the system prompts, drawn per request
	due    clientSends // the next send of each client that is thinking
	// talks are the clients' conversations (with Workload.Turns above 1),
	// and sessions counts the conversations begun.
	talks    []talk
	sessions int
}

// talk is a client's conversation so far.
type talk struct {
	session, turns int
	history        int // its prompt and answer tokens so far: the next turn's shared prefix
	class          Class
	group, prefix  int // its system prompt
}

// clientSend is a client's next request, due at a time.
type clientSend struct {
	at     time.Duration
	client int32
}

// clientSends is a min-heap by time, then client.
type clientSends []clientSend

func (h clientSends) Len() int { return len(h) }
func (h clientSends) Less(i, j int) bool {
	return cmp.Or(cmp.Compare(h[i].at, h[j].at), cmp.Compare(h[i].client, h[j].client)) < 0
}
func (h clientSends) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *clientSends) Push(x any)   { *h = append(*h, x.(clientSend)) }
func (h *clientSends) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// newClientLoop starts every client at time 0.
func newClientLoop(w Workload, seed uint64) *clientLoop {
	l := &clientLoop{pcg: *rand.NewPCG(seed, seed^0x5851f42d4c957f2d), w: w, unsent: w.Requests - w.Clients, seed: seed}
	l.rng = rand.New(&l.pcg)
	if w.Turns > 1 {
		l.talks = make([]talk, w.Clients)
	}
	l.due = make(clientSends, w.Clients)
	for i := range l.due {
		l.due[i] = clientSend{at: 0, client: int32(i)}
	}
	return l
}

// The loop is the engine's source (source.go).

func (l *clientLoop) clone() source {
	c := *l
	c.rng = rand.New(&c.pcg)
	c.due = slices.Clone(l.due)
	c.talks = slices.Clone(l.talks)
	return &c
}

// next is when the next thinking client sends.
func (l *clientLoop) next() (time.Duration, bool) {
	if len(l.due) == 0 {
		return 0, false
	}
	return l.due[0].at, true
}

// take draws the next request if its client sends it by now; the tag is
// the client.
func (l *clientLoop) take(now time.Duration) (Spec, int32, bool) {
	if len(l.due) == 0 || l.due[0].at > now {
		return Spec{}, 0, false
	}
	n := l.w.Requests - l.left() // requests sent before this one
	s := heap.Pop(&l.due).(clientSend)
	if l.talks != nil {
		if t := &l.talks[s.client]; t.turns > 0 && t.turns < l.w.Turns {
			return l.nextTurn(t, s.at), s.client, true
		}
	}
	class, shape := Interactive, l.w.Interactive
	if l.rng.Float64() >= l.w.InteractiveShare {
		class, shape = Batch, l.w.Batch
	}
	spec := Spec{Arrival: s.at, Class: class, Input: shape.Prompt.Draw(l.rng), Output: shape.Output.Draw(l.rng)}
	l.w.System.Apply(&spec, l.seed, n)
	if l.talks != nil {
		// A new conversation: this is its first turn.
		l.sessions++
		spec.Session = l.sessions
		l.talks[s.client] = talk{session: l.sessions, turns: 1, history: spec.Input + spec.Output,
			class: class, group: spec.PrefixGroup, prefix: spec.PrefixTokens}
	}
	return spec, s.client, true
}

// nextTurn is a conversation's next request: everything said so far, and
// a new message.
func (l *clientLoop) nextTurn(t *talk, at time.Duration) Spec {
	shape := l.w.Interactive
	if t.class == Batch {
		shape = l.w.Batch
	}
	message, answer := shape.Prompt.Draw(l.rng), shape.Output.Draw(l.rng)
	spec := Spec{Arrival: at, Class: t.class, Input: min(t.history+message, workload.MaxTokens), Output: answer,
		PrefixGroup: t.group, PrefixTokens: t.prefix, Session: t.session}
	spec.SessionTokens = min(t.history, spec.Input)
	t.turns++
	t.history = spec.Input + spec.Output
	return spec
}

// answered lets the client of a finished request think, then send again.
func (l *clientLoop) answered(client int32, at time.Duration) {
	if l.unsent == 0 {
		return
	}
	l.unsent--
	think := workload.Exponential(l.rng, l.w.ThinkTime)
	heap.Push(&l.due, clientSend{at: min(at+think, MaxArrival), client: client})
}

// left counts the requests no client has sent yet; their classes are not
// drawn until they are sent.
func (l *clientLoop) left() int        { return l.unsent + len(l.due) }
func (l *clientLoop) leftOf(Class) int { return 0 }
