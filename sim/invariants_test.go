package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// modes are the engine's ways of running: both timing models, each with
// its own batcher and with the other, both preemption modes, whole prompts, a CPU memory too small for every victim,
// and tensor parallelism.
var modes = []struct {
	name  string
	apply func(*Config)
}{
	{"classic-swap", func(*Config) {}},
	{"classic-recompute", func(c *Config) { c.Preemption = PreemptRecompute }},
	{"classic-cpu2GB", func(c *Config) { c.CPUKVBytes = 2 * GB }},
	{"roofline-swap", func(c *Config) { c.Timing = "roofline" }},
	{"roofline-recompute", func(c *Config) { c.Timing, c.Preemption = "roofline", PreemptRecompute }},
	{"roofline-cpu2GB", func(c *Config) { c.Timing, c.CPUKVBytes = "roofline", 2*GB }},
	{"roofline-whole", func(c *Config) { c.Timing, c.WholePrompts = "roofline", true }},
	{"roofline-small-batch", func(c *Config) { c.Timing, c.MaxBatchTokens, c.MaxRunning = "roofline", 300, 8 }},
	{"roofline-tp2", func(c *Config) { c.Timing, c.TP = "roofline", 2 }},
	{"roofline-serial", func(c *Config) { c.Timing, c.Batcher = "roofline", "serial" }},
	{"classic-continuous", func(c *Config) { c.Batcher = "continuous" }},
}

// Every scenario under every policy, in both timing and preemption modes
// (mixed, the scenario with the most memory pressure, in every mode), with
// vLLM's block size and (in the classic model) token-sized blocks, keeps
// every invariant after every tick and finishes.
func TestInvariantsOnEveryScenarioAndPolicy(t *testing.T) {
	for _, sc := range Scenarios() {
		for _, pol := range policyNames() {
			for _, mode := range modes {
				if sc.ID != "mixed" && mode.name != "classic-swap" && mode.name != "roofline-swap" && mode.name != "roofline-recompute" {
					continue
				}
				bs := DefaultBlockSize
				if mode.name == "classic-swap" && sc.ID != "docprocessing" {
					bs = 1
				}
				t.Run(fmt.Sprintf("%s/%s/%s/block%d", sc.ID, pol, mode.name, bs), func(t *testing.T) {
					t.Parallel()
					c := sc.Config()
					c.Scheduler, c.BlockSize = pol, bs
					mode.apply(&c)
					e, _ := runChecked(t, c, 1_000_000)
					res := e.Result().Summary
					if res.Completed+res.Rejected != res.Requests || res.Unfinished != 0 {
						t.Fatalf("finished %d+%d of %d", res.Completed, res.Rejected, res.Requests)
					}
				})
			}
		}
	}
}

// Every model on every GPU at every precision, under every policy, with
// random workloads and block sizes: every configuration that validates runs
// to the end with every invariant holding, and the others fail with a
// ConfigError.
func TestInvariantsOnEveryPreset(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ran := 0
	for _, m := range Models() {
		for _, g := range GPUs() {
			for _, p := range Precisions() {
				for _, pol := range policyNames() {
					c, _ := ScenarioConfig("mixed")
					c.Model, c.GPU, c.Precision, c.Scheduler = m, g, p, pol
					modes[rng.IntN(len(modes))].apply(&c)
					c.BlockSize = []int{1, 4, 16, 64, 256}[rng.IntN(5)]
					c.Seed = rng.Uint64()
					w := &c.Workload
					w.Requests = 1 + rng.IntN(25)
					w.InteractiveShare = rng.Float64()
					w.Rate = PerTick(0.005 + rng.Float64()*0.5)
					w.Pattern = Patterns()[rng.IntN(len(Patterns()))]
					w.Batch.Prompt = Between(1000, 1000+rng.IntN(60000))
					w.Batch.Output = Between(1, 1+rng.IntN(3000))
					if _, err := New(c); err != nil {
						if _, ok := err.(*ConfigError); !ok {
							t.Fatalf("%s on %s at %s: %v", m.ID, g.ID, p.ID, err)
						}
						continue // the weights do not fit
					}
					ran++
					runChecked(t, c, 10_000_000)
				}
			}
		}
	}
	if ran < 300 {
		t.Fatalf("only %d preset combinations ran", ran)
	}
}
