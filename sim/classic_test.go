package sim

import (
	"math"
	"testing"
)

// A single request, worked by hand: prompt 1000 takes chunks of 512 and 488
// (ticks 1 and 2); its first token is stamped at tick 2, where it also
// decodes its first output token; tokens 2 and 3 come at ticks 3 and 4.
func TestClassicSingleRequestByHand(t *testing.T) {
	e, events := runChecked(t, tinyConfig(t, "fcfs", 100000, at(1, 1000, 3, Interactive)), 10)
	r := e.Request(0)
	if r.ArrivalTick != 1 || r.PrefillStartTick != 1 || r.FirstTokenTick != 2 || r.CompletionTick != 4 {
		t.Fatalf("ticks: arrival %d prefill %d first %d done %d, want 1 1 2 4",
			r.ArrivalTick, r.PrefillStartTick, r.FirstTokenTick, r.CompletionTick)
	}
	chunks := eventsOf(events, EvPrefillChunk, 0)
	if len(chunks) != 2 || chunks[0].Tokens != 512 || chunks[1].Tokens != 488 {
		t.Fatalf("chunks %v, want 512 then 488", chunks)
	}
	m := r.Metrics()
	// TTFT = (2-1+1)×15, TBT = (4-2)/(3-1)×15, E2E = (4-1+1)×15.
	if m.TTFT != 30 || m.TBT != 15 || m.E2E != 60 || m.QueueWait != 0 {
		t.Fatalf("metrics %+v, want TTFT 30 TBT 15 E2E 60 wait 0", m)
	}
	if e.Tick() != 4 || e.Now() != 4*ClassicTick {
		t.Fatalf("ended at tick %d (%v)", e.Tick(), e.Now())
	}
}

// A request with arrival tick 0 joins at tick 1; one arriving between tick
// starts joins at the next tick.
func TestArrivalTicks(t *testing.T) {
	c := tinyConfig(t, "fcfs", 100000,
		Spec{Arrival: 0, Input: 10, Output: 1},
		Spec{Arrival: ClassicTick / 2, Input: 10, Output: 1},
		Spec{Arrival: 3 * ClassicTick, Input: 10, Output: 1})
	e, _ := runChecked(t, c, 10)
	for id, want := range []int{1, 2, 4} {
		if got := e.Request(id).ArrivalTick; got != want {
			t.Errorf("R%d joined at tick %d, want %d", id, got, want)
		}
		// A one-token answer is done in the tick its prompt finishes.
		if r := e.Request(id); r.CompletionTick != r.FirstTokenTick || r.Metrics().TTFT != 15 {
			t.Errorf("R%d: first %d, done %d, TTFT %v", id, r.FirstTokenTick, r.CompletionTick, r.Metrics().TTFT)
		}
	}
}

// Two long decodes outgrow a small VRAM: the larger is swapped out with a
// penalty of ceil(bytes / PCIe bytes per tick) and resumes once it has
// passed and there is room.
func TestClassicEvictionAndPenalty(t *testing.T) {
	// Capacity 1200 tokens. R0: 600 + 400 out; R1: 500 + 400 out.
	c := tinyConfig(t, "fcfs", 1200, at(1, 600, 400, Batch), at(1, 500, 400, Batch))
	e, events := runChecked(t, c, 5000)
	outs := eventsOf(events, EvSwapOut, -1)
	if len(outs) == 0 {
		t.Fatal("no eviction although 1000+900 tokens exceed 1200")
	}
	first := outs[0]
	// R0's prompt takes ticks 1-2 and it decodes from tick 2; R1's takes
	// tick 3 and it decodes from tick 3. KV after tick k >= 3: R0 = 600 +
	// (k-1), R1 = 500 + (k-2), together 1097 + 2k, above 1200 first at
	// k = 52. The victim is the larger, R0.
	if first.Tick != 52 || first.Req != 0 {
		t.Fatalf("first eviction %v, want R0 at tick 52", first)
	}
	// R0 holds 600+51 = 651 tokens × 131072 B = 85,327,872 B; at 25 GB/s a
	// 15 ms tick moves 375,000,000 B, so the penalty is 1 tick.
	if first.Bytes != 651*131072 || first.Dur != ClassicTick || first.At != 52*ClassicTick {
		t.Fatalf("swap %d bytes, copy %s from %s; want %d bytes, one tick from the end of tick 52", first.Bytes, first.Dur, first.At, 651*131072)
	}
	r0 := e.Request(0)
	if r0.Evictions < 1 || r0.SwappedTicks < 1 || r0.State != Done {
		t.Fatalf("R0 evictions %d swapped %d state %s", r0.Evictions, r0.SwappedTicks, r0.State)
	}
	ins := eventsOf(events, EvSwapIn, 0)
	if len(ins) == 0 || ins[0].Tick < first.Tick+2 {
		t.Fatalf("R0 swap-ins %v: must wait the penalty (tick %d) and resume no earlier than %d", ins, first.Tick+1, first.Tick+2)
	}
}

