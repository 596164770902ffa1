package sim

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// memoryBound is mixed on the roofline model: long batch decodes fill the
// constrained GPU's 9.5 GB of KV cache, so requests are preempted.
func memoryBound(t testing.TB, pol, preemption string, cpu int64) Config {
	t.Helper()
	c, _ := ScenarioConfig("mixed")
	c.Timing, c.Scheduler, c.Preemption, c.CPUKVBytes = "roofline", pol, preemption, cpu
	return c
}

// Swap and recompute conserve every token: each request produces exactly
// its output, one token event each, no token twice; every copy out is
// matched by a copy back; and a recomputed request prefills exactly what it
// lost.
func TestPreemptionConservesEveryToken(t *testing.T) {
	for _, pol := range policyNames() {
		for _, mode := range []struct {
			name, preemption string
			cpu              int64
		}{{"swap", PreemptSwap, 0}, {"recompute", PreemptRecompute, 0}, {"swap-cpu3GB", PreemptSwap, 3 * GB}} {
			t.Run(pol+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				e, events := runChecked(t, memoryBound(t, pol, mode.preemption, mode.cpu), 1_000_000)
				tokens := map[int]int{}
				out, in := map[int]int64{}, map[int]int64{}
				lost := map[int]int{}
				for _, ev := range events {
					switch ev.Kind {
					case EvToken:
						tokens[ev.Req]++
					case EvSwapOut:
						out[ev.Req] += ev.Bytes
					case EvSwapIn:
						in[ev.Req] += ev.Bytes
					case EvDropped:
						lost[ev.Req] += ev.Tokens
					}
				}
				preempted := 0
				for id := range e.Len() {
					r := e.Request(id)
					if r.State != Done || r.Decoded != r.Output || tokens[id] != r.Output {
						t.Fatalf("R%d %s: %d of %d tokens, %d token events", id, r.State, r.Decoded, r.Output, tokens[id])
					}
					if out[id] != in[id] || r.LinkBytes != out[id]+in[id] {
						t.Fatalf("R%d moved %d bytes out, %d back, counted %d", id, out[id], in[id], r.LinkBytes)
					}
					if r.RecomputedTokens != lost[id] {
						t.Fatalf("R%d prefilled %d tokens again, lost %d", id, r.RecomputedTokens, lost[id])
					}
					preempted += r.Evictions + r.Drops
				}
				if preempted == 0 {
					t.Fatal("nothing was preempted: the test would prove nothing")
				}
				if mode.preemption == PreemptRecompute && e.Counters().Evictions != 0 {
					t.Fatal("recompute mode swapped")
				}
			})
		}
	}
}

// A copy out frees its VRAM blocks only once it has ended: the blocks stay
// with their owner until the iteration that starts after the copy's end.
// Copies in one direction run one after another.
func TestTransfersNeverFreeBlocksEarly(t *testing.T) {
	c := memoryBound(t, "fcfs", PreemptSwap, 0)
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	ends := map[int]time.Duration{}
	completed := 0
	var lastEnd [2]time.Duration
	for !e.Done() {
		events := e.Step()
		var start time.Duration
		for _, ev := range events {
			if ev.Kind == EvIteration {
				start = ev.At
			}
		}
		for _, ev := range events {
			if ev.Kind == EvSwapOut || ev.Kind == EvSwapIn {
				dir := ToCPU
				if ev.Kind == EvSwapIn {
					dir = ToGPU
				}
				if ev.At < lastEnd[dir] {
					t.Fatalf("R%d's copy %s starts at %v, before the one ahead of it ends (%v)", ev.Req, dir, ev.At, lastEnd[dir])
				}
				lastEnd[dir] = ev.At + ev.Dur
			}
			switch ev.Kind {
			case EvSwapOut:
				ends[ev.Req] = ev.At + ev.Dur
				r := e.Request(ev.Req)
				if r.State == SwappingOut && r.Blocks().Len() == 0 {
					t.Fatalf("R%d freed its VRAM when the copy started", ev.Req)
				}
			case EvSwappedOut:
				if end, ok := ends[ev.Req]; !ok || end > start || ev.At != end {
					t.Fatalf("R%d's blocks freed at %v, its copy ends at %v (end event at %v)", ev.Req, start, end, ev.At)
				}
				completed++
			}
		}
		if err := e.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
	}
	if completed == 0 {
		t.Fatal("no copy out completed")
	}
}

