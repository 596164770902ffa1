package sim

import "time"

func init() {
	RegisterPolicy("priority",
		"Class priority with aging: a batch prompt queues as if it had arrived 10 s later than it did, so interactive prompts go first, yet no batch prompt waits more than 10 s longer than an interactive one that arrived with it; an interactive prompt may preempt batch work for VRAM.",
		func() Policy { return &priority{} })
}

// PriorityAging is the head start interactive requests get over batch ones.
const PriorityAging = 10 * time.Second

// priority orders the queue by a virtual arrival time: the join time, plus
// PriorityAging for batch requests. Interactive requests go ahead of every
// batch request that joined less than PriorityAging before them; a batch
// request goes ahead of every interactive one that joined more than
// PriorityAging after it. However much interactive traffic keeps arriving,
// a batch request waits at most PriorityAging longer than an interactive
// request that joined at the same time: it cannot starve. Aging that grows
// smoothly with the wait, rather than a jump to the front at a threshold,
// keeps an overloaded server from turning into first come, first served.
type priority struct{ q rankedQueue }

func (p *priority) Add(id int, v View) { p.q.put(id, int64(virtualArrival(v.Request(id)))) }

// Requeue needs no special place: the request keeps its JoinedAt, so its key
// is what it was before it ran.
func (p *priority) Requeue(id int, v View) { p.Add(id, v) }

// virtualArrival is the time a request queues by.
func virtualArrival(r *Request) time.Duration {
	if r.Class == Batch {
		return r.JoinedAt + PriorityAging
	}
	return r.JoinedAt
}

// Order is by virtual arrival, then ID.
func (p *priority) Order(dst []int, _ View) []int       { return p.q.head(dst, -1) }
func (p *priority) Head(dst []int, n int, _ View) []int { return p.q.head(dst, n) }

func (p *priority) Remove(id int) { p.q.remove(id) }

// Victim protects interactive work: batch requests go first, and among
// them (or among interactive ones, if none is batch) the default rule,
// cheapestVictim: the largest KV when swapping, the latest arrival when
// recomputing.
func (p *priority) Victim(candidates []int, v View) int {
	recompute := v.PreemptionMode() == PreemptRecompute
	best := -1
	for _, id := range candidates {
		if best < 0 {
			best = id
			continue
		}
		r, b := v.Request(id), v.Request(best)
		if r.Class != b.Class {
			if r.Class == Batch {
				best = id
			}
			continue
		}
		if cheaperVictim(r, b, recompute) {
			best = id
		}
	}
	return best
}

// Outranks lets an interactive prompt preempt batch work for VRAM, as vLLM's
// priority scheduling preempts lower-priority running requests.
func (p *priority) Outranks(waiting, running int, v View) bool {
	return v.Request(waiting).Class == Interactive && v.Request(running).Class == Batch
}

func (p *priority) Clone() Policy { return &priority{q: p.q.clone()} }
