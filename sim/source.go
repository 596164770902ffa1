package sim

import "time"

// A source feeds the engine its own workload as the run goes: the requests
// of a trace or a generated workload at their arrival times, or those of
// closed-loop clients as their answers come back. A request enters the
// engine only when it arrives, so IDs follow arrival order whatever the
// source, and requests given from outside (Submit) take their place among
// them.
type source interface {
	// next is when the next request arrives, if one is still to come.
	next() (time.Duration, bool)
	// take returns the next request if it arrives by now, with a tag the
	// engine keeps for answered.
	take(now time.Duration) (s Spec, tag int32, ok bool)
	// answered tells the source that the request it tagged has finished.
	answered(tag int32, at time.Duration)
	// left is how many requests are still to come, and leftOf how many
	// of a class (as far as the source knows their classes yet).
	left() int
	leftOf(c Class) int
	clone() source
}

// specSource replays a list of requests sorted by arrival: a trace or a
// generated workload. The list is shared by clones and never modified.
type specSource struct {
	specs []Spec
	i     int
}

func (s *specSource) next() (time.Duration, bool) {
	if s.i < len(s.specs) {
		return s.specs[s.i].Arrival, true
	}
	return 0, false
}

func (s *specSource) take(now time.Duration) (Spec, int32, bool) {
	if s.i < len(s.specs) && s.specs[s.i].Arrival <= now {
		s.i++
		return s.specs[s.i-1], 0, true
	}
	return Spec{}, 0, false
}

func (*specSource) answered(int32, time.Duration) {}
func (s *specSource) left() int                   { return len(s.specs) - s.i }

func (s *specSource) leftOf(c Class) int {
	n := 0
	for _, sp := range s.specs[s.i:] {
		if sp.Class == c {
			n++
		}
	}
	return n
}

func (s *specSource) clone() source { c := *s; return &c }

// rest is the requests still to come, for a report of a run cut short.
func (s *specSource) rest() []Spec { return s.specs[s.i:] }

// openSource has nothing of its own: every request comes from Submit.
type openSource struct{}

func (openSource) next() (time.Duration, bool)            { return 0, false }
func (openSource) take(time.Duration) (Spec, int32, bool) { return Spec{}, 0, false }
func (openSource) answered(int32, time.Duration)          {}
func (openSource) left() int                              { return 0 }
func (openSource) leftOf(Class) int                       { return 0 }
func (openSource) clone() source                          { return openSource{} }

// newSource builds the source of a validated configuration's workload.
func newSource(cfg *Config) (source, error) {
	if cfg.Trace == nil && cfg.Workload.Clients > 0 {
		return newClientLoop(cfg.Workload, cfg.Seed), nil
	}
	specs, err := cfg.specs()
	if err != nil {
		return nil, err
	}
	return &specSource{specs: specs}, nil
}

// pull takes from the source every request that arrives by now.
func (e *Engine) pull(now time.Duration) {
	for {
		s, tag, ok := e.src.take(now)
		if !ok {
			return
		}
		e.reqs = append(e.reqs, Request{ID: len(e.reqs), Spec: s, tag: tag})
	}
}

// Unsent is how many requests of the engine's own workload have not arrived
// yet: those of a trace or generated workload still to come, or those no
// closed-loop client has sent.
func (e *Engine) Unsent() int { return e.src.left() }

// PendingSpecs lists the requests of a trace or generated workload that
// have not arrived yet, in arrival order (none for closed loops or an open
// engine).
func (e *Engine) PendingSpecs() List[Spec] {
	if s, ok := e.src.(*specSource); ok {
		return ListOf(s.rest())
	}
	return List[Spec]{}
}

// answered tells the request's source that it has finished.
func (e *Engine) answered(r *Request, at time.Duration) {
	if r.tag >= 0 {
		e.src.answered(r.tag, at)
	}
}

// SpecOf is a request's spec, whether it is in the engine or still to come
// from its own trace or generated workload (whose IDs follow on from the
// engine's, unless requests are submitted in between).
func (e *Engine) SpecOf(id int) (Spec, bool) {
	if id >= 0 && id < len(e.reqs) {
		return e.reqs[id].Spec, true
	}
	if rest := e.PendingSpecs(); id >= len(e.reqs) && id-len(e.reqs) < rest.Len() {
		return rest.At(id - len(e.reqs)), true
	}
	return Spec{}, false
}
