package sim

func init() {
	RegisterPolicy("srpt",
		"Shortest remaining prompt time: re-decided at every chunk, so a short prompt that arrives interrupts a long one.",
		func() Policy { return &srpt{} })
}

// srpt is preemptive shortest-remaining-prompt-first. Victim: cheapestVictim.
// The queue is keyed by the prompt tokens left, re-keyed whenever they
// change.
type srpt struct{ q rankedQueue }

func (p *srpt) Add(id int, v View)     { p.rekey(id, v) }
func (p *srpt) Requeue(id int, v View) { p.rekey(id, v) } // its remaining prompt decides
func (p *srpt) rekey(id int, v View)   { p.q.put(id, int64(v.Request(id).Remaining())) }

// PromptChanged follows a queued prompt's progress, and its loss.
func (p *srpt) PromptChanged(id int, v View) {
	if p.q.has(id) {
		p.rekey(id, v)
	}
}

func (p *srpt) Order(dst []int, _ View) []int       { return p.q.head(dst, -1) }
func (p *srpt) Head(dst []int, n int, _ View) []int { return p.q.head(dst, n) }
func (p *srpt) Remove(id int)                       { p.q.remove(id) }
func (p *srpt) Victim(candidates []int, v View) int { return cheapestVictim(candidates, v) }
func (p *srpt) Clone() Policy                       { return &srpt{q: p.q.clone()} }
