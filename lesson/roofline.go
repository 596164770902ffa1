package lesson

import (
	"math"
	"time"

	"inferplay/sim"
)

// RooflineContext is the context each decoding request holds in the
// roofline scene's decode curve.
const RooflineContext = 2048

// RooflinePoint is one iteration of n new tokens, priced by the roofline
// model.
type RooflinePoint struct {
	Tokens     int
	Iteration  time.Duration
	Bound      sim.Bound
	Throughput float64 // tokens per second
}

// Roofline is the scene's two curves for a GPU and model: iterations of
// prompt tokens (attending only to each other), and of decoding requests
// that each read RooflineContext tokens of KV cache, from 1 to 8,192
// tokens in powers of two; and the prompt curve's knee, the fewest tokens
// at which an iteration is compute-bound.
type Roofline struct {
	Prompt, Decode []RooflinePoint
	Knee           int // 0 if the prompt curve never turns compute-bound
	Weights        int64
}

// RooflineSetup is what the roofline scene's panel sets.
type RooflineSetup struct{ Model, GPU, Precision string }

// DefaultRooflineSetup is the scene's opening setup: Llama 3 8B at FP16 on
// one H100.
var DefaultRooflineSetup = RooflineSetup{"llama3-8b", "h100", "fp16"}

// RooflineConfig is the scene's configuration for a setup.
func RooflineConfig(s RooflineSetup, seed uint64) (sim.Config, error) {
	c, err := base(s.Model, s.GPU, s.Precision)
	if err != nil {
		return c, err
	}
	c.Scenario, c.Timing, c.Seed = "roofline", "roofline", seed
	return c, c.Validate()
}

// RooflineCurves prices the scene's iterations on c's GPU and model.
func RooflineCurves(c sim.Config) Roofline {
	tim, _ := sim.LookupTiming("roofline")
	m := tim.New(&c)
	r := Roofline{Weights: c.WeightBytes()}
	for n := 1; n <= 8192; n *= 2 {
		p := price(m, n, sim.Iteration{PrefillTokens: n, AttendedPairs: int64(n) * int64(n+1) / 2})
		d := price(m, n, sim.Iteration{DecodeTokens: n, ContextTokens: int64(n) * RooflineContext, AttendedPairs: int64(n) * RooflineContext})
		r.Prompt, r.Decode = append(r.Prompt, p), append(r.Decode, d)
		if r.Knee == 0 && p.Bound == sim.BoundCompute {
			r.Knee = n
		}
	}
	return r
}

func price(m sim.Timing, n int, it sim.Iteration) RooflinePoint {
	d, b := m.Duration(it)
	return RooflinePoint{Tokens: n, Iteration: d, Bound: b, Throughput: float64(n) / math.Max(d.Seconds(), 1e-12)}
}
