package sweep

import "inferplay/sim"

// Stepper runs a plan a slice at a time, one engine iteration after
// another, for a caller that must not block: a frame of the visual
// simulator, native or in a browser tab, which has one thread. Its runs are
// those Execute gives, whatever the slices.
type Stepper struct {
	jobs []job
	runs []Run
	done int         // jobs finished; the next is running on eng
	eng  *sim.Engine // nil before the next job starts
}

// NewStepper checks the plan and readies its runs.
func NewStepper(p Plan) (*Stepper, error) {
	jobs, err := p.jobs()
	if err != nil {
		return nil, err
	}
	return &Stepper{jobs: jobs, runs: make([]Run, len(jobs))}, nil
}

// Advance runs up to steps engine iterations and reports whether every
// run has finished.
func (s *Stepper) Advance(steps int) bool {
	for steps > 0 && s.done < len(s.jobs) {
		if s.eng == nil {
			e, err := sim.New(s.jobs[s.done].cfg, sim.WithoutBlockMap())
			if err != nil {
				s.finish(Run{Stuck: err.Error()}) // unreachable: the plan was checked
				continue
			}
			s.eng = e
		}
		steps -= s.eng.RunSteps(steps)
		if s.eng.Done() {
			r := s.jobs[s.done].run
			r.Result, r.Stuck = s.eng.Result(), s.eng.Stuck()
			s.finish(r)
		}
	}
	return s.done == len(s.jobs)
}

func (s *Stepper) finish(r Run) {
	if r.Policy == "" {
		r.Value, r.Policy, r.Seed = s.jobs[s.done].run.Value, s.jobs[s.done].run.Policy, s.jobs[s.done].run.Seed
	}
	s.runs[s.done] = r
	s.done++
	s.eng = nil
}

// Progress is how many runs have finished, of how many.
func (s *Stepper) Progress() (done, total int) { return s.done, len(s.jobs) }

// Finished returns the runs finished so far, in plan order.
func (s *Stepper) Finished() []Run { return s.runs[:s.done] }
