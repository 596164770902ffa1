package lesson

import (
	"testing"

	"inferplay/sim"
)

// The playground's beats show their lessons on the tour's timing model, the
// roofline one: the default run has a moment of head-of-line blocking and a
// swap, and the policy its comparison beat switches to serves the chats
// several times faster than FCFS, as the contention scene taught.
func TestPlaygroundLessonsShowOnRoofline(t *testing.T) {
	c, err := sim.ScenarioConfig(sim.DefaultScenario)
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	b, ok := FindBlocking(c)
	if !ok || len(b.Chats) < 3 || b.Longest < 2e9 {
		t.Fatalf("blocking moment: %+v, found %v; want 3 or more chats waiting, the first for 2 s or more", b, ok)
	}
	s, ok := FindFirstSwap(c)
	if !ok || s.Bytes <= 0 {
		t.Fatalf("first swap: %+v, found %v", s, ok)
	}
	whole := func(scheduler string) sim.Result {
		c.Scheduler = scheduler
		e, err := sim.New(c, sim.WithoutBlockMap())
		if err != nil {
			t.Fatal(err)
		}
		e.Run()
		return e.Result()
	}
	slow, fast := whole("fcfs").Classes[sim.Interactive].TTFT.P50, whole("mlfq").Classes[sim.Interactive].TTFT.P50
	if fast*5 > slow {
		t.Fatalf("chat TTFT p50: fcfs %.0f ms, mlfq %.0f ms; want mlfq at least 5× faster", slow, fast)
	}
}
