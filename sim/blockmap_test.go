package sim

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// An engine that only counts its blocks runs exactly as one that places
// them: the same events in every iteration, the same requests and the same
// result, under every batcher, timing model, policy and preemption mode,
// at one token per block and at sixteen.
func TestWithoutBlockMapSameRun(t *testing.T) {
	for _, b := range Batchers() {
		for _, tim := range Timings() {
			for _, pol := range policyNames() {
				for _, pre := range []string{PreemptSwap, PreemptRecompute} {
					for _, bs := range []int{1, 16} {
						name := fmt.Sprintf("%s/%s/%s/%s/block=%d", b.Name, tim.Name, pol, pre, bs)
						t.Run(name, func(t *testing.T) {
							t.Parallel()
							c, _ := ScenarioConfig("mixed")
							c.Batcher, c.Timing, c.Scheduler, c.Preemption, c.BlockSize = b.Name, tim.Name, pol, pre, bs
							if err := c.SetGPU("constrained"); err != nil {
								t.Fatal(err)
							}
							c.Workload.Requests = 120
							// A static batch admits only what fits whole,
							// and may never preempt.
							if moved := sameRunWithoutMap(t, c); moved == 0 && !b.Static {
								t.Fatal("no request lost its place in VRAM: the test exercises nothing")
							}
						})
					}
				}
			}
		}
	}
}

// sameRunWithoutMap runs c with and without a block map side by side and
// returns how many times a request lost its place in VRAM.
func sameRunWithoutMap(t *testing.T, c Config) int {
	t.Helper()
	mapped, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	counted, err := New(c, WithoutBlockMap())
	if err != nil {
		t.Fatal(err)
	}
	if !mapped.HasBlockMap() || counted.HasBlockMap() {
		t.Fatal("HasBlockMap does not tell the engines apart")
	}
	moved := 0
	for steps := 0; !mapped.Done(); steps++ {
		if steps > 1_000_000 {
			t.Fatal("not finished after a million steps")
		}
		want := slices.Clone(mapped.Step())
		got := counted.Step()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("tick %d: events\n got %+v\nwant %+v", mapped.Tick(), got, want)
		}
		if err := counted.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
		if counted.VRAMOwners().Len() != 0 || counted.CPUOwners().Len() != 0 {
			t.Fatal("an engine without a block map shows one")
		}
		for _, ev := range want {
			if ev.Kind == EvSwapOut || ev.Kind == EvDropped {
				moved++
			}
		}
	}
	if !counted.Done() || counted.Tick() != mapped.Tick() {
		t.Fatalf("the counting engine is at tick %d, done %v; the mapped one ended at %d", counted.Tick(), counted.Done(), mapped.Tick())
	}
	for id := range mapped.Len() {
		want, got := mapped.Request(id), counted.Request(id)
		if got.Blocks().Len() != want.Blocks().Len() || got.CPUBlocks().Len() != want.CPUBlocks().Len() {
			t.Fatalf("R%d holds %d+%d blocks, want %d+%d", id, got.Blocks().Len(), got.CPUBlocks().Len(), want.Blocks().Len(), want.CPUBlocks().Len())
		}
		want.blocks, want.cpuBlocks, got.blocks, got.cpuBlocks = BlockList{}, BlockList{}, BlockList{}, BlockList{}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("R%d differs:\n got %+v\nwant %+v", id, got, want)
		}
	}
	if got, want := counted.Result(), mapped.Result(); !reflect.DeepEqual(got, want) {
		t.Fatalf("results differ:\n got %+v\nwant %+v", got, want)
	}
	return moved
}

// The seed-exact mode under overload, the run the block map costs most in.
func TestWithoutBlockMapSameRunUnderOverload(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Workload.Requests, c.BlockSize, c.MaxTicks = 400, 1, 6_000
	if sameRunWithoutMap(t, c) == 0 {
		t.Fatal("no request lost its place in VRAM: the test exercises nothing")
	}
}
