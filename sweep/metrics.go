package sweep

import (
	"math"

	"inferplay/sim"
)

// Metric is one number a run gives, as a CSV column and an axis.
type Metric struct {
	Name  string // the CSV column
	Label string // the axis's title
	get   func(r sim.Result) float64
}

// Value is the metric of a run; NaN when the run has nothing to measure
// (no request of the class, or none completed).
func (m Metric) Value(r sim.Result) float64 { return m.get(r) }

// The metrics, in CSV order.
var (
	Throughput = Metric{"throughput_tok_s", "throughput (output tokens/s)", func(r sim.Result) float64 {
		return r.Summary.Throughput
	}}
	Completions = Metric{"completed_req_s", "completed requests/s", func(r sim.Result) float64 {
		if r.Summary.SimMs <= 0 {
			return math.NaN()
		}
		return float64(r.Summary.Completed) / (r.Summary.SimMs / 1000)
	}}
	TTFTP50 = latency("ttft_p50_ms", "TTFT p50 (ms)", whole, ttft, p50)
	TTFTP99 = latency("ttft_p99_ms", "TTFT p99 (ms)", whole, ttft, p99)
	TBTP50  = latency("tbt_p50_ms", "TBT p50 (ms)", whole, tbt, p50)
	TBTP99  = latency("tbt_p99_ms", "TBT p99 (ms)", whole, tbt, p99)
	E2EP50  = latency("e2e_p50_ms", "E2E p50 (ms)", whole, e2e, p50)
	E2EP99  = latency("e2e_p99_ms", "E2E p99 (ms)", whole, e2e, p99)

	ChatTTFTP99  = latency("ttft_p99_interactive_ms", "interactive TTFT p99 (ms)", classOf(sim.Interactive), ttft, p99)
	BatchTTFTP99 = latency("ttft_p99_batch_ms", "batch TTFT p99 (ms)", classOf(sim.Batch), ttft, p99)

	Attainment = Metric{"slo_attainment", "SLO attainment (%)", func(r sim.Result) float64 {
		if r.Summary.Requests == 0 {
			return math.NaN()
		}
		return r.Summary.SLOAttainment
	}}
	Goodput     = Metric{"goodput_req_s", "goodput (requests/s within SLO)", func(r sim.Result) float64 { return r.Summary.Goodput }}
	Preemptions = Metric{"preemptions", "preemptions", func(r sim.Result) float64 { return float64(r.Summary.Preemptions) }}
	SimSeconds  = Metric{"sim_s", "simulated time (s)", func(r sim.Result) float64 { return r.Summary.SimMs / 1000 }}
)

// Percent is a fraction's metric as a percentage.
func (m Metric) Percent() Metric {
	return Metric{m.Name, m.Label, func(r sim.Result) float64 { return 100 * m.get(r) }}
}

// Metrics lists every metric, in CSV order.
func Metrics() []Metric {
	return []Metric{Throughput, Completions, TTFTP50, TTFTP99, TBTP50, TBTP99, E2EP50, E2EP99,
		ChatTTFTP99, BatchTTFTP99, Attainment, Goodput, Preemptions, SimSeconds}
}

func ttft(s sim.Summary) sim.Dist { return s.TTFT }
func tbt(s sim.Summary) sim.Dist  { return s.TBT }
func e2e(s sim.Summary) sim.Dist  { return s.E2E }
func p50(d sim.Dist) float64      { return d.P50 }
func p99(d sim.Dist) float64      { return d.P99 }

func whole(r sim.Result) sim.Summary { return r.Summary }

func classOf(c sim.Class) func(sim.Result) sim.Summary {
	return func(r sim.Result) sim.Summary { return r.Classes[c] }
}

// latency reads a percentile of a distribution of the requests of. A
// distribution of nothing (no request of the class got that far) is NaN:
// no latency is 0.
func latency(name, label string, of func(sim.Result) sim.Summary, dist func(sim.Summary) sim.Dist, pct func(sim.Dist) float64) Metric {
	return Metric{name, label, func(r sim.Result) float64 {
		d := dist(of(r))
		if d == (sim.Dist{}) {
			return math.NaN()
		}
		return pct(d)
	}}
}
