package sim

import (
	"fmt"
	"sort"
)

// View gives policies read access to requests by ID. The returned request
// must not be modified.
type View interface {
	Request(id int) *Request
}

// Policy decides who prefills next and who is evicted when VRAM is full.
// Policies refer to requests by ID and keep only plain values, so that Clone
// is a cheap copy and an engine snapshot never aliases live state.
type Policy interface {
	// Add puts an arrived request in the policy's queue.
	Add(id int, v View)
	// Next picks the request to prefill this tick, if any. It must not
	// change the queue: the engine may ask again.
	Next(v View) (id int, ok bool)
	// Remove takes a request out of the queue (its prompt is done).
	Remove(id int)
	// Victim chooses whom to evict among candidates (never empty, sorted by
	// ID, which is arrival order).
	Victim(candidates []int, v View) int
	// Reset empties the policy.
	Reset()
	// Clone returns an independent copy.
	Clone() Policy
}

// ChunkObserver is implemented by policies that want to hear about every
// prefill chunk that ran (MLFQ counts its quantum with it).
type ChunkObserver interface {
	OnChunk(id int, v View)
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

// largestKV returns the candidate holding the most KV; on a tie the later
// arrival (it has the least sunk work and, under FCFS, the weakest claim).
func largestKV(candidates []int, v View) int {
	best := candidates[0]
	for _, id := range candidates[1:] {
		if v.Request(id).KVTokens >= v.Request(best).KVTokens {
			best = id
		}
	}
	return best
}

// minBy returns the queued ID with the smallest key; on a tie the earliest
// arrival (smallest ID).
func minBy(q []int, v View, key func(*Request) int) (int, bool) {
	if len(q) == 0 {
		return 0, false
	}
	best, bestKey := q[0], key(v.Request(q[0]))
	for _, id := range q[1:] {
		k := key(v.Request(id))
		if k < bestKey || (k == bestKey && id < best) {
			best, bestKey = id, k
		}
	}
	return best, true
}
