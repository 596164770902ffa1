package sim

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	RegisterPolicy("mlfq",
		"Multi-level feedback queue: the highest level with a waiting prompt runs first. "+MLFQQuantaText()+
			" So short prompts overtake long ones.",
		func() Policy { return newMLFQ() })
}

// mlfqQuanta are the prompt tokens a request is served at each level before
// it drops to the next; the last level has no limit. They count tokens, not
// chunks, so that a quantum means the same work whatever size of chunk the
// timing model runs. The classic model's 512-token chunks fill them exactly
// (4 chunks, then 8), which is the original simulator's schedule.
var mlfqQuanta = [...]int{4 * ClassicChunk, 8 * ClassicChunk, 0}

// MLFQQuanta are the prompt tokens a request may be served at each MLFQ
// level before it drops a level, top level first; 0 is no limit.
func MLFQQuanta() []int { return mlfqQuanta[:] }

// MLFQQuantaText says the quanta in a sentence a lecturer can read out:
// "A new prompt is served its first 2,048 tokens at the top level, the
// next 4,096 one level down, and the rest at the bottom level."
func MLFQQuantaText() string {
	var b strings.Builder
	b.WriteString("A new prompt is served")
	for i, q := range mlfqQuanta {
		switch {
		case q == 0:
			b.WriteString(", and the rest at the bottom level.")
		case i == 0:
			fmt.Fprintf(&b, " its first %s tokens at the top level", groupDigits(q))
		case i == 1:
			fmt.Fprintf(&b, ", the next %s one level down", groupDigits(q))
		default:
			fmt.Fprintf(&b, ", the next %s %d levels down", groupDigits(q), i)
		}
	}
	return b.String()
}

// groupDigits writes a positive n with thousands separators: 4096 is
// "4,096".
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Decode thresholds for eviction: requests that have produced many tokens
// are long-running batch work and are evicted first.
const (
	mlfqEvictLevel1 = 50  // tokens decoded above which a request is level 1
	mlfqEvictLevel2 = 200 // ... level 2
)

type mlfqEntry struct {
	level  int
	served int // prompt tokens served at the current level
}

type mlfq struct {
	levels  [len(mlfqQuanta)]rankedQueue // each first in, first out
	entries byID[mlfqEntry]
}

func newMLFQ() *mlfq { return &mlfq{} }

func (p *mlfq) Add(id int, _ View) {
	p.levels[0].pushBack(id)
	p.entries.set(id, mlfqEntry{})
}

// Requeue puts a request whose KV was dropped at the head of the level its
// whole prompt, already served once, had reached: the levels mark work
// served, so a long batch prompt dropped mid-decode comes back below the
// chats, not above them (where it would hold every new prompt behind its
// own, which VRAM may not have room for).
func (p *mlfq) Requeue(id int, v View) {
	e := mlfqEntry{served: v.Request(id).Input}
	for q := mlfqQuanta[e.level]; q > 0 && e.served >= q; q = mlfqQuanta[e.level] {
		e.served -= q
		e.level++
	}
	p.levels[e.level].pushFront(id)
	p.entries.set(id, e)
}

// Order serves the highest non-empty level first, first in first out within
// each level.
func (p *mlfq) Order(dst []int, v View) []int { return p.Head(dst, -1, v) }

func (p *mlfq) Head(dst []int, n int, _ View) []int {
	start := len(dst)
	for i := range p.levels {
		if n < 0 {
			dst = p.levels[i].head(dst, -1)
		} else if left := n - (len(dst) - start); left > 0 {
			dst = p.levels[i].head(dst, left)
		}
	}
	return dst
}

// Ran counts the prompt tokens served against the level's quantum; a
// request that used it moves to the tail of the next level. Tokens beyond
// the quantum in the chunk that used it count at the next level, so a
// chunk larger than a quantum can drop a request more than one level and
// the levels mark fixed amounts of work served: 2,048 tokens, then 6,144.
func (p *mlfq) Ran(id, promptTokens int, _ time.Duration, _ View) {
	e, ok := p.entries.get(id)
	if !ok || promptTokens == 0 {
		return
	}
	e.served += promptTokens
	from := e.level
	for q := mlfqQuanta[e.level]; q > 0 && e.served >= q; q = mlfqQuanta[e.level] {
		e.served -= q
		e.level++
	}
	if e.level != from {
		p.levels[from].remove(id)
		p.levels[e.level].pushBack(id)
	}
	p.entries.set(id, e)
}

// Overtakes: a long prompt waiting for room at the top level lets the chats
// behind it start, as it would if it were running its first quantum.
func (p *mlfq) Overtakes() bool { return true }

// Level reports the queue level of a waiting request (0 is the top).
func (p *mlfq) Level(id int) int { return p.entries.at(id).level }

func (p *mlfq) Remove(id int) {
	if e, ok := p.entries.get(id); ok {
		p.levels[e.level].remove(id)
		p.entries.del(id)
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
	c := &mlfq{entries: p.entries.clone()}
	for i := range p.levels {
		c.levels[i] = p.levels[i].clone()
	}
	return c
}
