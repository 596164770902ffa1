package duel

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"inferplay/sim"
)

func base(t *testing.T) sim.Config {
	t.Helper()
	c, err := sim.ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	if err := c.SetGPU("constrained"); err != nil {
		t.Fatal(err)
	}
	return c
}

// Both halves see the same requests, arriving at the same times, and their
// clocks stay within one iteration of each other, for every kind of side.
func TestSidesSeeOneTrafficInLockstep(t *testing.T) {
	for _, spec := range []string{"fcfs,srpt", "gpu=h100,gpu=a100", "timing=classic,timing=roofline",
		"preemption=swap,preemption=recompute", "tp=1,tp=2", "max-batch-tokens=512,max-batch-tokens=8192", "prefix-caching=off,prefix-caching=on"} {
		sides, err := ParseSides(base(t), spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		d, err := New(base(t), sides)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		a, b := d.Engines[0], d.Engines[1]
		// Iterations run in the order they start, across both sides.
		var last time.Duration
		ticks := [2]int{}
		for steps := 0; !d.Done(); steps++ {
			if steps > 2_000_000 {
				t.Fatalf("%s: not done", spec)
			}
			d.Step()
			for i, e := range d.Engines {
				if e.Tick() == ticks[i] {
					continue
				}
				ticks[i] = e.Tick()
				if start := e.LastIteration().Start; start < last {
					t.Fatalf("%s: side %d ran an iteration from %s after one from %s", spec, i, start, last)
				} else {
					last = start
				}
			}
		}
		if a.Len() != b.Len() || a.Len() != base(t).Workload.Requests {
			t.Fatalf("%s: %d and %d requests", spec, a.Len(), b.Len())
		}
		for id := range a.Len() {
			ra, rb := a.Request(id), b.Request(id)
			if ra.Spec != rb.Spec {
				t.Fatalf("%s: R%d is %+v on one side, %+v on the other", spec, id, ra.Spec, rb.Spec)
			}
		}
	}
}

// A duel of a setting against itself gives identical halves, and each half
// is the run its configuration gives alone.
func TestDuelAgainstItselfIsIdentical(t *testing.T) {
	sides, err := ParseSides(base(t), "mlfq,mlfq")
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(base(t), sides)
	if err != nil {
		t.Fatal(err)
	}
	d.Run()
	ra, rb := d.Engines[0].Result(), d.Engines[1].Result()
	if !reflect.DeepEqual(ra, rb) {
		t.Fatalf("halves differ:\n%+v\n%+v", ra.Summary, rb.Summary)
	}
	alone, _ := sim.New(sides[0].Config)
	alone.Run()
	if !reflect.DeepEqual(alone.Result(), ra) {
		t.Fatal("a half differs from its configuration run alone")
	}
}

func TestBadSidesAreOneLine(t *testing.T) {
	for _, spec := range []string{"", "fcfs", "fcfs,srpt,mlfq", "fcfs,nosuch", "gpu=nosuch,fcfs", "tp=3,tp=1",
		"seed=1,seed=2", "max-batch-tokens=0,fcfs", "chunked-prefill=maybe,fcfs", "gpu=,fcfs", "color=red,fcfs"} {
		_, err := ParseSides(base(t), spec)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "duel: ") {
			t.Errorf("%q: %v", spec, err)
		}
	}
}
