package sim

import "time"

func init() {
	RegisterPolicy("sjf",
		"Shortest job first: the shortest waiting prompt runs next, but a prompt that started keeps its place until it is done.",
		func() Policy { return &sjf{} })
}

// sjf is non-preemptive shortest-prompt-first: prompts that started run
// first, in the order they started; then the rest by prompt length. Victim:
// the largest KV cache.
type sjf struct {
	q       rankedQueue // not started, by prompt length
	started rankedQueue // started, in start order
}

func (p *sjf) Add(id int, v View) { p.q.put(id, int64(v.Request(id).Input)) }

// Requeue keeps a preempted request's claim: it started, so it goes first.
func (p *sjf) Requeue(id int, _ View) { p.started.pushFront(id) }

func (p *sjf) Order(dst []int, v View) []int { return p.Head(dst, -1, v) }

func (p *sjf) Head(dst []int, n int, _ View) []int {
	start := len(dst)
	dst = p.started.head(dst, n)
	if n < 0 {
		return p.q.head(dst, -1)
	}
	return p.q.head(dst, n-(len(dst)-start))
}

// Ran records who started, so that it keeps its place.
func (p *sjf) Ran(id, promptTokens int, _ time.Duration, _ View) {
	if promptTokens > 0 && p.q.remove(id) {
		p.started.pushBack(id)
	}
}

func (p *sjf) Finished(int) {}

func (p *sjf) Remove(id int) {
	if !p.q.remove(id) {
		p.started.remove(id)
	}
}

func (p *sjf) Victim(candidates []int, v View) int { return cheapestVictim(candidates, v) }
func (p *sjf) Clone() Policy {
	return &sjf{q: p.q.clone(), started: p.started.clone()}
}
