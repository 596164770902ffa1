package sim

import (
	"slices"
	"testing"
)

// Every built-in policy reads its head from indexes; the head must be the
// start of its whole order at every moment of a run, whatever happened
// before: arrivals, chunks, demotions, starvation, drops and requeues.
func TestHeadIsTheStartOfTheOrder(t *testing.T) {
	for _, pol := range policyNames() {
		for _, mode := range []string{PreemptSwap, PreemptRecompute} {
			for _, timing := range []string{"classic", "roofline"} {
				c, _ := ScenarioConfig("mixed")
				c.Scheduler, c.Preemption, c.Timing = pol, mode, timing
				c.Workload.Requests = 150
				e, err := New(c)
				if err != nil {
					t.Fatal(err)
				}
				h, ok := e.policy.(Header)
				if !ok {
					t.Fatalf("%s is not a Header: every iteration would read its whole queue", pol)
				}
				for step := 0; !e.Done() && step < 20_000; step++ {
					e.Step()
					if step%7 != 0 {
						continue
					}
					whole := e.policy.Order(nil, e.view())
					seen := map[int]bool{}
					for _, id := range whole {
						if seen[id] || !e.queued(id) && e.reqs[id].State != Waiting && e.reqs[id].State != Prefill {
							t.Fatalf("%s/%s/%s step %d: order %v holds R%d twice or not queued", pol, mode, timing, step, whole, id)
						}
						seen[id] = true
					}
					for _, n := range []int{0, 1, 2, 5, len(whole), len(whole) + 3} {
						got := h.Head(nil, n, e.view())
						if want := whole[:min(n, len(whole))]; !slices.Equal(got, want) {
							t.Fatalf("%s/%s/%s step %d: Head(%d) = %v, Order starts %v", pol, mode, timing, step, n, got, want)
						}
					}
				}
			}
		}
	}
}

func TestRankedQueue(t *testing.T) {
	var q rankedQueue
	if got := q.head(nil, -1); len(got) != 0 || q.remove(3) || q.has(3) {
		t.Fatal("empty queue")
	}
	q.pushBack(5)
	q.pushBack(2)
	q.pushFront(9)
	q.put(7, 0) // ties with 5's key 0: the smaller ID first
	if got := q.head(nil, -1); !slices.Equal(got, []int{9, 5, 7, 2}) {
		t.Fatalf("order %v", got)
	}
	c := q.clone()
	q.put(9, 10) // re-keyed to the back
	q.remove(5)
	if got := q.head(nil, 2); !slices.Equal(got, []int{7, 2}) {
		t.Fatalf("after re-key and remove: %v", got)
	}
	if got := c.head(nil, -1); !slices.Equal(got, []int{9, 5, 7, 2}) || c.len() != 4 {
		t.Fatalf("the clone changed with the original: %v", got)
	}
}
