package sim

import (
	"cmp"
	"slices"
	"time"
)

func init() {
	RegisterPolicy("priority",
		"Class priority: interactive prompts go before batch ones, first come first served within each; a batch prompt that has waited 5 s since it joined ranks with the interactive ones by its join time, so it cannot starve.",
		func() Policy { return &priority{} })
}

// PriorityAging is how long a batch request waits in the queue before it
// ranks with interactive ones.
const PriorityAging = 5 * time.Second

// priority serves interactive prompts before batch ones, with aging: once a
// batch request has waited PriorityAging it competes by its join time, so it
// goes ahead of every interactive request that joined after it. A batch
// request therefore starts within PriorityAging plus the work queued ahead
// of it when it aged, however much interactive traffic keeps arriving.
type priority struct{ q idQueue }

func (p *priority) Add(id int, _ View) { p.q = append(p.q, id) }

// Requeue needs no special place: the request keeps its JoinedAt, so its key
// (and its aging) are what they were before it ran.
func (p *priority) Requeue(id int, _ View) { p.q = append(p.q, id) }

// priorityRank is 0 for interactive requests and aged batch ones, 1 for
// batch requests still younger than PriorityAging.
func priorityRank(r *Request, now time.Duration) int {
	if r.Class != Interactive && now-r.JoinedAt < PriorityAging {
		return 1
	}
	return 0
}

// Order sorts by rank, then join time, then ID. Sorting in place in dst keeps
// it free of allocations once dst has grown.
func (p *priority) Order(dst []int, v View) []int {
	now := v.Now()
	start := len(dst)
	dst = append(dst, p.q...)
	slices.SortFunc(dst[start:], func(a, b int) int {
		ra, rb := v.Request(a), v.Request(b)
		return cmp.Or(
			cmp.Compare(priorityRank(ra, now), priorityRank(rb, now)),
			cmp.Compare(ra.JoinedAt, rb.JoinedAt),
			cmp.Compare(a, b))
	})
	return dst
}

func (p *priority) Remove(id int) { p.q.remove(id) }

// Victim protects interactive work: a batch request goes first, then the
// largest KV cache (it frees the most), then the later arrival (the least
// sunk work).
func (p *priority) Victim(candidates []int, v View) int {
	best := candidates[0]
	for _, id := range candidates[1:] {
		r, b := v.Request(id), v.Request(best)
		if cmp.Or(cmp.Compare(r.Class, b.Class), cmp.Compare(r.KVTokens, b.KVTokens), cmp.Compare(id, best)) > 0 {
			best = id
		}
	}
	return best
}

func (p *priority) Clone() Policy { return &priority{q: append(idQueue(nil), p.q...)} }
