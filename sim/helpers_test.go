package sim

import (
	"testing"
	"time"
)

// tinyConfig is Llama 3 8B at FP16 on a made-up GPU with room for exactly
// kvTokens tokens of KV cache, with block size 1 (the classic model exactly).
func tinyConfig(t testing.TB, policy string, kvTokens int, specs ...Spec) Config {
	t.Helper()
	c, err := ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	c.Scheduler = policy
	c.BlockSize = 1
	c.GPU = GPU{ID: "tiny", Name: "Tiny", VRAM: c.WeightBytes() + int64(kvTokens)*c.Model.KVBytesPerToken(),
		PCIeBW: 25 * GB}
	c.Trace = specs
	return c
}

// at is a spec arriving at the start of the given classic tick.
func at(tick, in, out int, class Class) Spec {
	return Spec{Arrival: time.Duration(tick-1) * ClassicTick, Input: in, Output: out, Class: class}
}

// runChecked runs cfg to the end, checking the block accounting after every
// tick and every invariant after every tick of small runs (on a stride on
// large ones, whose full check walks hundreds of thousands of blocks), and
// fails if it takes more than maxTicks ticks.
func runChecked(t testing.TB, cfg Config, maxTicks int) (*Engine, []Event) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var events []Event
	stride := max(1, (e.CapacityBlocks()+e.Len())/8192)
	for !e.Done() {
		if e.Tick() > maxTicks {
			t.Fatalf("run not finished after %d ticks", maxTicks)
		}
		events = append(events, e.Step()...)
		if e.HeldBlocks()+e.CachedBlocks() > e.CapacityBlocks() || e.vram.used() != e.HeldBlocks()+e.CachedBlocks() {
			t.Fatalf("tick %d: %d blocks held, %d allocated, capacity %d", e.Tick(), e.HeldBlocks(), e.vram.used(), e.CapacityBlocks())
		}
		if e.Tick()%stride == 0 || e.Done() {
			if err := e.CheckInvariants(); err != nil {
				t.Fatalf("%s/%s seed %d: %v", cfg.Scenario, cfg.Scheduler, cfg.Seed, err)
			}
		}
	}
	return e, events
}

func eventsOf(events []Event, kind EventKind, req int) []Event {
	var out []Event
	for _, ev := range events {
		if ev.Kind == kind && (req < 0 || ev.Req == req) {
			out = append(out, ev)
		}
	}
	return out
}

func policyNames() []string {
	var names []string
	for _, p := range Policies() {
		names = append(names, p.Name)
	}
	return names
}
