package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Whole runs under the loads that stress the engine's cost: overload with
// one-token blocks, a backlog arriving at once, and a long Poisson run.
// Each must cost what its work costs, not what the queue's length or the
// run's history costs.

// BenchmarkOverloadBlockSize1 is the seed-exact mode under overload: the
// mixed scenario scaled to 5,000 requests, one-token KV blocks, stopped
// after 50,000 ticks with thousands still queued or swapped.
//
// headless is the run as infersim makes it, counting blocks; drawn places
// every block as an engine behind a picture does.
func BenchmarkOverloadBlockSize1(b *testing.B) {
	c, _ := ScenarioConfig("mixed")
	c.Workload.Requests, c.BlockSize, c.MaxTicks = 5000, 1, 50_000
	b.Run("headless", func(b *testing.B) { benchRuns(b, c) })
	b.Run("drawn", func(b *testing.B) { benchRuns(b, c, blockMap) })
}

// blockMap marks a benchmark whose engine places its blocks.
const blockMap = true

// BenchmarkBacklog is N requests arriving together on the roofline model:
// the waiting queue is N long for most of the run.
func BenchmarkBacklog(b *testing.B) {
	for _, n := range []int{10_000, 20_000, 40_000} {
		b.Run(fmt.Sprintf("fcfs/requests=%d", n), func(b *testing.B) {
			benchRuns(b, backlogConfig(n))
		})
	}
	for _, pol := range policyNames() {
		if pol == "fcfs" {
			continue
		}
		b.Run(pol+"/requests=40000", func(b *testing.B) {
			c := backlogConfig(40_000)
			c.Scheduler = pol
			benchRuns(b, c)
		})
	}
}

func backlogConfig(n int) Config {
	c, _ := ScenarioConfig("chatbot")
	c.Timing = "roofline"
	rng := rand.New(rand.NewPCG(1, 1))
	c.Trace = make([]Spec, n)
	for i := range c.Trace {
		c.Trace[i] = Spec{Input: 100 + rng.IntN(1901), Output: 50 + rng.IntN(451), Class: Batch}
	}
	return c
}

// BenchmarkPoisson100k is 100,000 Poisson arrivals at 10/s of the chatbot
// mix, Llama 3 8B FP16 on an H100, roofline: about three hours of traffic.
func BenchmarkPoisson100k(b *testing.B) {
	c, _ := ScenarioConfig("chatbot")
	c.Timing, c.Workload.Requests, c.Workload.Rate = "roofline", 100_000, 10
	benchRuns(b, c)
}

// benchRuns runs c to its end b.N times, headless as infersim runs it
// unless mapped asks for the block map a picture needs.
func benchRuns(b *testing.B, c Config, mapped ...bool) {
	b.ReportAllocs()
	var opts []Option
	if len(mapped) == 0 || !mapped[0] {
		opts = append(opts, WithoutBlockMap())
	}
	for range b.N {
		e, err := New(c, opts...)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
	}
}
