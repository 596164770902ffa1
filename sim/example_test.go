package sim_test

import (
	"fmt"
	"time"

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

// Drive an engine from outside, as a router does: give it each request as
// the clock reaches its arrival.
func ExampleNewOpen() {
	cfg, _ := sim.ScenarioConfig("chatbot")
	cfg.Timing = "roofline"
	eng, _ := sim.NewOpen(cfg)
	for i := range 4 {
		at := time.Duration(i) * 200 * time.Millisecond
		eng.AdvanceTo(at)
		id, _ := eng.Submit(sim.Spec{Arrival: at, Input: 1000, Output: 50, Class: sim.Interactive})
		fmt.Printf("R%d submitted at %s, engine at %s\n", id, at, eng.Now().Round(time.Millisecond))
	}
	if _, err := eng.Submit(sim.Spec{Arrival: time.Hour, Input: 10, Output: 10}); err != nil {
		fmt.Println(err)
	}
	eng.Run()
	fmt.Printf("%d of %d done\n", eng.Result().Summary.Completed, eng.Len())
	// Output:
	// R0 submitted at 0s, engine at 0s
	// R1 submitted at 200ms, engine at 202ms
	// R2 submitted at 400ms, engine at 400ms
	// R3 submitted at 600ms, engine at 604ms
	// submit: arrival 1h0m0s: the engine has work to do from 604.415582ms; advance it to the arrival first
	// 4 of 4 done
}
