package sim_test

import (
	"fmt"

	"inferplay/sim"
)

// Run a scenario under another policy and read its summary.
func Example() {
	cfg, err := sim.ScenarioConfig("mixed")
	if err != nil {
		panic(err)
	}
	cfg.Scheduler = "srpt"
	eng, err := sim.New(cfg)
	if err != nil {
		panic(err)
	}
	eng.Run()
	res := eng.Result()
	chat := res.Classes[sim.Interactive]
	fmt.Printf("%d of %d requests done in %d ticks\n", res.Summary.Completed, res.Summary.Requests, res.Summary.Ticks)
	fmt.Printf("interactive TTFT p99: %.0f ms\n", chat.TTFT.P99)
	// Output:
	// 60 of 60 requests done in 5894 ticks
	// interactive TTFT p99: 30 ms
}

// Step one tick at a time and react to events, as a renderer does.
func ExampleEngine_Step() {
	cfg, _ := sim.ScenarioConfig("mixed")
	eng, _ := sim.New(cfg)
	for !eng.Done() {
		for _, ev := range eng.Step() {
			if ev.Kind == sim.EvSwapOut {
				r := eng.Request(ev.Req)
				fmt.Printf("tick %d: R%d (%s, %d KV tokens) swapped to CPU memory, waiting %s for the copy\n",
					ev.Tick, ev.Req, r.Class, r.KVTokens, ev.Dur)
				return
			}
		}
	}
	// Output:
	// tick 465: R5 (batch, 18523 KV tokens) swapped to CPU memory, waiting 60ms for the copy
}
