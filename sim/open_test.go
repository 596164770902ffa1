package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// pressured is the mixed scenario on a GPU small enough that VRAM runs out.
func pressured(t *testing.T, batcher, timing, policy string) Config {
	t.Helper()
	c, _ := ScenarioConfig("mixed")
	c.Batcher, c.Timing, c.Scheduler = batcher, timing, policy
	if err := c.SetGPU("constrained"); err != nil {
		t.Fatal(err)
	}
	c.Workload.Requests = 120
	return c
}

// sameRun fails unless two engines ran the same requests the same way.
func sameRun(t *testing.T, a, b *Engine) {
	t.Helper()
	if a.Len() != b.Len() || a.Tick() != b.Tick() || a.Now() != b.Now() {
		t.Fatalf("%d requests, tick %d at %s; want %d, tick %d at %s", b.Len(), b.Tick(), b.Now(), a.Len(), a.Tick(), a.Now())
	}
	for id := range a.Len() {
		ra, rb := a.Request(id), b.Request(id)
		ra.tag, rb.tag = 0, 0
		if !slices.Equal(ra.blocks.runs, rb.blocks.runs) || !slices.Equal(ra.cpuBlocks.runs, rb.cpuBlocks.runs) {
			t.Fatalf("R%d owns blocks %v and %v, want %v and %v", id, rb.blocks.runs, rb.cpuBlocks.runs, ra.blocks.runs, ra.cpuBlocks.runs)
		}
		// The room kept in the lists may differ.
		ra.blocks, rb.blocks, ra.cpuBlocks, rb.cpuBlocks = BlockList{}, BlockList{}, BlockList{}, BlockList{}
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("R%d differs:\n got %+v\nwant %+v", id, rb, ra)
		}
	}
	if ra, rb := a.Result(), b.Result(); !reflect.DeepEqual(ra, rb) {
		t.Fatalf("results differ:\n got %+v\nwant %+v", rb, ra)
	}
}

// An open engine given the requests one by one, each as the clock reaches
// its arrival, runs exactly as the engine that has them as its own
// workload: under every batcher and timing model.
func TestSubmittedRequestsRunAsTheEnginesOwn(t *testing.T) {
	for _, b := range Batchers() {
		for _, tim := range Timings() {
			for _, pol := range []string{"fcfs", "mlfq", "priority"} {
				t.Run(fmt.Sprintf("%s/%s/%s", b.Name, tim.Name, pol), func(t *testing.T) {
					t.Parallel()
					c := pressured(t, b.Name, tim.Name, pol)
					own, err := New(c)
					if err != nil {
						t.Fatal(err)
					}
					own.Run()
					checkEnded(t, own)

					open, err := NewOpen(c)
					if err != nil {
						t.Fatal(err)
					}
					specs, _ := c.specs()
					for _, s := range specs {
						open.AdvanceTo(s.Arrival)
						if _, err := open.Submit(s); err != nil {
							t.Fatal(err)
						}
						if err := open.CheckInvariants(); err != nil {
							t.Fatal(err)
						}
					}
					open.Run()
					sameRun(t, own, open)
				})
			}
		}
	}
}

// Two engines on one clock, the way a side-by-side comparison drives them:
// each is advanced until it is done, and ends as it would alone.
func TestTwoEnginesOnOneClock(t *testing.T) {
	a := pressured(t, "", "roofline", "fcfs")
	b := pressured(t, "", "roofline", "srpt")
	alone := func(c Config) *Engine {
		e, _ := New(c)
		e.Run()
		return e
	}
	ea, _ := New(a)
	eb, _ := New(b)
	var clock time.Duration
	for !ea.Done() || !eb.Done() {
		clock += 250 * time.Millisecond
		for _, e := range []*Engine{ea, eb} {
			if e.Done() {
				continue // its summary covers its own run, not the other's
			}
			e.AdvanceTo(clock)
			if at, ok := e.NextEvent(); ok && at < clock {
				t.Fatalf("an engine still has work at %s, before the clock %s", at, clock)
			}
		}
	}
	sameRun(t, alone(a), ea)
	sameRun(t, alone(b), eb)
}

// Requests submitted into an engine with a workload of its own take their
// place among its requests by arrival, and every request finishes.
func TestSubmitBesideTheEnginesOwnWorkload(t *testing.T) {
	c := pressured(t, "", "roofline", "fcfs")
	e, _ := New(c)
	var mine []int
	for i := range 20 {
		e.AdvanceTo(time.Duration(i) * 2 * time.Second)
		id, err := e.Submit(Spec{Arrival: e.Now(), Input: 300, Output: 40, Class: Interactive})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, id)
	}
	e.Run()
	checkEnded(t, e)
	if e.Len() != c.Workload.Requests+20 {
		t.Fatalf("%d requests, want %d", e.Len(), c.Workload.Requests+20)
	}
	for id := 1; id < e.Len(); id++ {
		if e.Request(id).Arrival < e.Request(id-1).Arrival {
			t.Fatalf("R%d arrives before R%d", id, id-1)
		}
	}
	for _, id := range mine {
		if r := e.Request(id); r.State != Done || r.Input != 300 {
			t.Fatalf("submitted R%d: %s, %d tokens", id, r.State, r.Input)
		}
	}
}

