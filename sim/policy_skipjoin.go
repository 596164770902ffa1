package sim

import (
	"cmp"
	"math"
	"time"
)

func init() {
	RegisterPolicy("skipjoin-mlfq",
		"FastServe's skip-join multi-level feedback queue: a prompt joins the highest level whose time quantum (one iteration × 2^level) covers its estimated prefill, drops a level each time it uses up its quantum, and after waiting 3 s goes to the top until its prompt is done.",
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
	boosted bool          // promoted for starvation: first until its prompt is done
}

type skipJoin struct {
	entries byID[skipJoinEntry]
	// The queued requests, indexed so that the head of the order is read
	// without sorting the queue: each is in exactly one of boosted,
	// starving or levels (all keyed by seq), and those in levels are in
	// fresh too, keyed by lastRan, which tells when they start to starve.
	// Time only moves forward, so a request moves from levels to starving
	// once per wait.
	boosted  rankedQueue
	starving rankedQueue
	levels   [SkipJoinLevels]rankedQueue
	fresh    rankedQueue
	scratch  [3][]int // reused buffers for reading the indexes; never shared by clones
	tail     int      // next seq at the tail of a level; counts up from 0
	head     int      // last seq given at the head of a level; counts down from 0
	// q0 is skipJoinBase, kept from the last join: the timing model is
	// fixed for a run, and Ran, called for every request in every
	// iteration, need not price a token each time.
	q0 time.Duration
}

func newSkipJoin() *skipJoin { return &skipJoin{} }

// skipJoinQuantum is q0 × 2^k, saturating; the last level has no limit.
func skipJoinQuantum(q0 time.Duration, k int) time.Duration {
	if k >= SkipJoinLevels-1 || q0 > math.MaxInt64>>k {
		return math.MaxInt64
	}
	return q0 << k
}

// skipJoinBase is q0. A timing model that priced a token at nothing would
// make every quantum zero and demote at every step; 1 ns keeps the levels
// meaningful.
func skipJoinBase(v View) time.Duration { return max(v.PrefillEstimate(1), 1) }

// skipJoinLevel is the skip-join rule: the highest-priority level whose
// quantum covers the estimated prefill time, so a long prompt skips the
// levels it would only be demoted from, and does not delay short ones there.
func skipJoinLevel(estimate, q0 time.Duration) int {
	for k := range SkipJoinLevels - 1 {
		if skipJoinQuantum(q0, k) >= estimate {
			return k
		}
	}
	return SkipJoinLevels - 1
}

// Add puts a new prompt at the tail of its skip-join level.
func (p *skipJoin) Add(id int, v View) {
	p.join(id, v.Request(id).Input, p.tail, v)
	p.tail++
}

// Requeue puts a preempted request at the head of the level its remaining
// prompt joins, as FastServe pushes preempted requests to the front: it has
// waited longest.
func (p *skipJoin) Requeue(id int, v View) {
	p.head--
	p.join(id, v.Request(id).Remaining(), p.head, v)
}

// join queues a request with a prompt of this many tokens at its skip-join
// level.
func (p *skipJoin) join(id, tokens, seq int, v View) {
	p.q0 = skipJoinBase(v)
	level := skipJoinLevel(v.PrefillEstimate(tokens), p.q0)
	p.unindex(id)
	p.entries.set(id, skipJoinEntry{level: level, lastRan: v.Now(), seq: seq, queued: true})
	p.index(id)
}

// index files a queued request under its state; unindex takes it out.
func (p *skipJoin) index(id int) {
	e := p.entries.at(id)
	switch {
	case !e.queued:
	case e.boosted:
		p.boosted.put(id, int64(e.seq))
	default:
		p.levels[e.level].put(id, int64(e.seq))
		p.fresh.put(id, int64(e.lastRan))
	}
}

func (p *skipJoin) unindex(id int) {
	e, ok := p.entries.get(id)
	if !ok || !e.queued {
		return
	}
	p.boosted.remove(id)
	p.starving.remove(id)
	p.levels[e.level].remove(id)
	p.fresh.remove(id)
}

// catchUp moves the requests that have waited SkipJoinStarve by now from
// their levels to the starving, who compete at level 0.
func (p *skipJoin) catchUp(now time.Duration) {
	due := p.scratch[0][:0]
	defer func() { p.scratch[0] = due }()
	p.fresh.tree.Ascend(func(it rankedItem) bool {
		if now-time.Duration(it.key) < SkipJoinStarve {
			return false
		}
		due = append(due, it.id)
		return true
	})
	for _, id := range due {
		e := p.entries.at(id)
		p.fresh.remove(id)
		p.levels[e.level].remove(id)
		p.starving.put(id, int64(e.seq))
	}
}

// skipJoinEffective is the level a request competes at: a queued request
// that has not run for SkipJoinStarve counts as level 0. FastServe checks
// every 1000 iterations; we check whenever the queue is ordered, and the
// promotion is committed when the request next runs (Order must not change
// state).
func skipJoinEffective(e skipJoinEntry, now time.Duration) int {
	if skipJoinStarving(e, now) {
		return 0
	}
	return e.level
}

func skipJoinStarving(e skipJoinEntry, now time.Duration) bool {
	return e.queued && !e.boosted && now-e.lastRan >= SkipJoinStarve
}

// Order serves boosted prompts first, then the highest effective level,
// first in first out within a level.
func (p *skipJoin) Order(dst []int, v View) []int { return p.Head(dst, -1, v) }

// Head reads the order from the indexes: boosted, then level 0 merged with
// the starving by seq, then the other levels. Bringing the indexes up to
// date with the clock changes no request's place in the order.
func (p *skipJoin) Head(dst []int, n int, v View) []int {
	if p.fresh.tree != nil {
		p.catchUp(v.Now())
	}
	start := len(dst)
	left := func() int {
		if n < 0 {
			return -1
		}
		return n - (len(dst) - start)
	}
	dst = p.boosted.head(dst, left())
	if k := left(); k != 0 {
		dst = p.mergeHeads(dst, &p.levels[0], &p.starving, k)
	}
	for i := 1; i < SkipJoinLevels; i++ {
		if k := left(); k != 0 {
			dst = p.levels[i].head(dst, k)
		}
	}
	return dst
}

// mergeHeads appends the first n (all for n < 0) of two queues' IDs in
// order of their keys.
func (p *skipJoin) mergeHeads(dst []int, a, b *rankedQueue, n int) []int {
	p.scratch[1], p.scratch[2] = a.head(p.scratch[1][:0], n), b.head(p.scratch[2][:0], n)
	as, bs := p.scratch[1], p.scratch[2]
	for (len(as) > 0 || len(bs) > 0) && n != 0 {
		if len(bs) == 0 || (len(as) > 0 && a.keys[as[0]] < b.keys[bs[0]]) {
			dst, as = append(dst, as[0]), as[1:]
		} else {
			dst, bs = append(dst, bs[0]), bs[1:]
		}
		n--
	}
	return dst
}

// Ran charges every iteration a request takes part in, prompt chunks and
// decode steps alike (FastServe's quanta are time), to its level's quantum;
// a request that used it up moves to the tail of the next level.
//
// A starving request that runs is committed to level 0 and boosted: it stays
// first until its prompt is done, though its level keeps counting. In
// FastServe a prompt runs as one iteration, so a promotion buys a whole
// prefill; here prompts run in chunks, and without the boost the starving
// requests would take turns a few chunks at a time. When their partial KV
// overflows VRAM the engine drops it and the work is lost, round after
// round: a livelock (seen on small GPUs with many long prompts). With the
// boost each promotion finishes a prompt, so the run always progresses.
func (p *skipJoin) Ran(id, _ int, d time.Duration, v View) {
	e, ok := p.entries.get(id)
	if !ok {
		return
	}
	now := v.Now()
	if skipJoinStarving(e, now) {
		e.level, e.used, e.boosted = 0, 0, true
		e.seq = p.tail // boosted requests go in the order they were promoted
		p.tail++
	}
	e.used += d
	if e.level < SkipJoinLevels-1 && e.used >= skipJoinQuantum(p.q0, e.level) {
		e.level++
		e.used = 0
		if !e.boosted { // a boosted request keeps its place among the boosted
			e.seq = p.tail
			p.tail++
		}
	}
	e.lastRan = now + d
	p.unindex(id)
	p.entries.set(id, e)
	p.index(id)
}

// Remove takes a request whose prompt is done out of the queue. Its entry
// stays: it decodes on, its level keeps counting, and Victim uses it.
func (p *skipJoin) Remove(id int) {
	p.unindex(id)
	if e, ok := p.entries.get(id); ok {
		e.queued, e.boosted = false, false
		p.entries.set(id, e)
	}
}

func (p *skipJoin) Finished(id int) { p.entries.del(id) }

// Level reports a request's level (0 is the top).
func (p *skipJoin) Level(id int) int { return p.entries.at(id).level }

// Victim preempts the lowest-priority work, as FastServe swaps out from the
// lowest level up: the highest effective level, then the largest KV cache,
// then the later arrival.
func (p *skipJoin) Victim(candidates []int, v View) int {
	now := v.Now()
	best := candidates[0]
	for _, id := range candidates[1:] {
		c := cmp.Or(
			cmp.Compare(skipJoinEffective(p.entries.at(id), now), skipJoinEffective(p.entries.at(best), now)),
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
	c.entries = p.entries.clone()
	c.scratch = [3][]int{}
	c.boosted, c.starving, c.fresh = p.boosted.clone(), p.starving.clone(), p.fresh.clone()
	for i := range p.levels {
		c.levels[i] = p.levels[i].clone()
	}
	return &c
}
