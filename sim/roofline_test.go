package sim

import (
	"math"
	"strings"
	"testing"
	"time"
)

// rooflineConfig is one model on one GPU under the roofline model, with a
// trace of batch requests arriving together.
func rooflineConfig(t testing.TB, model, gpu, precision string, tp, batch, in, out int) Config {
	t.Helper()
	c, err := ScenarioConfig("chatbot")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetModel(model); err != nil {
		t.Fatal(err)
	}
	if err := c.SetGPU(gpu); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPrecision(precision); err != nil {
		t.Fatal(err)
	}
	c.Timing, c.TP = "roofline", tp
	c.Trace = nil
	for range batch {
		c.Trace = append(c.Trace, Spec{Input: in, Output: out, Class: Interactive})
	}
	return c
}

// latencies runs cfg and returns the mean TTFT and TPOT in ms.
func latencies(t testing.TB, c Config) (ttft, tpot float64) {
	t.Helper()
	e, _ := runChecked(t, c, 1_000_000)
	s := e.Result().Summary
	return s.TTFT.Mean, s.TBT.Mean
}

// One Llama 3.1 8B BF16 request on an H100 SXM decodes at about 6.5 ms per
// token under vLLM (shared/reference/specs.md); the H100's MBU was chosen to
// match, so this guards the calibration.
func TestRooflineMatchesTheH100Measurement(t *testing.T) {
	_, tpot := latencies(t, rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 1, 512, 128))
	if math.Abs(tpot-6.5) > 0.2 {
		t.Fatalf("TPOT %.2f ms, want 6.5 ± 0.2", tpot)
	}
}

func iterationTime(t testing.TB, c Config, it Iteration) (time.Duration, Bound) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return newRoofline(&c).Duration(it)
}

// Iteration time grows with the batch and the context, shrinks on a faster
// GPU, and decode is memory-bound while a long prefill is compute-bound.
func TestIterationTimeFollowsTheWork(t *testing.T) {
	h100 := rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 1, 1, 1)
	decode := func(batch int, ctx int64) Iteration {
		return Iteration{DecodeTokens: batch, ContextTokens: int64(batch) * ctx, AttendedPairs: int64(batch) * (ctx + 1)}
	}
	var last time.Duration
	for _, batch := range []int{1, 8, 32, 128, 256} {
		d, bound := iterationTime(t, h100, decode(batch, 1000))
		if d <= last {
			t.Fatalf("batch %d: %v, not more than %v", batch, d, last)
		}
		if bound != BoundMemory {
			t.Fatalf("decode at batch %d is %s-bound, want memory", batch, bound)
		}
		last = d
	}
	last = 0
	for _, ctx := range []int64{100, 1000, 10_000, 100_000} {
		d, _ := iterationTime(t, h100, decode(32, ctx))
		if d <= last {
			t.Fatalf("context %d: %v, not more than %v", ctx, d, last)
		}
		last = d
	}
	prefill := Iteration{PrefillTokens: 2048, AttendedPairs: attendedByChunk(0, 2048)}
	if _, bound := iterationTime(t, h100, prefill); bound != BoundCompute {
		t.Fatalf("a 2048-token prefill is %s-bound, want compute", bound)
	}
	// Faster memory, faster decode; more FLOP/s, faster prefill.
	gpuTime := func(gpu string, it Iteration) time.Duration {
		c := h100
		if err := c.SetGPU(gpu); err != nil {
			t.Fatal(err)
		}
		d, _ := iterationTime(t, c, it)
		return d
	}
	for _, it := range []Iteration{decode(32, 1000), prefill} {
		a100, h, h200 := gpuTime("a100", it), gpuTime("h100", it), gpuTime("h200", it)
		if !(a100 > h && h >= h200) {
			t.Fatalf("%+v: A100 %v, H100 %v, H200 %v; want each at least as fast as the last", it, a100, h, h200)
		}
	}
	if gpuTime("h200", decode(32, 1000)) >= gpuTime("h100", decode(32, 1000)) {
		t.Fatal("the H200's faster HBM does not speed up decode")
	}
	// FP8 weights halve the bytes a decode step reads.
	fp8 := h100
	_ = fp8.SetPrecision("fp8")
	d16, _ := iterationTime(t, h100, decode(1, 500))
	d8, _ := iterationTime(t, fp8, decode(1, 500))
	if !(d8 < d16*6/10) {
		t.Fatalf("FP8 decode %v, FP16 %v: want well under two thirds", d8, d16)
	}
}

// Tensor parallelism: a 70B model at FP16 does not fit one H100, fits
// two, and decodes faster on more GPUs despite the all-reduces.
func TestTensorParallelism(t *testing.T) {
	c := rooflineConfig(t, "llama3-70b", "h100", "fp16", 1, 1, 512, 16)
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "tp 2") {
		t.Fatalf("70B FP16 on one H100: %v, want an error suggesting tp 2", err)
	}
	var last float64
	for i, tp := range []int{2, 4, 8} {
		c.TP = tp
		_, tpot := latencies(t, c)
		if i > 0 && tpot >= last {
			t.Fatalf("tp %d: TPOT %.2f ms, not below %.2f", tp, tpot, last)
		}
		last = tpot
	}
	// Qwen2.5 7B has 4 KV heads: over 8 GPUs each head is held twice.
	q := rooflineConfig(t, "qwen2.5-7b", "h100", "fp16", 8, 1, 1, 1)
	if got, want := q.KVBytesPerToken(), 2*q.Model.KVBytesPerToken(); got != want {
		t.Fatalf("KV per token over 8 GPUs: %d, want %d (replicated heads)", got, want)
	}
}
