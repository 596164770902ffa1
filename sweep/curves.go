package sweep

import "math"

// Curve is one policy's runs across the knob.
type Curve struct {
	Policy string
	Points []Point
}

// Point is one value of the knob under one policy: a run per seed.
type Point struct {
	Value Value
	Runs  []Run
}

// Stat summarizes a metric over the seeds of a point.
type Stat struct {
	Mean, Min, Max float64
	N              int // runs that measured it; Mean, Min and Max are NaN at 0
}

// Stat is the metric's mean, least and greatest over the point's runs.
func (p Point) Stat(m Metric) Stat {
	s := Stat{Mean: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	sum := 0.0
	for _, r := range p.Runs {
		x := m.Value(r.Result)
		if math.IsNaN(x) {
			continue
		}
		if s.N == 0 || x < s.Min {
			s.Min = x
		}
		if s.N == 0 || x > s.Max {
			s.Max = x
		}
		sum += x
		s.N++
	}
	if s.N > 0 {
		s.Mean = sum / float64(s.N)
	}
	return s
}

// Curves groups a plan's runs, as Execute returns them, by policy, in the
// plan's order of policies and values.
func Curves(p Plan, runs []Run) []Curve {
	curves := make([]Curve, len(p.Policies))
	for i, pol := range p.Policies {
		curves[i].Policy = pol
		curves[i].Points = make([]Point, len(p.Values))
		for j, v := range p.Values {
			curves[i].Points[j].Value = v
		}
	}
	for k, r := range runs {
		vi, pi := k/(len(p.Policies)*p.Seeds), k/p.Seeds%len(p.Policies)
		pt := &curves[pi].Points[vi]
		pt.Runs = append(pt.Runs, r)
	}
	return curves
}
