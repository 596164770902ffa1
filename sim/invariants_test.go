package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Every scenario under every policy, with vLLM's block size and with
// token-sized blocks, keeps every invariant after every tick and finishes.
func TestInvariantsOnEveryScenarioAndPolicy(t *testing.T) {
	for _, sc := range Scenarios() {
		for _, pol := range policyNames() {
			for _, bs := range []int{1, DefaultBlockSize} {
				t.Run(fmt.Sprintf("%s/%s/block%d", sc.ID, pol, bs), func(t *testing.T) {
					t.Parallel()
					c := sc.Config()
					c.Scheduler, c.BlockSize = pol, bs
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

// Random presets, workloads, policies and block sizes: every configuration
// that validates runs to the end with every invariant holding.
func TestInvariantsOnRandomConfigs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(n int) int { return rng.IntN(n) }
	ran := 0
	for i := 0; i < 200; i++ {
		c, _ := ScenarioConfig("mixed")
		c.Model = models[pick(len(models))]
		c.GPU = gpus[pick(len(gpus))]
		c.Precision = precisions[pick(len(precisions))]
		c.Scheduler = policyNames()[pick(len(policies))]
		c.BlockSize = []int{1, 4, 16, 64, 256}[pick(5)]
		c.Seed = rng.Uint64()
		w := &c.Workload
		w.Requests = 1 + pick(30)
		w.InteractiveShare = rng.Float64()
		w.Rate = PerTick(0.005 + rng.Float64()*0.5)
		w.Pattern = patterns[pick(len(patterns))]
		w.Batch.Prompt = Range{1000, 1000 + pick(60000)}
		w.Batch.Output = Range{1, 1 + pick(3000)}
		if _, err := New(c); err != nil {
			continue // e.g. the weights do not fit; covered by config tests
		}
		ran++
		runChecked(t, c, 10_000_000)
	}
	if ran < 80 {
		t.Fatalf("only %d of 200 random configs were valid", ran)
	}
}