// Under priority, interactive work goes first, but a stream of it that
// keeps the GPU busy cannot starve batch work: every batch request starts
// within the aging time plus the work ahead of it, while interactive
// requests are still arriving.
func TestPriorityDoesNotStarveBatch(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		c, _ := ScenarioConfig("chatbot")
		c.Timing, c.Scheduler = timing, "priority"
		c.Trace = nil
		// Interactive prompts of 4096 tokens every 100 ms for 60 s keep
		// prefill busy under both models; three batch jobs arrive early.
		for i := range 600 {
			c.Trace = append(c.Trace, Spec{Arrival: time.Duration(i) * 100 * time.Millisecond, Input: 4096, Output: 4, Class: Interactive})
		}
		for i := range 3 {
			c.Trace = append(c.Trace, Spec{Arrival: time.Duration(1+i) * time.Second, Input: 1000, Output: 4, Class: Batch})
		}
		e, _ := runChecked(t, c, 10_000_000)
		for id := range e.Len() {
			r := e.Request(id)
			if r.Class != Batch {
				continue
			}
			// Interactive requests that joined after it went first...
			overtaken := 0
			for other := range e.Len() {
				o := e.Request(other)
				if o.Class == Interactive && o.JoinedAt > r.JoinedAt && o.PrefillStartAt < r.PrefillStartAt {
					overtaken++
				}
			}
			// ... but not for long: it started while interactive work was
			// still arriving, within the aging time plus the backlog.
			wait := r.PrefillStartAt - r.JoinedAt
			if overtaken == 0 || wait > 2*PriorityAging || r.PrefillStartAt > 50*time.Second {
				t.Errorf("%s: batch R%d overtaken by %d, waited %v, started at %v", timing, id, overtaken, wait, r.PrefillStartAt)
			}
		}
	}
}

// A request preempted by recomputation prefills its prompt and the tokens
// it had produced, then goes on producing from where it was.
func TestRecomputePrefillsPromptAndOutput(t *testing.T) {
	// 1,000 tokens of KV: R0 (400 in) decodes alone, then R1 (500 in)
	// arrives; when both outgrow VRAM, fcfs under recompute drops the later
	// arrival... which is R1 unless R1 is still prefilling.
	c := tinyConfig(t, "fcfs", 1000, at(1, 400, 300, Batch), at(2, 500, 300, Interactive))
	c.Preemption = PreemptRecompute
	e, events := runChecked(t, c, 100_000)
	drops := eventsOf(events, EvDropped, -1)
	if len(drops) == 0 {
		t.Fatal("no recompute preemption")
	}
	d := drops[0]
	r := e.Request(d.Req)
	// What was dropped was the prompt and the output so far; all of it was
	// prefilled again.
	if r.RecomputedTokens < d.Tokens || r.Decoded != r.Output {
		t.Fatalf("R%d dropped %d tokens, recomputed %d, produced %d of %d", d.Req, d.Tokens, r.RecomputedTokens, r.Decoded, r.Output)
	}
	if d.Tokens <= r.Input {
		t.Fatalf("R%d dropped %d tokens, not more than its prompt (%d): the output so far was not counted", d.Req, d.Tokens, r.Input)
	}
}