// Submit refuses what is not a request, in one line, and takes a request
// too large for VRAM only to reject it with its reason.
func TestSubmitRefusesWhatIsNotARequest(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Timing = "roofline"
	e, err := NewOpen(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Submit(Spec{Arrival: time.Second, Input: 100, Output: 10}); err != nil || e.Now() != time.Second {
		t.Fatalf("an idle engine took a request at 1s: %v, clock %s", err, e.Now())
	}
	for _, tc := range []struct {
		s    Spec
		want string
	}{
		{Spec{Arrival: time.Second, Input: 0, Output: 5}, "input_tokens 0"},
		{Spec{Arrival: time.Second, Input: 5, Output: MaxTokens + 1}, "output_tokens"},
		{Spec{Arrival: time.Second, Input: 5, Output: 5, Class: 7}, "class 7"},
		{Spec{Arrival: 2 * time.Second, Input: 5, Output: 5}, "advance it to the arrival first"},
	} {
		_, err := e.Submit(tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v, want one line about %q", tc.s, err, tc.want)
		}
	}
	id, err := e.Submit(Spec{Arrival: time.Second, Input: MaxTokens, Output: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.Run()
	if r := e.Request(id); r.State != Rejected || r.Reason == "" || !e.Done() || e.Stuck() != "" {
		t.Fatalf("huge request %s (%q), done %v, stuck %q", r.State, r.Reason, e.Done(), e.Stuck())
	}
}

// FuzzSubmitted drives an open engine as a router would, with requests of
// any size at any times and advances of any length, under every batcher,
// timing model, policy and preemption mode: whatever it is given, it is
// taken or refused in one line, and every request taken finishes.
func FuzzSubmitted(f *testing.F) {
	f.Add(uint64(1), []byte{10, 200, 3, 40, 0, 90, 9, 9, 250, 1}, uint8(0))
	f.Add(uint64(5), []byte{255, 255, 255, 0, 0, 0, 1, 2, 3, 4, 5, 6}, uint8(13))
	f.Fuzz(func(t *testing.T, seed uint64, steps []byte, mode uint8) {
		names := policyNames()
		c, _ := ScenarioConfig("mixed")
		c.Scheduler = names[int(seed)%len(names)]
		c.Timing = []string{"classic", "roofline"}[mode%2]
		c.Batcher = []string{"serial", "continuous"}[mode/2%2]
		c.Preemption = []string{PreemptSwap, PreemptRecompute}[mode/4%2]
		if err := c.SetGPU("constrained"); err != nil {
			t.Fatal(err)
		}
		e, err := NewOpen(c)
		if err != nil {
			t.Fatal(err)
		}
		taken := 0
		for i := 0; i+2 < len(steps) && i < 300; i += 3 {
			e.AdvanceTo(e.Now() + time.Duration(steps[i])*20*time.Millisecond)
			in := int(steps[i+1])*int(steps[i+1])*4 + 1 // up to 260,101 tokens: some never fit
			out := int(steps[i+2])*8 + 1
			if _, err := e.Submit(Spec{Arrival: e.Now(), Input: in, Output: out, Class: Class(steps[i+2] % 2)}); err != nil {
				t.Fatal(err) // a well-formed request at the clock is always taken
			}
			taken++
		}
		for n := 0; !e.Done(); n++ {
			if n > 2_000_000 {
				t.Fatal("not finished after two million steps")
			}
			e.Step()
		}
		checkEnded(t, e)
		if e.Len() != taken {
			t.Fatalf("%d requests in the engine, %d submitted", e.Len(), taken)
		}
	})
}

// A wait for a copy cut short at a driver's horizon is remembered: the
// engine's next event is then when the wait ends, not its clock, so that a
// driver merging engines by their next events skips the wait instead of
// crawling through it; and the run is still the run alone.
func TestNextEventAfterACutWait(t *testing.T) {
	cut := 0
	for _, batcher := range []string{"serial", "continuous"} {
		c := pressured(t, batcher, "roofline", "fcfs")
		alone, _ := New(c)
		alone.Run()
		e, _ := New(c)
		for steps := 0; !e.Done(); steps++ {
			if steps > 1_000_000 {
				t.Fatal("not done after a million steps")
			}
			at, ok := e.NextEvent()
			if !ok {
				t.Fatalf("%s: no next event before the end", batcher)
			}
			e.StepBefore(at + time.Millisecond)
			if e.waitEnd > e.now {
				// The wait ended beyond the horizon.
				if next, _ := e.NextEvent(); next != e.waitEnd {
					t.Fatalf("%s: after a wait cut at %s the next event is %s, not its end %s", batcher, e.Now(), next, e.waitEnd)
				}
				cut++
			}
		}
		sameRun(t, alone, e)
	}
	if cut == 0 {
		t.Fatal("no wait was cut short: the test exercises nothing")
	}
}
