package sim

import (
	"reflect"
	"testing"
	"time"
)

// pdPair drives one prefill and one decode engine by hand, iteration by
// iteration, as a disaggregated cluster does, checking both engines'
// invariants after every iteration; halfway it clones both and runs the
// clones on too, which must end as the originals do.
func pdPair(t *testing.T, cfg Config, link string) (prefill, decode *Engine) {
	t.Helper()
	traffic, err := cfg.Workload.Generate(cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	ic, err := LookupInterconnect(link)
	if err != nil {
		t.Fatal(err)
	}
	if prefill, err = NewOpen(cfg); err != nil {
		t.Fatal(err)
	}
	prefill.SendKVOver(ic)
	dec := cfg
	dec.NoPrefixCaching = true
	if decode, err = NewOpen(dec); err != nil {
		t.Fatal(err)
	}
	step := func(e *Engine, until time.Duration) {
		for {
			if _, did := e.StepBefore(until); !did {
				return
			}
			if err := e.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
		}
	}
	var landing []Send // in flight, in the order they land
	next := 0
	for {
		until := time.Duration(MaxArrival)
		if next < len(traffic) {
			until = traffic[next].Arrival
		}
		step(prefill, until)
		landing = append(landing, prefill.TakeSent()...)
		for len(landing) > 0 && landing[0].End <= until {
			s := landing[0]
			landing = landing[1:]
			step(decode, s.End)
			if _, err := decode.SubmitHandoff(traffic[s.Req], prefill.HandoffOf(s)); err != nil {
				t.Fatal(err)
			}
		}
		if next == len(traffic) {
			break
		}
		if _, err := prefill.SubmitPrefill(traffic[next]); err != nil {
			t.Fatal(err)
		}
		next++
	}
	half := decode.Clone()
	step(decode, MaxArrival)
	half.Run()
	if !reflect.DeepEqual(half.Result(), decode.Result()) {
		t.Fatal("a clone of the decode replica ends elsewhere")
	}
	return prefill, decode
}

// Under pressure on both sides (prompts on a small GPU, decodes swapping
// or recomputing, and shared prefixes cached on the prefill replica), every
// state stays consistent at every iteration, and every prompt prefilled
// and sent is decoded whole.
func TestHandoffInvariants(t *testing.T) {
	for _, preemption := range []string{PreemptSwap, PreemptRecompute} {
		for _, policy := range []string{"fcfs", "mlfq", "srpt"} {
			cfg, err := ScenarioConfig("mixed")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Timing, cfg.Preemption, cfg.Scheduler = "roofline", preemption, policy
			cfg.Workload.Requests = 80
			cfg.Workload.System = SystemPrompts{Count: 2, Tokens: 1200, Share: 0.5}
			p, d := pdPair(t, cfg, "roce100")
			if !p.Done() || !d.Done() || p.Finished() != 80 || d.Len() != 80-p.Result().Summary.Rejected {
				t.Fatalf("%s/%s: prefill %d of %d finished, decode holds %d", preemption, policy, p.Finished(), p.Len(), d.Len())
			}
			ds := d.Result().Summary
			if ds.Completed != d.Len() || p.Result().Summary.HandedOff != d.Len() {
				t.Fatalf("%s/%s: %d decoded of %d sent", preemption, policy, ds.Completed, d.Len())
			}
			if preemption == PreemptRecompute && ds.Drops == 0 || preemption == PreemptSwap && ds.Evictions == 0 {
				t.Fatalf("%s/%s: the decode replica was never short of VRAM: %+v", preemption, policy, ds)
			}
		}
	}
}