func TestPenaltyIsExactAndAtLeastOne(t *testing.T) {
	e, err := New(tinyConfig(t, "fcfs", 100, at(1, 1, 1, Interactive)))
	if err != nil {
		t.Fatal(err)
	}
	per := e.pcieBytesPerTick // 25e9 × 0.015 = 375e6
	if per != 375_000_000 {
		t.Fatalf("bytes per tick %d", per)
	}
	for _, c := range []struct {
		bytes int64
		want  int
	}{{1, 1}, {per, 1}, {per + 1, 2}, {10 * per, 10}, {math.MaxInt64, int(uint64(math.MaxInt64)/uint64(per)) + 1}} {
		if got := e.penaltyTicks(c.bytes); got != c.want {
			t.Errorf("penalty(%d) = %d, want %d", c.bytes, got, c.want)
		}
	}
}

func TestImpossibleRequestIsRejected(t *testing.T) {
	c := tinyConfig(t, "fcfs", 1000, at(1, 900, 101, Batch), at(1, 900, 100, Batch), at(2, 50, 5, Interactive))
	e, events := runChecked(t, c, 5000)
	if r := e.Request(0); r.State != Rejected || r.Reason == "" {
		t.Fatalf("R0 (1001 tokens in a 1000-token VRAM) is %s, reason %q", r.State, r.Reason)
	}
	if len(eventsOf(events, EvRejected, 0)) != 1 {
		t.Fatal("no rejected event")
	}
	for id := 1; id < 3; id++ {
		if s := e.Request(id).State; s != Done {
			t.Fatalf("R%d is %s", id, s)
		}
	}
	res := e.Result()
	if res.Summary.Rejected != 1 || res.Summary.Completed != 2 || res.Classes[Batch].Rejected != 1 {
		t.Fatalf("summary %+v", res.Summary)
	}
}

// Long gaps between arrivals are skipped, not stepped through, and do not
// change when requests join.
func TestIdleGapsAreSkipped(t *testing.T) {
	far := 1_000_000_000
	c := tinyConfig(t, "fcfs", 1000, at(1, 10, 2, Interactive), at(far, 10, 2, Interactive))
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for !e.Done() {
		e.Step()
		steps++
	}
	if steps > 10 {
		t.Fatalf("took %d steps", steps)
	}
	if r := e.Request(1); r.ArrivalTick != far || r.CompletionTick != far+1 || r.Metrics().TTFT != 15 {
		t.Fatalf("R1 joined %d done %d TTFT %v", r.ArrivalTick, r.CompletionTick, r.Metrics().TTFT)
	}
}

// With KV blocks larger than a token, sizes round up to whole blocks.
func TestBlocksRoundUp(t *testing.T) {
	c := tinyConfig(t, "fcfs", 64, at(1, 17, 2, Interactive))
	c.BlockSize = 16 // capacity 4 blocks
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.Step() // prefill 17 tokens (2 blocks), decode 1 -> 18 tokens
	if e.HeldBlocks() != 2 || e.Request(0).Blocks().Len() != 2 {
		t.Fatalf("held %d blocks, owns %v", e.HeldBlocks(), e.Request(0).Blocks())
	}
	owners := e.VRAMOwners()
	if owners.At(0) != 0 || owners.At(1) != 0 || owners.At(2) != -1 {
		t.Fatalf("owners %v", owners.Clone()[:3])
	}
	// 17+2 = 19 tokens = 2 blocks fits; 4×16 = 64 tokens would not be
	// rejected; 65 would.
	c.Trace = []Spec{at(1, 60, 5, Batch)}
	e2, _ := runChecked(t, c, 100)
	if e2.Request(0).State != Rejected {
		t.Fatal("65 tokens in 4 blocks of 16 should be rejected")
	}
}

// -max-ticks stops a run where it says, even across an idle stretch, and
// the result counts what was left.
func TestMaxTicksStopsTheRun(t *testing.T) {
	c := tinyConfig(t, "fcfs", 1000, at(1, 10, 500, Interactive), at(10_000, 10, 2, Interactive))
	c.MaxTicks = 100
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.Run()
	if e.Tick() != 100 || e.Done() {
		t.Fatalf("stopped at tick %d, done %v", e.Tick(), e.Done())
	}
	if res := e.Result().Summary; res.Unfinished != 2 || res.Completed != 0 {
		t.Fatalf("summary %+v", res)
	}
	c.MaxTicks = 600
	e, _ = New(c)
	e.Run()
	if e.Tick() != 600 || e.Request(0).State != Done || e.Len() != 1 || e.Unsent() != 1 {
		t.Fatalf("tick %d, R0 %s, %d requests in, %d to come", e.Tick(), e.Request(0).State, e.Len(), e.Unsent())
	}
}
