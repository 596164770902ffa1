package lesson

import (
	"time"

	"inferplay/sim"
)

// The playground's beats open at moments found in the run itself, so that
// the picture shows what the caption says: these functions run the beat's
// configuration headless, from the start, and return the tick to open at.

// maxSearchTicks bounds a search: a run that has not shown the moment by
// then does not show it.
const maxSearchTicks = 50_000

// Blocking is a moment of head-of-line blocking: a long prompt prefilling
// while chats that arrived after it wait.
type Blocking struct {
	Tick    int           // the tick to open at
	At      time.Duration // the simulated time then
	Long    int           // the long prompt's request
	Chats   []int         // the chats waiting behind it, longest-waiting first
	Longest time.Duration // how long the first of them has waited
}

// longPrompt is the least prompt that counts as long enough to block.
const longPrompt = 4096

// FindBlocking finds the tick at which the most chats wait while a long
// prompt prefills (ties: the longest wait). ok is false when the run never
// shows it.
func FindBlocking(c sim.Config) (b Blocking, ok bool) {
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return b, false
	}
	var best Blocking
	for !e.Done() && e.Tick() < maxSearchTicks {
		e.Step()
		long := -1
		for _, id := range e.Prefilling().All() {
			if r := e.Request(id); r.Input >= longPrompt && (long < 0 || r.Input > e.Request(long).Input) {
				long = id
			}
		}
		if long < 0 {
			continue
		}
		n, longest, first := 0, time.Duration(0), -1
		for id := e.Arrived() - 1; id >= 0; id-- {
			r := e.Request(id)
			if r.State != sim.Waiting || r.Class != sim.Interactive {
				continue
			}
			n++
			if w := e.Now() - r.JoinedAt; w >= longest {
				longest, first = w, id
			}
		}
		if first >= 0 && (n > len(best.Chats) || n == len(best.Chats) && longest > best.Longest) {
			best = Blocking{Tick: e.Tick(), At: e.Now(), Long: long, Longest: longest, Chats: waitingChats(e, first)}
			ok = true
		}
	}
	return best, ok
}

// waitingChats lists the waiting chats, first the longest-waiting one.
func waitingChats(e *sim.Engine, first int) []int {
	out := []int{first}
	for id := range e.Arrived() {
		if r := e.Request(id); id != first && r.State == sim.Waiting && r.Class == sim.Interactive {
			out = append(out, id)
		}
	}
	return out
}

// Swap is the first copy of a request's KV to CPU memory.
type Swap struct {
	Tick   int   // the tick the copy starts in
	Victim int   // whose KV moves
	Bytes  int64 // how much
}

// FindFirstSwap finds the first swap of the run; ok is false when VRAM
// never runs out.
func FindFirstSwap(c sim.Config) (s Swap, ok bool) {
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return s, false
	}
	for !e.Done() && e.Tick() < maxSearchTicks {
		for _, ev := range e.Step() {
			if ev.Kind == sim.EvSwapOut {
				return Swap{Tick: e.Tick(), Victim: ev.Req, Bytes: ev.Bytes}, true
			}
		}
	}
	return s, false
}
