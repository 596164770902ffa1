package sweep

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"inferplay/sim"
)

// Plan is a sweep: the base configuration, run at each value of the knob
// under each policy, over Seeds workloads (the base seed and the ones after
// it, as infersim -seeds counts them).
type Plan struct {
	Base     sim.Config
	Knob     Knob
	Values   []Value
	Policies []string
	Seeds    int
	// Window, when above 0, sizes an open-loop workload by time: each
	// point sends what its rate brings in that long. A fixed count would
	// make a load beyond capacity look served: its few requests are all in
	// before the queue has grown, and drain at leisure.
	Window time.Duration
}

// Run is one simulation of a sweep.
type Run struct {
	Value  Value
	Policy string
	Seed   uint64
	Result sim.Result
	// Stuck says why the run stopped before every request finished (the
	// engine guards against it; a sweep reports it rather than hang).
	Stuck string
}

// config is the base configuration at a value, under a policy and seed.
func (p *Plan) config(v Value, policy string, seed int) (sim.Config, error) {
	c := p.Base
	c.Scheduler = policy
	c.Seed = p.Base.Seed + uint64(seed)
	if err := p.Knob.apply(&c, v); err != nil {
		return c, err
	}
	if p.Window > 0 && c.Trace == nil && c.Workload.Clients == 0 {
		n := math.Round(c.Workload.Rate * p.Window.Seconds())
		c.Workload.Requests = int(min(max(n, 1), sim.MaxRequests))
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("%s=%s: %w", p.Knob.Name, v.Text, err)
	}
	return c, nil
}

// Check validates every point of the plan before anything runs, so that a
// bad value is one line, not a failure half-way through.
func (p *Plan) Check() error {
	switch {
	case len(p.Values) == 0:
		return fmt.Errorf("vary: no values")
	case len(p.Policies) == 0:
		return fmt.Errorf("no policies")
	case p.Seeds < 1:
		return fmt.Errorf("seeds: %d is not a whole number of at least 1", p.Seeds)
	case p.Base.MaxTicks > 0:
		return fmt.Errorf("max-ticks: a sweep compares finished runs")
	}
	for _, v := range p.Values {
		for _, pol := range p.Policies {
			if _, err := p.config(v, pol, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// Execute runs every point of the plan on workers goroutines (0: one per
// core). Runs come back in plan order — by value, then policy, then seed —
// whatever the number of workers, and each run is a function of its
// configuration alone, so a sweep is the same on every machine.
func Execute(p Plan, workers int) ([]Run, error) {
	jobs, err := p.jobs()
	if err != nil {
		return nil, err
	}
	return runAll(jobs, workers), nil
}

// jobs checks the plan and lists its runs in plan order: by value, then
// policy, then seed.
func (p *Plan) jobs() ([]job, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	var jobs []job
	for _, v := range p.Values {
		for _, pol := range p.Policies {
			for s := range p.Seeds {
				c, _ := p.config(v, pol, s) // checked above
				jobs = append(jobs, job{c, Run{Value: v, Policy: pol, Seed: c.Seed}})
			}
		}
	}
	return jobs, nil
}

// Workers is how many simulations run at once for a -jobs value: n, or
// one per core for 0.
func Workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

type job struct {
	cfg sim.Config
	run Run
}

// runAll runs the jobs in parallel and returns their runs in job order.
func runAll(jobs []job, workers int) []Run {
	workers = Workers(workers)
	runs := make([]Run, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i] = simulate(jobs[i])
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return runs
}

func simulate(j job) Run {
	r := j.run
	e, err := sim.New(j.cfg, sim.WithoutBlockMap())
	if err != nil {
		r.Stuck = err.Error() // unreachable: the plan was checked
		return r
	}
	e.Run()
	r.Result, r.Stuck = e.Result(), e.Stuck()
	return r
}
