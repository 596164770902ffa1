package cluster

import (
	"fmt"
	"testing"

	"inferplay/sim"
)

// BenchmarkCluster is 100,000 chatbot requests at 200 a second on 16
// replicas of an H100 behind each kind of router, on the roofline model,
// as infersim runs it (blocks counted, not placed).
func BenchmarkCluster(b *testing.B) {
	for _, router := range []string{"round-robin", "least-requests", "prefix-affinity"} {
		b.Run(fmt.Sprintf("replicas=16/requests=100000/%s", router), func(b *testing.B) {
			c, _ := sim.ScenarioConfig("chatbot")
			c.Timing = "roofline"
			c.Workload.Requests, c.Workload.Rate = 100_000, 200
			c.Workload.System = sim.SystemPrompts{Count: 16, Tokens: 1000, Share: 0.5}
			b.ReportAllocs()
			for range b.N {
				cl, err := New(c, 16, router, 0, sim.WithoutBlockMap())
				if err != nil {
					b.Fatal(err)
				}
				if err := cl.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDisaggregated is the same traffic on 8 prefill and 8 decode
// replicas over InfiniBand: every request crosses from one pool to the
// other.
func BenchmarkDisaggregated(b *testing.B) {
	c, _ := sim.ScenarioConfig("chatbot")
	c.Timing = "roofline"
	c.Workload.Requests, c.Workload.Rate = 100_000, 200
	c.Workload.System = sim.SystemPrompts{Count: 16, Tokens: 1000, Share: 0.5}
	ic, _ := sim.LookupInterconnect("ib400")
	b.ReportAllocs()
	for range b.N {
		cl, err := NewDisaggregated(c, 8, 8, "least-requests", 0, ic, sim.WithoutBlockMap())
		if err != nil {
			b.Fatal(err)
		}
		if err := cl.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoutingCost is 20,000 one-token answers at 20 a second, on 4
// and on 256 replicas: each request is one iteration however many
// replicas there are, so what grows with them is the routing. A blind router (round-robin) costs the same on 256 as on
// 4; one that reads the replicas' load pays for bringing each of them up
// to every arrival.
func BenchmarkRoutingCost(b *testing.B) {
	for _, router := range []string{"round-robin", "least-requests"} {
		for _, n := range []int{4, 256} {
			b.Run(fmt.Sprintf("%s/replicas=%d", router, n), func(b *testing.B) {
				c, _ := sim.ScenarioConfig("chatbot")
				c.Timing = "roofline"
				c.Workload.Requests, c.Workload.Rate, c.Workload.InteractiveShare = 20_000, 20, 1
				c.Workload.Interactive = sim.Shape{Prompt: sim.Between(100, 500), Output: sim.Between(1, 1)}
				b.ReportAllocs()
				for range b.N {
					cl, err := New(c, n, router, 0, sim.WithoutBlockMap())
					if err != nil {
						b.Fatal(err)
					}
					if err := cl.Run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
