package sim

func init() {
	RegisterPolicy("fcfs",
		"First come, first served: prompts run in arrival order and are never interrupted, so one long prompt blocks everyone behind it.",
		func() Policy { return &fcfs{} })
}

// fcfs serves prompts in arrival order. Victim: cheapestVictim.
type fcfs struct{ q rankedQueue }

func (p *fcfs) Add(id int, _ View)                  { p.q.pushBack(id) }
func (p *fcfs) Requeue(id int, _ View)              { p.q.pushFront(id) }
func (p *fcfs) Order(dst []int, _ View) []int       { return p.q.head(dst, -1) }
func (p *fcfs) Head(dst []int, n int, _ View) []int { return p.q.head(dst, n) }
func (p *fcfs) Remove(id int)                       { p.q.remove(id) }
func (p *fcfs) Victim(candidates []int, v View) int { return cheapestVictim(candidates, v) }
func (p *fcfs) Clone() Policy                       { return &fcfs{q: p.q.clone()} }