// Several prompts share an iteration under chunked prefill; with whole
// prompts a long one runs in one iteration, alone.
func TestChunkedPrefillSharesIterations(t *testing.T) {
	c := rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 3, 600, 2)
	e, events := runChecked(t, c, 1000)
	if n := len(eventsOf(events[:firstOf(events, EvIteration, 2)], EvPrefillChunk, -1)); n != 3 {
		t.Fatalf("%d prompt chunks in the first iteration, want 3 (1800 of 2048 tokens)", n)
	}
	if e.Request(2).FirstTokenTick != 1 {
		t.Fatalf("third prompt's first token at tick %d, want 1", e.Request(2).FirstTokenTick)
	}

	// Two 5000-token prompts: R0's last chunk and R1's first share an
	// iteration, and no iteration exceeds the budget (a decode counts 1).
	c = rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 2, 5000, 2)
	_, events = runChecked(t, c, 1000)
	perTick, reqs := map[int]int{}, map[int]map[int]bool{}
	for _, ev := range events {
		switch ev.Kind {
		case EvPrefillChunk:
			perTick[ev.Tick] += ev.Tokens
			if reqs[ev.Tick] == nil {
				reqs[ev.Tick] = map[int]bool{}
			}
			reqs[ev.Tick][ev.Req] = true
		case EvIteration:
			if ev.Tokens > c.MaxBatchTokens {
				t.Fatalf("iteration %d ran %d tokens, budget %d", ev.Tick, ev.Tokens, c.MaxBatchTokens)
			}
		}
	}
	shared := false
	for _, r := range reqs {
		shared = shared || len(r) == 2
	}
	if !shared || perTick[1] != 2048 {
		t.Fatalf("chunks per tick %v, requests %v: want 2048 first and one iteration with both prompts", perTick, reqs)
	}
	c.WholePrompts = true
	_, events = runChecked(t, c, 1000)
	chunks := eventsOf(events, EvPrefillChunk, -1)
	if len(chunks) != 2 || chunks[0].Tokens != 5000 || chunks[0].Tick == chunks[1].Tick {
		t.Fatalf("whole prompts: %v, want two 5000-token chunks in separate iterations", chunks)
	}
}

// firstOf returns the index of the n-th event of a kind (1-based), or
// len(events).
func firstOf(events []Event, kind EventKind, n int) int {
	for i, ev := range events {
		if ev.Kind == kind {
			if n--; n == 0 {
				return i
			}
		}
	}
	return len(events)
}

// SLO attainment and goodput follow from the targets: with a TTFT target
// between two requests' TTFTs, exactly the faster one meets it.
func TestSLOAttainment(t *testing.T) {
	c := tinyConfig(t, "fcfs", 100_000, at(1, 512*4, 2, Interactive), at(1, 100, 2, Interactive))
	// Classic: R0 prefills ticks 1-4 (TTFT 60 ms), R1 tick 5 (TTFT 75 ms).
	c.SLO[Interactive] = SLO{TTFT: 70 * time.Millisecond}
	e, _ := runChecked(t, c, 100)
	s := e.Result().Summary
	if s.SLOMet != 1 || s.SLOAttainment != 0.5 {
		t.Fatalf("met %d, attainment %v; want 1 and 0.5", s.SLOMet, s.SLOAttainment)
	}
	if want := 1 / (s.SimMs / 1000); math.Abs(s.Goodput-want) > 1e-12 {
		t.Fatalf("goodput %v, want %v", s.Goodput, want)
	}
	c.SLO[Interactive] = SLO{TTFT: 70 * time.Millisecond, TBT: time.Millisecond}
	if s := mustRun(t, c).Result().Summary; s.SLOMet != 0 {
		t.Fatalf("a 1 ms TBT target is met by %d requests at 15 ms ticks", s.SLOMet)
	}
}

func mustRun(t testing.TB, c Config) *Engine {
	t.Helper()
	e, _ := runChecked(t, c, 1_000_000)
	return e
}

// A clone taken while copies are in flight finishes exactly like the
// original.
func TestCloneWithCopiesInFlight(t *testing.T) {
	e, err := New(memoryBound(t, "sjf", PreemptSwap, 0))
	if err != nil {
		t.Fatal(err)
	}
	for e.Transfers().Len() == 0 && !e.Done() {
		e.Step()
	}
	if e.Done() {
		t.Fatal("no copy ever started")
	}
	snap := e.Clone()
	e.Run()
	snap.Run()
	if a, b := fmt.Sprint(e.Result()), fmt.Sprint(snap.Result()); a != b {
		t.Fatalf("clone finished differently:\n%s\n%s", a, b)
	}
}
