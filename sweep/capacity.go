package sweep

import (
	"fmt"
	"math"
	"slices"

	"inferplay/sim"
)

// Capacity is the most load (arrival rate, or closed-loop clients) a
// policy serves while its SLO attainment, the mean over the seeds, stays at
// or above the target.
type Capacity struct {
	Policy string
	// Load met the target and Limit missed it, the closest pair the
	// search found: the capacity lies between them.
	Load, Limit float64
	// Met is false when even the least load swept missed the target
	// (Limit is that load); Missed is false when the most load swept met
	// it (Load is that load, and the capacity is at least that).
	Met, Missed bool
	Runs        int // simulations the search added to the sweep's
}

// bisectSteps bounds the search between two swept values: each step
// halves the gap, to within 1 % of the load for a rate.
const bisectSteps = 10

// FindCapacity finds each policy's capacity at the target attainment (a
// fraction, e.g. 0.9): among the swept values in increasing order, the
// last that meets the target before the first that misses it; then a
// bisection between the two, running every seed at each step. It assumes
// attainment falls as load grows, as it does once queues build up; a sweep
// whose curve is not monotone shows it in its chart.
func FindCapacity(p Plan, curves []Curve, target float64, workers int) ([]Capacity, error) {
	switch {
	case !p.Knob.Load:
		return nil, fmt.Errorf("capacity at SLO: %s is not a load; vary rate or clients", p.Knob.Name)
	case !(target > 0 && target <= 1):
		return nil, fmt.Errorf("slo-target: %g is not a fraction above 0 and at most 1", target)
	case !HasSLO(p.Base):
		return nil, fmt.Errorf("capacity at SLO: no SLO target is set (the scenario's, or -slo-ttft-interactive and the like)")
	}
	caps := make([]Capacity, len(curves))
	for i, c := range curves {
		caps[i] = bracket(c, target)
	}
	for range bisectSteps {
		var jobs []job
		var owners []int
		for i := range caps {
			mid, ok := p.midpoint(caps[i])
			if !ok {
				continue
			}
			for s := range p.Seeds {
				cfg, err := p.config(mid, caps[i].Policy, s)
				if err != nil {
					return nil, err
				}
				jobs = append(jobs, job{cfg, Run{Value: mid, Policy: caps[i].Policy, Seed: cfg.Seed}})
				owners = append(owners, i)
			}
		}
		if len(jobs) == 0 {
			break
		}
		runs := runAll(jobs, workers)
		for start := 0; start < len(runs); start += p.Seeds {
			i := owners[start]
			pt := Point{Value: runs[start].Value, Runs: runs[start : start+p.Seeds]}
			if pt.Stat(Attainment).Mean >= target {
				caps[i].Load = pt.Value.X
			} else {
				caps[i].Limit = pt.Value.X
			}
			caps[i].Runs += p.Seeds
		}
	}
	return caps, nil
}

// bracket reads the sweep's own points: the last load meeting the target
// before the first that misses it.
func bracket(c Curve, target float64) Capacity {
	pts := slices.Clone(c.Points)
	slices.SortFunc(pts, func(a, b Point) int { return compareFloat(a.Value.X, b.Value.X) })
	cp := Capacity{Policy: c.Policy}
	for _, pt := range pts {
		if pt.Stat(Attainment).Mean >= target {
			cp.Load, cp.Met = pt.Value.X, true
			continue
		}
		cp.Limit, cp.Missed = pt.Value.X, true
		break
	}
	return cp
}

// midpoint is the next load to try between a capacity's bounds, or false
// when they are close enough: whole loads one apart, rates within 1 %.
func (p *Plan) midpoint(c Capacity) (Value, bool) {
	if !c.Met || !c.Missed {
		return Value{}, false
	}
	mid := (c.Load + c.Limit) / 2
	if p.Knob.Whole {
		mid = math.Floor(mid)
		if mid <= c.Load {
			return Value{}, false
		}
	} else if c.Limit-c.Load <= 0.01*c.Limit {
		return Value{}, false
	}
	return Value{Text: formatNumber(mid), X: mid}, true
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// HasSLO reports whether a configuration sets any latency target.
func HasSLO(c sim.Config) bool {
	for _, s := range c.SLO {
		if s.TTFT > 0 || s.TBT > 0 {
			return true
		}
	}
	return false
}

// Replicas is how many copies of the configuration (each on its TP GPUs)
// serve rate within the target, if the rate splits evenly among them, from
// a capacity in arrivals per second. bound is "" for that number, "at
// most" when the capacity is only known to be at least Load (the sweep
// never missed), and "at least" when even the least rate swept missed.
func (c Capacity) Replicas(rate float64) (n int, bound string) {
	switch {
	case !c.Met:
		return int(math.Ceil(rate / c.Limit)), "at least"
	case !c.Missed:
		return int(math.Ceil(rate / c.Load)), "at most"
	}
	return int(math.Ceil(rate / c.Load)), ""
}
