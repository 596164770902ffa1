package sim

func init() {
	RegisterPolicy("sjf",
		"Shortest job first: the shortest waiting prompt runs next, but a prompt that started keeps the slot until it is done.",
		func() Policy { return &sjf{holder: -1} })
}

// sjf is non-preemptive shortest-prompt-first. Victim: the largest KV cache.
type sjf struct {
	q      idQueue
	holder int // request that holds the prefill slot, or -1
}

func (p *sjf) Add(id int, _ View) { p.q = append(p.q, id) }

func (p *sjf) Next(v View) (int, bool) {
	if p.holder >= 0 {
		return p.holder, true
	}
	return minBy(p.q, v, func(r *Request) int { return r.Input })
}

// OnChunk records who started, so that it keeps the slot.
func (p *sjf) OnChunk(id int, _ View) { p.holder = id }

func (p *sjf) Remove(id int) {
	p.q.remove(id)
	if p.holder == id {
		p.holder = -1
	}
}

func (p *sjf) Victim(candidates []int, v View) int { return largestKV(candidates, v) }
func (p *sjf) Reset()                              { p.q, p.holder = p.q[:0], -1 }
func (p *sjf) Clone() Policy                       { return &sjf{q: append(idQueue(nil), p.q...), holder: p.holder} }
