package sim

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"
)

// View gives policies read access to the run. The returned request must not
// be modified.
type View interface {
	Request(id int) *Request
	// Now is the simulated time at the start of the iteration being planned.
	Now() time.Duration
	// PrefillEstimate is how long a prompt of this many tokens would take to
	// prefill on its own under the run's timing model.
	PrefillEstimate(tokens int) time.Duration
	// PreemptionMode is PreemptSwap or PreemptRecompute: what a victim
	// loses, which changes who the best victim is.
	PreemptionMode() string
}

// Policy orders the waiting queue and chooses whom to preempt when VRAM is
// full; the engine fills each iteration's batch in the policy's order.
// Policies refer to requests by ID and keep only plain values, so that Clone
// is a cheap copy and an engine snapshot never aliases live state.
type Policy interface {
	// Add puts an arrived request in the queue.
	Add(id int, v View)
	// Requeue puts back a preempted request whose KV cache was dropped: it
	// must prefill again. Queue-order policies put it at the front, as
	// vLLM does, since it has waited longest.
	Requeue(id int, v View)
	// Order appends the queued requests to dst, most urgent first. It must
	// not change the queue: the engine may ask again.
	Order(dst []int, v View) []int
	// Remove takes a request out of the queue (its prompt is done).
	Remove(id int)
	// Victim chooses whom to preempt among candidates (never empty, sorted
	// by ID, which is arrival order).
	Victim(candidates []int, v View) int
	// Clone returns an independent copy.
	Clone() Policy
}

// Header is implemented by policies that can give the front of their order
// without building the rest: the engine asks for as much of the queue as an
// iteration can use, so that an iteration costs the same with ten requests
// queued or a million. Policies without it have their whole Order read.
type Header interface {
	// Head appends the first n requests of Order to dst (all of them when
	// there are fewer, or when n < 0).
	Head(dst []int, n int, v View) []int
}

// PromptTracker is implemented by policies whose order depends on how much
// of a queued prompt is left: the engine reports every change, a chunk run
// or a partial cache dropped, so the policy can keep its queue sorted
// instead of sorting it at every iteration.
type PromptTracker interface {
	PromptChanged(id int, v View)
}

// Observer is implemented by policies that learn from what ran.
type Observer interface {
	// Ran reports that a request took part in the iteration that just
	// ended: promptTokens of its prompt (0 for a decode step) in an
	// iteration that took d.
	Ran(id int, promptTokens int, d time.Duration, v View)
	// Finished reports that a request completed, so its state can go.
	Finished(id int)
}

// Preemptor is implemented by policies that let a waiting prompt take VRAM
// from running requests it outranks, as vLLM's priority scheduling and
// FastServe do. Without it, running requests keep their VRAM and a waiting
// prompt waits for room (first come, first served at the memory).
type Preemptor interface {
	// Outranks reports whether the waiting request may preempt the running
	// (or swapped) one.
	Outranks(waiting, running int, v View) bool
}

// Overtaker is implemented by policies whose point is that short prompts
// overtake long ones (MLFQ): a new prompt VRAM cannot hold whole yet does
// not hold back the prompts after it in the policy's order, which start if
// they fit. Without it, later prompts wait behind it, so that it cannot
// starve (first come, first served at the memory).
type Overtaker interface {
	Overtakes() bool
}

// Leveled is implemented by policies with priority levels, so the engine can
// report demotions and the UI can show levels.
type Leveled interface {
	Level(id int) int
}

// PolicyInfo describes a registered policy.
type PolicyInfo struct {
	Name        string
	Description string
	New         func() Policy
}

var policies = map[string]PolicyInfo{}

// RegisterPolicy makes a policy available by name. Registering the same name
// twice is a programming error and panics at start-up.
func RegisterPolicy(name, description string, newPolicy func() Policy) {
	if _, dup := policies[name]; dup {
		panic(fmt.Sprintf("sim: policy %q registered twice", name))
	}
	policies[name] = PolicyInfo{Name: name, Description: description, New: newPolicy}
}

// Policies lists the registered policies sorted by name.
func Policies() []PolicyInfo {
	out := make([]PolicyInfo, 0, len(policies))
	for _, p := range policies {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupPolicy finds a registered policy by name.
func LookupPolicy(name string) (PolicyInfo, error) {
	if p, ok := policies[name]; ok {
		return p, nil
	}
	names := make([]string, 0, len(policies))
	for _, p := range Policies() {
		names = append(names, p.Name)
	}
	return PolicyInfo{}, unknown("scheduler", name, names)
}

// idQueue is a FIFO of request IDs.
type idQueue []int

func (q *idQueue) remove(id int) bool {
	for i, x := range *q {
		if x == id {
			*q = append((*q)[:i], (*q)[i+1:]...)
			return true
		}
	}
	return false
}

// pushFront puts id at the head of the queue.
func (q *idQueue) pushFront(id int) {
	*q = append(*q, 0)
	copy((*q)[1:], *q)
	(*q)[0] = id
}

// cheapestVictim is the default victim rule. When victims are swapped, the
// largest KV cache: one copy frees the most VRAM (the original simulator's
// rule). When they are recomputed, the latest arrival (vLLM's rule): it
// has the weakest claim and usually the least work to redo, whereas the
// largest cache is the most expensive to recompute and, put back at the
// head of the queue, would refill VRAM and be chosen again.
func cheapestVictim(candidates []int, v View) int {
	recompute := v.PreemptionMode() == PreemptRecompute
	best := candidates[0]
	for _, id := range candidates[1:] {
		if cheaperVictim(v.Request(id), v.Request(best), recompute) {
			best = id
		}
	}
	return best
}

// cheaperVictim applies the default rule to a later candidate r against
// the best so far: when recomputing the later arrival always wins; when
// swapping the larger KV, or the later arrival on a tie.
func cheaperVictim(r, best *Request, recompute bool) bool {
	return recompute || r.KVTokens >= best.KVTokens
}

// sortedBy appends q to dst ordered by key, ties by earlier arrival
// (smaller ID). Sorting in place in dst keeps the call free of allocations
// once dst has grown.
func sortedBy(dst, q []int, v View, key func(*Request) int) []int {
	start := len(dst)
	dst = append(dst, q...)
	slices.SortFunc(dst[start:], func(a, b int) int {
		return cmp.Or(cmp.Compare(key(v.Request(a)), key(v.Request(b))), cmp.Compare(a, b))
	})
	return dst
}

// policyView is the engine as its policy sees it. Policies live in this
// package and read requests in place, on the hot path, without copying.
type policyView Engine

func (v *policyView) Request(id int) *Request { return &v.reqs[id] }
func (v *policyView) Now() time.Duration      { return v.now }
func (v *policyView) PrefillEstimate(tokens int) time.Duration {
	return (*Engine)(v).PrefillEstimate(tokens)
}
func (v *policyView) PreemptionMode() string { return v.cfg.Preemption }

// view is the engine as a View for its policy.
func (e *Engine) view() View { return (*policyView)(e) }
