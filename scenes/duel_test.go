package scenes

import (
	"math"
	"testing"

	"inferplay/sim"
)

// The strip words a difference as a ratio when large, a percentage when
// small, a count from none, and a dash with no verdict before a latency
// exists.
func TestCompareWording(t *testing.T) {
	ttft := duelFigures[0]
	res := func(p99 float64, preempt int) sim.Result {
		var chat sim.Summary
		chat.TTFT.P99 = p99
		r := sim.Result{Classes: map[sim.Class]sim.Summary{sim.Interactive: chat}}
		r.Summary.Preemptions = preempt
		return r
	}
	for _, c := range []struct {
		a, b  float64
		words string
	}{{585, 60, "9.8× lower with srpt"}, {60, 585, "9.8× higher with srpt"}, {100, 120, "+20% with srpt"},
		{100, 101, "the same"}, {math.NaN(), 60, ""}} {
		if got := compareFigure(ttft, res(c.a, 0), res(c.b, 0), "srpt").verdict; got != c.words {
			t.Errorf("%g vs %g: %q, want %q", c.a, c.b, got, c.words)
		}
	}
	if got := compareFigure(ttft, res(math.NaN(), 0), res(60, 0), "srpt").values; got != "– vs 60 ms" {
		t.Errorf("values %q", got)
	}
	var preempt figure
	for _, f := range duelFigures {
		if f.name == "preemptions" {
			preempt = f
		}
	}
	if got := compareFigure(preempt, res(1, 0), res(1, 39), "mlfq").verdict; got != "39 more with mlfq" {
		t.Errorf("preemptions: %q", got)
	}
}
