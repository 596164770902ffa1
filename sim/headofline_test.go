package sim

import "testing"

// The point of the whole project: on mixed traffic, FCFS makes chat wait
// behind long batch prompts. MLFQ and SRPT let short prompts through, so
// the interactive p99 TTFT drops by a large factor, whatever the seed.
func TestMLFQAndSRPTCutInteractiveTailOnMixed(t *testing.T) {
	const seeds = 100
	for seed := uint64(0); seed < seeds; seed++ {
		p99 := map[string]float64{}
		for _, pol := range []string{"fcfs", "mlfq", "srpt"} {
			c, _ := ScenarioConfig("mixed")
			c.Seed, c.Scheduler = seed, pol
			_, res := runResult(t, c)
			p99[pol] = res.Classes[Interactive].TTFT.P99
		}
		for _, pol := range []string{"mlfq", "srpt"} {
			if p99[pol]*3 > p99["fcfs"] {
				t.Errorf("seed %d: interactive p99 TTFT %s %.0f ms vs fcfs %.0f ms, want at least 3× lower",
					seed, pol, p99[pol], p99["fcfs"])
			}
		}
	}
}

// The rag scenario's lesson: when every prompt is long, SRPT buys a much
// lower median TTFT with a much higher tail. Averaged over seeds so that
// the claim in its description holds for the scenario, not for one draw.
func TestRAGSRPTTradesTailForMedian(t *testing.T) {
	const seeds = 20
	avg := map[string]Dist{}
	for _, pol := range []string{"fcfs", "srpt"} {
		for seed := uint64(0); seed < seeds; seed++ {
			c, _ := ScenarioConfig("rag")
			c.Seed, c.Scheduler = seed, pol
			_, res := runResult(t, c)
			d := avg[pol]
			d.P50 += res.Summary.TTFT.P50 / seeds
			d.P99 += res.Summary.TTFT.P99 / seeds
			avg[pol] = d
		}
	}
	f, s := avg["fcfs"], avg["srpt"]
	if s.P50 > 0.6*f.P50 || s.P99 < 2*f.P99 {
		t.Fatalf("rag TTFT fcfs p50 %.0f p99 %.0f, srpt p50 %.0f p99 %.0f: want srpt's median well below and tail well above",
			f.P50, f.P99, s.P50, s.P99)
	}
}
