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
	q       idQueue // not started
	started idQueue // started, in start order
}

func (p *sjf) Add(id int, _ View) { p.q = append(p.q, id) }

// Requeue keeps a preempted request's claim: it started, so it goes first.
func (p *sjf) Requeue(id int, _ View) { p.started.pushFront(id) }

func (p *sjf) Order(dst []int, v View) []int {
	dst = append(dst, p.started...)
	return sortedBy(dst, p.q, v, func(r *Request) int { return r.Input })
}

// Ran records who started, so that it keeps its place.
func (p *sjf) Ran(id, promptTokens int, _ time.Duration, _ View) {
	if promptTokens > 0 && p.q.remove(id) {
		p.started = append(p.started, id)
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
	return &sjf{q: append(idQueue(nil), p.q...), started: append(idQueue(nil), p.started...)}
}
