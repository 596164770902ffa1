package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// maxPreemptionsPerRequest is the bound the tests hold every run to: the
// progress rules keep preemptions per request small, not merely finite.
const maxPreemptionsPerRequest = 8

// runToEnd steps a run until it is done and fails on a stuck run, on a
// request left unfinished, or on a request preempted too often.
func runToEnd(t testing.TB, name string, c Config, maxSteps int) Summary {
	t.Helper()
	e, err := New(c)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for steps := 0; !e.Done(); steps++ {
		if steps > maxSteps {
			t.Fatalf("%s: not finished after %d steps", name, maxSteps)
		}
		e.Step()
	}
	if s := e.Stuck(); s != "" {
		t.Fatalf("%s: stuck: %s", name, s)
	}
	if err := e.CheckInvariants(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sum := e.Result().Summary
	if sum.Completed+sum.Rejected != sum.Requests || sum.Unfinished != 0 {
		t.Fatalf("%s: %d completed and %d rejected of %d", name, sum.Completed, sum.Rejected, sum.Requests)
	}
	for i := range e.Len() {
		if r := e.Request(i); r.Evictions+r.Drops > maxPreemptionsPerRequest {
			t.Fatalf("%s: R%d preempted %d times (%d swaps, %d drops)", name, i, r.Evictions+r.Drops, r.Evictions, r.Drops)
		}
	}
	return sum
}

// Two requests VRAM cannot hold together, one outranking the other: once
// the interactive prompt swapped the batch request out, bringing it back
// before the prompt started sent it out again, for ever (524,289 swaps).
func TestAnOutrankingPromptDoesNotPingPong(t *testing.T) {
	for _, mode := range []string{PreemptSwap, PreemptRecompute} {
		c, _ := ScenarioConfig("mixed")
		c.Timing, c.Scheduler, c.Preemption = "roofline", "priority", mode
		c.Trace = []Spec{{Arrival: 0, Input: 60000, Output: 5000, Class: Batch}, {Arrival: 10 * time.Second, Input: 20000, Output: 10, Class: Interactive}}
		sum := runToEnd(t, mode, c, 100_000)
		if sum.Preemptions > 2 {
			t.Errorf("%s: %d preemptions for one prompt that outranks one request", mode, sum.Preemptions)
		}
	}
}

// A prompt that VRAM cannot hold next to a running request's cache: on the
// classic model with recomputation, the running request was dropped for
// it, then it for the restarted request, round after round (854 drops,
// 925 s simulated against 32 s with swap).
func TestADroppedPromptWaitsForRoom(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Timing, c.Preemption = "classic", PreemptRecompute
	c.Trace = []Spec{{Arrival: 0, Input: 70000, Output: 2000, Class: Batch}, {Arrival: time.Millisecond, Input: 10000, Output: 10, Class: Batch}}
	sum := runToEnd(t, "classic recompute", c, 100_000)
	if sum.Drops > 1 || sum.SimMs > 40_000 {
		t.Errorf("%d drops, %.0f ms simulated", sum.Drops, sum.SimMs)
	}
}

// Whole workloads that thrashed: 877 of 1,000 unfinished, and 51,894 drops.
func TestOverloadedRunsEndWithFewPreemptions(t *testing.T) {
	if testing.Short() {
		t.Skip("two runs of 1,000 requests")
	}
	for _, tc := range []struct {
		timing, preemption, gpu string
		tp                      int
		precision               string
	}{
		{"roofline", PreemptSwap, "constrained", 1, "int4"},
		{"classic", PreemptRecompute, "l4", 4, "fp16"},
	} {
		c, _ := ScenarioConfig("mixed")
		c.Timing, c.Scheduler, c.Preemption, c.TP = tc.timing, "priority", tc.preemption, tc.tp
		if err := c.SetGPU(tc.gpu); err != nil {
			t.Fatal(err)
		}
		if err := c.SetModel("mixtral-8x7b"); err != nil {
			t.Fatal(err)
		}
		if err := c.SetPrecision(tc.precision); err != nil {
			t.Fatal(err)
		}
		c.Workload.Requests = 1000
		c.MaxTicks = 0
		name := fmt.Sprintf("%s/%s/%s", tc.timing, tc.preemption, tc.gpu)
		sum := runToEnd(t, name, c, 2_000_000)
		if sum.Preemptions > sum.Requests {
			t.Errorf("%s: %d preemptions for %d requests", name, sum.Preemptions, sum.Requests)
		}
	}
}

// fuzzPreemptionBound is what the fuzz targets allow a request: a few
// preemptions for every request that shares VRAM with it.
func fuzzPreemptionBound(requests int) int { return maxPreemptionsPerRequest + 2*requests }

// checkEnded fails a run that is stuck, left a request unfinished, broke an
// invariant, or preempted a request more than the bound.
func checkEnded(t *testing.T, e *Engine) {
	t.Helper()
	if s := e.Stuck(); s != "" {
		t.Fatalf("stuck: %s", s)
	}
	if err := e.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	sum := e.Result().Summary
	if sum.Completed+sum.Rejected != sum.Requests {
		t.Fatalf("%d completed and %d rejected of %d", sum.Completed, sum.Rejected, sum.Requests)
	}
	for i := range e.Len() {
		if r := e.Request(i); r.Evictions+r.Drops > fuzzPreemptionBound(e.Len()) {
			t.Fatalf("R%d preempted %d times in a run of %d requests", i, r.Evictions+r.Drops, e.Len())
		}
	}
}

// FuzzAdversarialMix: a few huge and a few tiny requests on a GPU whose KV
// cache barely holds one huge one, under every policy, preemption mode,
// timing model and batcher: every run must end, with few preemptions.
func FuzzAdversarialMix(f *testing.F) {
	f.Add(uint64(1), uint8(2), uint8(3), uint8(0), uint8(0), uint8(0))
	f.Add(uint64(7), uint8(3), uint8(5), uint8(3), uint8(1), uint8(1))
	f.Add(uint64(42), uint8(1), uint8(8), uint8(5), uint8(0), uint8(1))
	f.Fuzz(func(t *testing.T, seed uint64, huge, tiny, policy, preemption, timing uint8) {
		const kv = 4096
		rng := rand.New(rand.NewPCG(seed, 0x6164766572736172))
		var specs []Spec
		for range int(huge%4) + 1 {
			specs = append(specs, Spec{Arrival: time.Duration(rng.IntN(2000)) * time.Millisecond,
				Input: kv/2 + rng.IntN(kv/2-64), Output: 1 + rng.IntN(400), Class: Class(rng.IntN(2))})
		}
		for range int(tiny % 9) {
			specs = append(specs, Spec{Arrival: time.Duration(rng.IntN(2000)) * time.Millisecond,
				Input: 1 + rng.IntN(100), Output: 1 + rng.IntN(50), Class: Class(rng.IntN(2))})
		}
		slices.SortStableFunc(specs, func(a, b Spec) int { return cmp.Compare(a.Arrival, b.Arrival) })
		names := policyNames()
		c := tinyConfig(t, names[int(policy)%len(names)], kv, specs...)
		if err := c.SetGPU("h100"); err != nil {
			t.Fatal(err)
		}
		c.GPU.VRAM = c.WeightBytes() + kv*c.Model.KVBytesPerToken() // room for about one huge request
		c.BlockSize = 16
		c.Preemption = []string{PreemptSwap, PreemptRecompute}[preemption%2]
		c.Timing = []string{"classic", "roofline"}[timing%2]
		c.Batcher = []string{"", "serial", "continuous"}[timing/2%3]
		c.MaxTicks = 0
		e, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		for steps := 0; !e.Done(); steps++ {
			if steps > 500_000 {
				t.Fatalf("%s/%s/%s/%s: not finished after %d steps", c.Scheduler, c.Preemption, c.Timing, c.BatcherInfo().Name, steps)
			}
			e.Step()
		}
		checkEnded(t, e)
	})
}
