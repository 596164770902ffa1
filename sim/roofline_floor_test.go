package sim

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// No iteration is ever faster than the hardware allows: on every GPU ×
// model × precision × TP that fits, for decode batches from 1 to 512 at
// short and long contexts, prompts from 1 to 32,768 tokens and mixes of
// both, the roofline model's duration is at least the 100 %-efficiency
// floor — every FLOP at the GPUs' peak, every byte at their full
// bandwidth, nothing else. The floor is computed here from the presets'
// datasheet figures, not by the model.
func TestNoIterationBeatsTheHardware(t *testing.T) {
	checked := 0
	for _, g := range GPUs() {
		for _, m := range Models() {
			for _, p := range Precisions() {
				for _, tp := range []int{1, 2, 4, 8} {
					c, _ := ScenarioConfig("chatbot")
					c.GPU, c.Model, c.Precision, c.TP, c.Timing = g, m, p, tp, "roofline"
					if c.Validate() != nil {
						continue // does not fit, or the GPU cannot run it
					}
					r := newRoofline(&c)
					for _, it := range floorGrid() {
						d, _ := r.Duration(it)
						if floor := hardwareFloor(&c, it); d < floor {
							t.Fatalf("%s %s %s TP%d, %+v: %v, under the hardware floor %v", g.ID, m.ID, p.ID, tp, it, d, floor)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d iterations checked", checked)
	}
	t.Logf("%d iterations checked", checked)
}

// floorGrid is the iterations the floor is checked on.
func floorGrid() []Iteration {
	var out []Iteration
	for _, batch := range []int{1, 2, 8, 32, 64, 256, 512} {
		for _, ctx := range []int64{0, 1000, 32_000} {
			out = append(out, Iteration{DecodeTokens: batch, ContextTokens: int64(batch) * ctx, AttendedPairs: int64(batch) * (ctx + 1)})
		}
	}
	for _, n := range []int{1, 16, 128, 512, 2048, 8192, 32_768} {
		for _, ctx := range []int{0, 4096} {
			out = append(out, Iteration{PrefillTokens: n, ContextTokens: int64(ctx), AttendedPairs: attendedByChunk(ctx, n)})
			mixed := Iteration{PrefillTokens: n, DecodeTokens: 64, ContextTokens: int64(ctx) + 64*2000, AttendedPairs: attendedByChunk(ctx, n) + 64*2001}
			out = append(out, mixed)
		}
	}
	return out
}

// hardwareFloor is the least time an iteration can take on the
// configuration's GPUs: its FLOPs at peak or its bytes at full bandwidth,
// whichever is longer.
func hardwareFloor(c *Config, it Iteration) time.Duration {
	g, m := c.GPU, c.Model
	n := float64(c.GPUs())
	peak := g.FP16FLOPS
	if c.Precision.ID == "fp8" && g.FP8FLOPS > 0 {
		peak = g.FP8FLOPS
	}
	tokens := float64(it.Tokens())
	flops := float64(2*m.ActiveParams*tokens) / (n * peak)
	attn := float64(float64(4*m.Layers*m.Heads*m.HeadDim)*float64(it.AttendedPairs)) / (n * g.FP16FLOPS)
	shared, experts := m.WeightsRead(c.Precision)
	weights := shared + float64(experts*m.ExpertShare(it.Tokens()))
	kv := float64(c.KVBytesPerToken()) * (float64(it.ContextTokens) + tokens)
	bytes := float64(weights+kv) / (n * g.MemBW)
	secs := math.Max(flops+attn, bytes)
	return time.Duration(math.Floor(secs * 1e9))
}

// The floor above is not vacuous: on the calibration GPU a large prefill
// is within a factor of two of it, and a decode step at one request too.
func TestTheFloorIsNearWhereItShouldBe(t *testing.T) {
	c := rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 1, 1, 1)
	r := newRoofline(&c)
	for _, it := range []Iteration{
		{PrefillTokens: 8192, AttendedPairs: attendedByChunk(0, 8192)},
		{DecodeTokens: 1, ContextTokens: 512, AttendedPairs: 513},
	} {
		d, _ := r.Duration(it)
		floor := hardwareFloor(&c, it)
		if ratio := float64(d) / float64(floor); ratio < 1 || ratio > 2 {
			t.Errorf("%+v: %v is %s the floor %v", it, d, fmt.Sprintf("%.2f×", ratio), floor)
		}
	}
}
