package cluster

import (
	"strings"
	"testing"

	"inferplay/sim"
)

// FuzzCluster: any shape of traffic, pool sizes, link, router, policy and
// preemption either is refused in one line or runs to the end, every
// request answered (completed or rejected): never a panic, a stuck replica
// or a request lost between the pools.
func FuzzCluster(f *testing.F) {
	f.Add(uint64(1), 20, 100, 500, 10, 50, 2.0, "h100", 1, 1, "ib400", "swap", "fcfs", "round-robin")
	f.Add(uint64(2), 30, 2000, 20000, 100, 400, 50.0, "constrained", 2, 1, "roce100", "recompute", "mlfq", "least-kv")
	f.Add(uint64(3), 25, 1, 3, 1, 1, 1e6, "l4", 1, 3, "nvlink", "swap", "srpt", "prefix-affinity")
	f.Add(uint64(4), 15, 9000, 12000, 1000, 3000, 20.0, "constrained", 3, 2, "ib400", "swap", "sjf", "least-requests")
	f.Add(uint64(5), 20, 300, 3000, 10, 200, 30.0, "constrained", 0, 4, "ib400", "recompute", "priority", "power-of-two")
	f.Fuzz(func(t *testing.T, seed uint64, requests, pmin, pmax, omin, omax int, rate float64, gpu string,
		prefill, decode int, link, preemption, policy, router string) {
		c, err := sim.ScenarioConfig("mixed")
		if err != nil {
			t.Fatal(err)
		}
		c.Timing, c.Preemption, c.Scheduler, c.Seed = "roofline", preemption, policy, seed
		if c.SetGPU(gpu) != nil {
			return
		}
		c.Workload = sim.Workload{Requests: requests, InteractiveShare: 0.5, Rate: rate, Pattern: "poisson",
			Interactive: sim.Shape{Prompt: sim.Between(pmin, pmax), Output: sim.Between(omin, omax)},
			Batch:       sim.Shape{Prompt: sim.Between(pmin, pmax), Output: sim.Between(omin, omax)}}
		if seed%2 == 1 {
			c.Workload.System = sim.SystemPrompts{Count: 1 + int(seed%3), Tokens: pmin, Share: 0.6}
		}
		if requests > 40 || pmax > 100_000 || omax > 5_000 || prefill > 8 || decode > 8 {
			return // too long a run for a fuzz iteration
		}
		ic, err := sim.LookupInterconnect(link)
		var cl *Cluster
		switch {
		case err != nil:
			cl, err = New(c, decode, router, 0) // a name that is no link: co-located replicas
		default:
			cl, err = NewDisaggregated(c, prefill, decode, router, 0, ic)
		}
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := cl.Run(); err != nil {
			t.Fatalf("run: %v", err)
		}
		for i, e := range cl.Engines {
			if !e.Done() || e.Stuck() != "" {
				t.Fatalf("replica %d not done: %s", i, e.Stuck())
			}
			if err := e.CheckInvariants(); err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		s := cl.Result().Summary
		if s.Requests != cl.Len() || s.Completed+s.Rejected != cl.Len() {
			t.Fatalf("%d requests: %d in the summary, %d completed, %d rejected", cl.Len(), s.Requests, s.Completed, s.Rejected)
		}
	})
}
