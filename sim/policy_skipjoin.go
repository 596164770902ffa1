package sim

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"time"
)

func init() {
	RegisterPolicy("skipjoin-mlfq",
		"FastServe's skip-join multi-level feedback queue: a prompt joins the highest level whose time quantum (one iteration × 2^level) covers its estimated prefill, drops a level each time it uses up its quantum, and returns to the top after waiting 3 s.",
		func() Policy { return newSkipJoin() })
}

// Skip-join MLFQ (FastServe, Wu et al. 2023; LLMServe/FastServe
// scheduler.py). Level k has the time quantum q0 × 2^k, where q0 is the
// estimate for a 1-token prompt: about one iteration, as FastServe sets its
// top quantum. The last level has no limit.
const (
	SkipJoinLevels = 12
	// SkipJoinStarve is FastServe's starvation threshold: a queued request
	// that has not run for this long goes back to the top level.
	SkipJoinStarve = 3 * time.Second
)

type skipJoinEntry struct {
	level   int
	used    time.Duration // time served at the current level
	lastRan time.Duration // end of its last iteration, or when it joined
	seq     int           // FIFO order within a level
	queued  bool          // in the queue (its prompt is not done)
}

type skipJoin struct {
	q       idQueue // queued IDs; Order sorts them by (level, seq)
	entries map[int]skipJoinEntry
	tail    int // next seq at the tail of a level; counts up from 0
	head    int // last seq given at the head of a level; counts down from 0
}

func newSkipJoin() *skipJoin { return &skipJoin{entries: map[int]skipJoinEntry{}} }

// skipJoinQuantum is q0 × 2^k, saturating; the last level has no limit.
func skipJoinQuantum(q0 time.Duration, k int) time.Duration {
	if k >= SkipJoinLevels-1 || q0 > math.MaxInt64>>k {
		return math.MaxInt64
	}
	return q0 << k
}

// quantumBase is q0. A timing model that priced a token at nothing would
// make every quantum zero and demote at every step; 1 ns keeps the levels
// meaningful.
func quantumBase(v View) time.Duration { return max(v.PrefillEstimate(1), 1) }

// joinLevel is the skip-join rule: the highest-priority level whose quantum
// covers the estimated prefill time, so a long prompt skips the levels it
// would only be demoted from, and does not delay short ones there.
func joinLevel(estimate time.Duration, v View) int {
	q0 := quantumBase(v)
	for k := range SkipJoinLevels - 1 {
		if skipJoinQuantum(q0, k) >= estimate {
			return k
		}
	}
	return SkipJoinLevels - 1
}

// Add puts a new prompt at the tail of its skip-join level.
func (p *skipJoin) Add(id int, v View) {
	p.join(id, joinLevel(v.PrefillEstimate(v.Request(id).Input), v), p.tail, v)
	p.tail++
}

// Requeue puts a preempted request at the head of the level its remaining
// prompt joins, as FastServe pushes preempted requests to the front: it has
// waited longest.
func (p *skipJoin) Requeue(id int, v View) {
	p.head--
	p.join(id, joinLevel(v.PrefillEstimate(v.Request(id).Remaining()), v), p.head, v)
}

func (p *skipJoin) join(id, level, seq int, v View) {
	if e, ok := p.entries[id]; !ok || !e.queued {
		p.q = append(p.q, id)
	}
	p.entries[id] = skipJoinEntry{level: level, lastRan: v.Now(), seq: seq, queued: true}
}

// effectiveLevel is the level a request competes at: a queued request that
// has not run for SkipJoinStarve counts as level 0. FastServe checks every
// 1000 iterations; we check whenever the queue is ordered, and the
// promotion is committed when the request next runs (Order must not change
// state).
func effectiveLevel(e skipJoinEntry, now time.Duration) int {
	if starving(e, now) {
		return 0
	}
	return e.level
}

func starving(e skipJoinEntry, now time.Duration) bool {
	return e.queued && now-e.lastRan >= SkipJoinStarve
}

// Order serves the highest effective level first, FIFO within a level.
// Sorting in place in dst keeps it free of allocations once dst has grown.
func (p *skipJoin) Order(dst []int, v View) []int {
	now := v.Now()
	start := len(dst)
	dst = append(dst, p.q...)
	slices.SortFunc(dst[start:], func(a, b int) int {
		ea, eb := p.entries[a], p.entries[b]
		return cmp.Or(cmp.Compare(effectiveLevel(ea, now), effectiveLevel(eb, now)), cmp.Compare(ea.seq, eb.seq))
	})
	return dst
}

// Ran charges every iteration a request takes part in, prompt chunks and
// decode steps alike (FastServe's quanta are time), to its level's quantum;
// a request that used it up moves to the tail of the next level.
func (p *skipJoin) Ran(id, _ int, d time.Duration, v View) {
	e, ok := p.entries[id]
	if !ok {
		return
	}
	now := v.Now()
	if starving(e, now) {
		// Commit the promotion Order granted. It keeps its seq: that is the
		// place it was given in level 0.
		e.level, e.used = 0, 0
	}
	e.used += d
	if e.level < SkipJoinLevels-1 && e.used >= skipJoinQuantum(quantumBase(v), e.level) {
		e.level++
		e.used = 0
		e.seq = p.tail
		p.tail++
	}
	e.lastRan = now + d
	p.entries[id] = e
}

// Remove takes a request whose prompt is done out of the queue. Its entry
// stays: it decodes on, its level keeps counting, and Victim uses it.
func (p *skipJoin) Remove(id int) {
	p.q.remove(id)
	if e, ok := p.entries[id]; ok {
		e.queued = false
		p.entries[id] = e
	}
}

func (p *skipJoin) Finished(id int) { delete(p.entries, id) }

// Level reports a request's level (0 is the top).
func (p *skipJoin) Level(id int) int { return p.entries[id].level }

// Victim preempts the lowest-priority work, as FastServe swaps out from the
// lowest level up: the highest effective level, then the largest KV cache,
// then the later arrival.
func (p *skipJoin) Victim(candidates []int, v View) int {
	now := v.Now()
	best := candidates[0]
	for _, id := range candidates[1:] {
		c := cmp.Or(
			cmp.Compare(effectiveLevel(p.entries[id], now), effectiveLevel(p.entries[best], now)),
			cmp.Compare(v.Request(id).KVTokens, v.Request(best).KVTokens),
			cmp.Compare(id, best))
		if c > 0 {
			best = id
		}
	}
	return best
}

func (p *skipJoin) Clone() Policy {
	c := *p
	c.q = append(idQueue(nil), p.q...)
	c.entries = maps.Clone(p.entries)
	return &c
}
