package lesson

import (
	"testing"

	"inferplay/sim"
)

// The scene's lesson holds in numbers: an iteration of prompt tokens costs
// about the same up to the knee (reading the weights), then grows with the
// tokens (compute-bound), and its throughput levels off; decodes with long
// contexts stay memory-bound, their throughput levelling off far lower.
func TestRooflineLesson(t *testing.T) {
	c, err := RooflineConfig(DefaultRooflineSetup, 42)
	if err != nil {
		t.Fatal(err)
	}
	r := RooflineCurves(c)
	if r.Knee < 32 || r.Knee > 2048 {
		t.Fatalf("knee at %d tokens", r.Knee)
	}
	first := r.Prompt[0].Iteration
	for _, p := range r.Prompt {
		if p.Tokens < r.Knee/2 && (p.Iteration > first*21/20 || p.Bound != sim.BoundMemory) {
			t.Fatalf("%d prompt tokens: %s (%v), against %s for one", p.Tokens, p.Iteration, p.Bound, first)
		}
		if p.Tokens >= 2*r.Knee && p.Bound != sim.BoundCompute {
			t.Fatalf("%d prompt tokens past the knee of %d: %v", p.Tokens, r.Knee, p.Bound)
		}
	}
	last, prev := r.Prompt[len(r.Prompt)-1], r.Prompt[len(r.Prompt)-2]
	if last.Iteration < prev.Iteration*18/10 || last.Throughput > prev.Throughput*1.1 {
		t.Fatalf("past the knee: %s then %s, %.0f then %.0f tok/s", prev.Iteration, last.Iteration, prev.Throughput, last.Throughput)
	}
	for _, d := range r.Decode {
		if d.Bound != sim.BoundMemory {
			t.Fatalf("%d decodes: %v", d.Tokens, d.Bound)
		}
	}
	if top := r.Decode[len(r.Decode)-1].Throughput; top > last.Throughput/3 {
		t.Fatalf("decodes level off at %.0f tok/s, prompts at %.0f", top, last.Throughput)
	}
}
