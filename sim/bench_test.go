package sim

import (
	"fmt"
	"testing"
	"time"
)

// steadyEngine returns an engine with `done` requests already completed and
// `active` requests decoding long answers on a GPU with room for them all
// (Qwen2.5 7B in 4 bits on an MI300X: 3.2 million tokens of KV cache).
func steadyEngine(b *testing.B, active, done int, timing string) *Engine {
	b.Helper()
	var specs []Spec
	for i := range done {
		specs = append(specs, Spec{Arrival: time.Duration(i) * ClassicTick, Input: 16, Output: 1})
	}
	start := time.Duration(done+1) * ClassicTick
	for range active {
		specs = append(specs, Spec{Arrival: start, Input: 64, Output: 3000, Class: Batch})
	}
	c, _ := ScenarioConfig("chatbot")
	_ = c.SetGPU("mi300x")
	_ = c.SetModel("qwen2.5-7b")
	_ = c.SetPrecision("int4")
	c.Trace = specs
	c.Timing = timing
	c.MaxRunning, c.MaxBatchTokens = max(active, DefaultMaxRunning), max(active, DefaultMaxBatchTokens)
	e, err := New(c)
	if err != nil {
		b.Fatal(err)
	}
	for e.Decoding().Len() < active {
		e.Step()
	}
	return e
}

// benchSteps steps a steady engine b.N times, going back to the steady
// state before the answers run out, so every measured tick has the same
// work.
func benchSteps(b *testing.B, steady *Engine) {
	e := steady.Clone()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%1000 == 999 {
			b.StopTimer()
			e = steady.Clone()
			b.StartTimer()
		}
		e.Step()
	}
}

// BenchmarkStep measures one tick with N decoding requests. The cost must
// grow with N (the active requests) ...
func BenchmarkStep(b *testing.B) {
	for _, active := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("active=%d", active), func(b *testing.B) {
			benchSteps(b, steadyEngine(b, active, 0, "classic"))
		})
	}
}

// BenchmarkRooflineStep is one roofline iteration with 256 running
// requests, vLLM's default cap: batch planning, pricing, decoding.
func BenchmarkRooflineStep(b *testing.B) {
	for _, active := range []int{16, 256} {
		b.Run(fmt.Sprintf("running=%d", active), func(b *testing.B) {
			benchSteps(b, steadyEngine(b, active, 0, "roofline"))
		})
	}
}

// ... and not with the requests already finished.
func BenchmarkStepAfterHistory(b *testing.B) {
	for _, done := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("active=100/done=%d", done), func(b *testing.B) {
			benchSteps(b, steadyEngine(b, 100, done, "classic"))
		})
	}
}

// BenchmarkRunChatbot runs the chatbot scenario scaled up, at its own
// arrival rate, from New to the last completion.
func BenchmarkRunChatbot(b *testing.B) {
	for _, run := range []struct {
		timing string
		n      int
	}{{"classic", 1_000}, {"classic", 10_000}, {"roofline", 1_000}, {"roofline", 10_000}} {
		b.Run(fmt.Sprintf("%s/requests=%d", run.timing, run.n), func(b *testing.B) {
			c, _ := ScenarioConfig("chatbot")
			c.Workload.Requests, c.Timing = run.n, run.timing
			benchRuns(b, c)
		})
	}
}

// BenchmarkRunMixed is the whole mixed scenario per policy and timing model.
func BenchmarkRunMixed(b *testing.B) {
	for _, pol := range policyNames() {
		for _, timing := range []string{"classic", "roofline"} {
			b.Run(pol+"/"+timing, func(b *testing.B) {
				c, _ := ScenarioConfig("mixed")
				c.Scheduler, c.Timing = pol, timing
				for range b.N {
					e, _ := New(c)
					e.Run()
				}
			})
		}
	}
}

// BenchmarkPrefixCache is the chatbot scenario scaled up with one
// 2,000-token system prompt before every prompt, cached and not: what the
// cache costs per iteration (its work follows the blocks a prompt shares,
// never the whole cache), against what it saves.
func BenchmarkPrefixCache(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		for _, mode := range []string{"on", "off"} {
			b.Run(fmt.Sprintf("requests=%d/caching=%s", n, mode), func(b *testing.B) {
				c, _ := ScenarioConfig("chatbot")
				c.Workload.Requests, c.Timing = n, "roofline"
				c.Workload.System = SystemPrompts{Count: 1, Tokens: 2000, Share: 1}
				c.NoPrefixCaching = mode == "off"
				benchRuns(b, c)
			})
		}
	}
}

// BenchmarkCPUTier is conversations that outgrow an L4's VRAM, with the
// prefix cache in VRAM alone and with a 16 GB CPU tier: the cost of the
// tier's stores, fetches and choices (compare ns/op at the same requests).
func BenchmarkCPUTier(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		for _, gb := range []int64{0, 16} {
			b.Run(fmt.Sprintf("requests=%d/tier=%dGB", n, gb), func(b *testing.B) {
				c, _ := ScenarioConfig("chatbot")
				_ = c.SetGPU("l4")
				c.Timing = "roofline"
				c.Workload.Requests, c.Workload.Clients, c.Workload.Turns, c.Workload.ThinkTime = n, 64, 6, 20*time.Second
				c.CPUCacheBytes = gb * GB
				// The two runs differ (the closed loop's users answer to
				// their own latencies): per iteration is the fair figure.
				e, _ := New(c, WithoutBlockMap())
				e.Run()
				b.ResetTimer()
				benchRuns(b, c)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*e.Tick()), "ns/iter")
			})
		}
	}
}
