package sim

import (
	"testing"
	"time"

	"inferplay/sim/workload"
)

// FuzzWorkloadShapes drives the traffic knobs to their extremes: gamma
// arrivals of any CV, lognormal lengths of any spread and bounds, closed
// loops of any size and think time. Every configuration is refused with a
// ConfigError or runs to its end with every request completed or rejected.
func FuzzWorkloadShapes(f *testing.F) {
	f.Add("gamma", 3.0, 6.0, 1.0, 1, 30000, 0, 0.0, "roofline", "fcfs", "swap", uint64(1))
	f.Add("poisson", 0.0, 0.0, 5.0, 1, 10_000_000, 3, 0.0, "classic", "mlfq", "recompute", uint64(2))
	f.Add("fixed", 0.0, 9.0, 0.1, 500, 600, 12, 1e6, "roofline", "skipjoin-mlfq", "recompute", uint64(3))
	f.Add("gamma", 0.01, 2.0, 2.0, 1, 5, 1, 3.6e6, "classic", "srpt", "swap", uint64(4))
	f.Fuzz(func(t *testing.T, pattern string, cv, mu, sigma float64, lo, hi, clients int, thinkMs float64,
		timing, policy, preemption string, seed uint64) {
		c, err := ScenarioConfig("mixed")
		if err != nil {
			t.Fatal(err)
		}
		c.Timing, c.Scheduler, c.Preemption, c.Seed = timing, policy, preemption, seed
		w := &c.Workload
		w.Requests, w.Pattern, w.Clients = 12, pattern, clients
		if pattern == Gamma {
			w.ArrivalCV = cv
		}
		if thinkMs >= 0 && thinkMs < 1e7 {
			w.ThinkTime = time.Duration(thinkMs * float64(time.Millisecond))
		}
		l, err := workload.LognormalMuSigma(mu, sigma, lo, hi)
		if err != nil {
			return
		}
		w.Batch.Prompt, w.Interactive.Output = l, l
		e, err := New(c)
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("not a ConfigError: %v", err)
			}
			return
		}
		for steps := 0; !e.Done(); steps++ {
			if steps > 3_000_000 {
				t.Fatal("run did not finish")
			}
			e.Step()
		}
		checkEnded(t, e)
		if e.Len() != 12 || e.Unsent() != 0 {
			t.Fatalf("%d requests, %d unsent", e.Len(), e.Unsent())
		}
	})
}
