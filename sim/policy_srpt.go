package sim

func init() {
	RegisterPolicy("srpt",
		"Shortest remaining prompt time: re-decided at every chunk, so a short prompt that arrives interrupts a long one.",
		func() Policy { return &srpt{} })
}

// srpt is preemptive shortest-remaining-prompt-first. Victim: cheapestVictim.
type srpt struct{ q idQueue }

func (p *srpt) Add(id int, _ View)     { p.q = append(p.q, id) }
func (p *srpt) Requeue(id int, _ View) { p.q = append(p.q, id) } // its remaining prompt decides

func (p *srpt) Order(dst []int, v View) []int {
	return sortedBy(dst, p.q, v, func(r *Request) int { return r.Remaining() })
}

func (p *srpt) Remove(id int)                       { p.q.remove(id) }
func (p *srpt) Victim(candidates []int, v View) int { return cheapestVictim(candidates, v) }
func (p *srpt) Clone() Policy                       { return &srpt{q: append(idQueue(nil), p.q...)} }
