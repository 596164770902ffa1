package sim

import (
	"maps"
	"time"
)

func init() {
	RegisterPolicy("mlfq",
		"Multi-level feedback queue: new prompts start at the top level; a prompt that uses its quantum (4, then 8 chunks) drops a level, so short prompts overtake long ones.",
		func() Policy { return newMLFQ() })
}

// mlfqQuanta are the prefill chunks a request may run at each level before
// it is demoted; the last level has no limit.
var mlfqQuanta = [...]int{4, 8, 0}

// Decode thresholds for eviction: requests that have produced many tokens
// are long-running batch work and are evicted first.
const (
	mlfqEvictLevel1 = 50  // tokens decoded above which a request is level 1
	mlfqEvictLevel2 = 200 // ... level 2
)

type mlfqEntry struct {
	level int
	used  int // chunks run at the current level
}

type mlfq struct {
	levels  [len(mlfqQuanta)]idQueue
	entries map[int]mlfqEntry
}

func newMLFQ() *mlfq { return &mlfq{entries: map[int]mlfqEntry{}} }

func (p *mlfq) Add(id int, _ View) {
	p.levels[0] = append(p.levels[0], id)
	p.entries[id] = mlfqEntry{}
}

// Requeue puts a preempted request at the head of the top level.
func (p *mlfq) Requeue(id int, _ View) {
	p.levels[0].pushFront(id)
	p.entries[id] = mlfqEntry{}
}

// Order serves the highest non-empty level first, first in first out within
// each level.
func (p *mlfq) Order(dst []int, _ View) []int {
	for _, q := range p.levels {
		dst = append(dst, q...)
	}
	return dst
}

// Ran counts prompt chunks against the quantum; a request that used it moves
// to the tail of the next level with its count restarted.
func (p *mlfq) Ran(id, promptTokens int, _ time.Duration, _ View) {
	e, ok := p.entries[id]
	if !ok || promptTokens == 0 {
		return
	}
	e.used++
	if q := mlfqQuanta[e.level]; q > 0 && e.used >= q {
		p.levels[e.level].remove(id)
		e = mlfqEntry{level: e.level + 1}
		p.levels[e.level] = append(p.levels[e.level], id)
	}
	p.entries[id] = e
}

// Level reports the queue level of a waiting request (0 is the top).
func (p *mlfq) Level(id int) int { return p.entries[id].level }

func (p *mlfq) Remove(id int) {
	if e, ok := p.entries[id]; ok {
		p.levels[e.level].remove(id)
		delete(p.entries, id)
	}
}

// Victim takes the highest decode level present (above 200 tokens decoded is
// level 2, above 50 is level 1), then the largest KV cache within it; on a
// tie the earlier arrival, as the original simulator did.
func (p *mlfq) Victim(candidates []int, v View) int {
	best, bestLevel := -1, -1
	for _, id := range candidates {
		r := v.Request(id)
		level := 0
		switch {
		case r.Decoded > mlfqEvictLevel2:
			level = 2
		case r.Decoded > mlfqEvictLevel1:
			level = 1
		}
		if level > bestLevel || (level == bestLevel && r.KVTokens > v.Request(best).KVTokens) {
			best, bestLevel = id, level
		}
	}
	return best
}

func (p *mlfq) Finished(int) {}

func (p *mlfq) Clone() Policy {
	c := &mlfq{entries: maps.Clone(p.entries)}
	for i, q := range p.levels {
		c.levels[i] = append(idQueue(nil), q...)
	}
	return c
}
