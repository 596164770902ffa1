package sim

import (
	"slices"
	"testing"
)

// A static batch takes no new request while any member is unfinished; it
// fills up to MaxRunning when the queue allows; and on traffic whose
// answers differ in length it serves fewer tokens per second than
// continuous batching, the slots of finished members sitting idle.
func TestStaticBatchTakesNoOneNewUntilItFinishes(t *testing.T) {
	c, _ := ScenarioConfig("chatbot")
	c.Timing, c.Batcher, c.MaxRunning = "roofline", "static", 8
	c.Workload.Requests, c.Workload.Rate = 300, 20
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	var batch []int // the members of the batch under way
	full, idle, batches := 0, 0, 0
	for steps := 0; !e.Done(); steps++ {
		if steps > 1_000_000 {
			t.Fatal("not done")
		}
		for _, ev := range e.Step() {
			if ev.Kind == EvPrefillStart && !slices.Contains(e.members, ev.Req) {
				t.Fatalf("tick %d: R%d started outside the batch %v", e.Tick(), ev.Req, e.members)
			}
		}
		if len(e.members) > 0 && (len(batch) == 0 || !slices.Contains(batch, e.members[0])) {
			for _, id := range batch {
				if st := e.Request(id).State; st != Done {
					t.Fatalf("tick %d: a new batch %v formed while R%d of the last is %s", e.Tick(), e.members, id, st)
				}
			}
			batch = slices.Clone(e.members)
			batches++
		}
		if err := e.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
		if len(e.members) > c.MaxRunning {
			t.Fatalf("a batch of %d, over %d", len(e.members), c.MaxRunning)
		}
		if len(e.members) == c.MaxRunning {
			full++
		}
		if n := e.Decoding().Len(); n > 0 && n < len(e.members) && e.Waiting() > 0 {
			idle++ // members finished, slots empty, requests waiting
		}
	}
	if full == 0 || idle == 0 || batches < 10 {
		t.Fatalf("%d batches, %d iterations with a full batch, %d with idle slots: the test exercises nothing", batches, full, idle)
	}
	cont := c
	cont.Batcher = "continuous"
	ec, _ := New(cont)
	ec.Run()
	if s, k := e.Result().Summary.Throughput, ec.Result().Summary.Throughput; s >= k {
		t.Fatalf("static %.0f tok/s, continuous %.0f: static should serve less", s, k)
	}
}
