package sim

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func closedLoopConfig(t testing.TB, timing, policy string, clients int, think time.Duration) Config {
	t.Helper()
	c, err := ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing, c.Scheduler = timing, policy
	c.Workload.Requests, c.Workload.Clients, c.Workload.ThinkTime = 120, clients, think
	return c
}

// N users never have more than N requests in the system, every request
// they send is answered, and IDs stay in arrival order.
func TestClosedLoopKeepsItsConcurrency(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		for _, pol := range policyNames() {
			c := closedLoopConfig(t, timing, pol, 6, 2*time.Second)
			e, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			peak := 0
			for step := 0; !e.Done(); step++ {
				if step > 500_000 {
					t.Fatalf("%s/%s: not done", timing, pol)
				}
				e.Step()
				inSystem := e.Arrived() - e.Finished()
				peak = max(peak, inSystem)
				if inSystem > 6 {
					t.Fatalf("%s/%s tick %d: %d requests in the system from 6 users", timing, pol, e.Tick(), inSystem)
				}
				if e.Tick()%64 == 0 {
					if err := e.CheckInvariants(); err != nil {
						t.Fatalf("%s/%s: %v", timing, pol, err)
					}
				}
			}
			if e.Stuck() != "" || e.Len() != 120 || e.Finished() != 120 || e.Unsent() != 0 || peak != 6 {
				t.Fatalf("%s/%s: stuck %q, %d requests, %d finished, %d unsent, peak %d in the system",
					timing, pol, e.Stuck(), e.Len(), e.Finished(), e.Unsent(), peak)
			}
			for id := 1; id < e.Len(); id++ {
				if e.Request(id).Arrival < e.Request(id-1).Arrival {
					t.Fatalf("%s/%s: R%d arrives before R%d", timing, pol, id, id-1)
				}
			}
		}
	}
}

// A user's next request comes a think time after its previous answer:
// exponential, so the gaps average the mean think time.
func TestClosedLoopThinkTime(t *testing.T) {
	c := closedLoopConfig(t, "roofline", "fcfs", 4, 5*time.Second)
	c.Workload.Requests = 2000
	e, _ := New(c)
	e.Run()
	last := map[int32]time.Duration{} // each client's last answer
	var sum float64
	n := 0
	for id := range e.Len() {
		r := e.Request(id)
		cl := r.tag
		if done, ok := last[cl]; ok {
			gap := r.Arrival - done
			if gap < 0 {
				t.Fatalf("R%d sent %v before its client's last answer", id, -gap)
			}
			sum += gap.Seconds()
			n++
		}
		last[cl] = r.CompletedAt
	}
	if mean := sum / float64(n); math.Abs(mean-5) > 0.35 {
		t.Errorf("mean think %.2f s over %d gaps, want 5", mean, n)
	}
}

// The closed loop is part of the engine's state: the same seed gives the
// same run, and a clone taken mid-run goes on exactly as the original.
func TestClosedLoopIsDeterministicAndClones(t *testing.T) {
	c := closedLoopConfig(t, "roofline", "mlfq", 5, time.Second)
	a, _ := New(c)
	for range 300 {
		a.Step()
	}
	b := a.Clone()
	a.Run()
	b.Run()
	fresh, _ := New(c)
	fresh.Run()
	if !reflect.DeepEqual(a.Result(), b.Result()) || !reflect.DeepEqual(a.Result(), fresh.Result()) {
		t.Fatal("clone or rerun differs")
	}
	checkGolden(t, c, "mixed_clients_roofline")
	c.Timing = "classic"
	checkGolden(t, c, "mixed_clients_classic")
}

func TestClosedLoopValidation(t *testing.T) {
	for _, tc := range []struct {
		clients int
		think   time.Duration
		want    string
	}{
		{-1, 0, "0 (open loop) to"},
		{500, 0, "more users than the 120 requests"},
		{4, -time.Second, "0 to 1 h"},
		{4, 2 * time.Hour, "0 to 1 h"},
		{0, time.Second, "give clients too"},
	} {
		c := closedLoopConfig(t, "roofline", "fcfs", tc.clients, tc.think)
		if _, err := New(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("clients %d think %v: %v, want %q", tc.clients, tc.think, err, tc.want)
		}
	}
}
