package sim

import (
	"fmt"
	"testing"
	"time"
)

// Every batcher under every timing model, policy and preemption mode, on a
// GPU small enough that VRAM overflows: the invariants hold after every
// single tick, every copy's start event is answered by an end event that
// agrees with it, and the run finishes.
func TestEveryBatcherTimingPolicyAndPreemption(t *testing.T) {
	for _, b := range Batchers() {
		for _, tim := range Timings() {
			for _, pol := range policyNames() {
				for _, pre := range []string{PreemptSwap, PreemptRecompute} {
					name := fmt.Sprintf("%s/%s/%s/%s", b.Name, tim.Name, pol, pre)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						c, _ := ScenarioConfig("mixed")
						c.Batcher, c.Timing, c.Scheduler, c.Preemption = b.Name, tim.Name, pol, pre
						if err := c.SetGPU("constrained"); err != nil {
							t.Fatal(err)
						}
						c.Workload.Requests = 150
						e, err := New(c)
						if err != nil {
							t.Fatal(err)
						}
						var copies copyLog
						for steps := 0; !e.Done(); steps++ {
							if steps > 1_000_000 {
								t.Fatal("not finished after a million steps")
							}
							for _, ev := range e.Step() {
								if err := copies.observe(ev, e.Now()); err != nil {
									t.Fatalf("tick %d: %v", e.Tick(), err)
								}
							}
							if err := e.CheckInvariants(); err != nil {
								t.Fatalf("tick %d: %v", e.Tick(), err)
							}
						}
						checkEnded(t, e)
						if len(copies.open) > 0 {
							t.Fatalf("copies never landed: %v", copies.open)
						}
						if pre == PreemptSwap && copies.landed == 0 {
							t.Fatal("no copy in the run: the test exercises nothing")
						}
					})
				}
			}
		}
	}
}

// copyLog pairs each copy's start event with its end event.
type copyLog struct {
	open   map[int]Event // by request: the copy under way
	landed int
}

func (l *copyLog) observe(ev Event, now time.Duration) error {
	if l.open == nil {
		l.open = map[int]Event{}
	}
	switch ev.Kind {
	case EvSwapOut, EvSwapIn:
		if prev, ok := l.open[ev.Req]; ok {
			return fmt.Errorf("R%d: %v starts while %v has not landed", ev.Req, ev, prev)
		}
		if ev.Bytes <= 0 || ev.Dur < 0 {
			return fmt.Errorf("R%d: %v has no bytes or a negative duration", ev.Req, ev)
		}
		l.open[ev.Req] = ev
	case EvSwappedOut, EvSwappedIn:
		start, ok := l.open[ev.Req]
		want := map[EventKind]EventKind{EvSwappedOut: EvSwapOut, EvSwappedIn: EvSwapIn}[ev.Kind]
		switch {
		case !ok || start.Kind != want:
			return fmt.Errorf("R%d: %v ends a copy that never started", ev.Req, ev)
		case ev.Bytes != start.Bytes || ev.Dur != start.Dur || ev.At != start.At+start.Dur:
			return fmt.Errorf("R%d: %v does not end %v", ev.Req, ev, start)
		case ev.At > now:
			return fmt.Errorf("R%d: %v told before it happened (now %s)", ev.Req, ev, now)
		}
		delete(l.open, ev.Req)
		l.landed++
	}
	return nil
}
