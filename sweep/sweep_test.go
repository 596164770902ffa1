package sweep

import (
	"bytes"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"inferplay/sim"
)

func testPlan(t *testing.T, vary string, policies ...string) Plan {
	t.Helper()
	c, err := sim.ScenarioConfig("chatbot")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	k, values, err := ParseVary(vary)
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) == 0 {
		policies = []string{"fcfs"}
	}
	return Plan{Base: c, Knob: k, Values: values, Policies: policies, Seeds: 2, Window: 8 * time.Second}
}

func TestParseVary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"rate=1,2,4,8", []string{"1", "2", "4", "8"}},
		{"rate=1..3/5", []string{"1", "1.5", "2", "2.5", "3"}},
		{"rate=2,2,1", []string{"2", "1"}},
		{"clients=1..4", []string{"1", "2", "3", "4"}},
		{"clients=1..10/4", []string{"1", "4", "7", "10"}},
		{"max-batch-tokens=512,2048", []string{"512", "2048"}},
		{"gpu=h100,a100,h100", []string{"h100", "a100"}},
		{"prefix-caching=off,on", []string{"off", "on"}},
	} {
		_, values, err := ParseVary(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		var got []string
		for i, v := range values {
			got = append(got, v.Text)
			if strings.HasPrefix(tc.in, "gpu") && v.X != float64(i) {
				t.Fatalf("%s: %s at %g, want %d", tc.in, v.Text, v.X, i)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "rate", "rate=", "speed=1", "rate=a", "rate=-1", "rate=1..2", "rate=3..1/4",
		"rate=1..2/1", "clients=1.5", "clients=0", "rate=NaN", "rate=1,,2", "clients=1..5000"} {
		if _, _, err := ParseVary(bad); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line", bad, err)
		}
	}
}

// Every point is checked before anything runs.
func TestCheckRefusesBadPoints(t *testing.T) {
	p := testPlan(t, "tp=1,3")
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "3") {
		t.Fatalf("tp 3: %v", err)
	}
	p = testPlan(t, "gpu=h100,nosuchgpu")
	if err := p.Check(); err == nil {
		t.Fatal("an unknown GPU was taken")
	}
	p = testPlan(t, "prefix-caching=on,maybe")
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Fatalf("prefix caching maybe: %v", err)
	}
	p = testPlan(t, "rate=1")
	p.Base.Workload.Clients = 4
	if err := p.Check(); err == nil {
		t.Fatal("a rate sweep of a closed loop was taken")
	}
}

// A sweep is the same whatever the number of workers and of cores: runs
// and CSV, byte for byte.
func TestSweepSameOnAnyCores(t *testing.T) {
	p := testPlan(t, "rate=4,16,40", "fcfs", "srpt")
	one, err := Execute(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	many, _ := Execute(p, 5)
	prev := runtime.GOMAXPROCS(1)
	byDefault, _ := Execute(p, 0)
	runtime.GOMAXPROCS(prev)
	if !reflect.DeepEqual(one, many) || !reflect.DeepEqual(one, byDefault) {
		t.Fatal("runs differ with the number of workers")
	}
	if len(one) != 3*2*2 {
		t.Fatalf("%d runs, want 12", len(one))
	}
	csvOf := func(runs []Run) []byte {
		var b bytes.Buffer
		if err := WriteCSV(&b, p, runs); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(csvOf(one), csvOf(many)) {
		t.Fatal("CSV differs")
	}
	// Runs come in plan order and each is its own configuration's run.
	for i, r := range one {
		v, pol, seed := p.Values[i/4], p.Policies[i/2%2], p.Base.Seed+uint64(i%2)
		if r.Value != v || r.Policy != pol || r.Seed != seed {
			t.Fatalf("run %d is %s/%s/%d, want %s/%s/%d", i, r.Value.Text, r.Policy, r.Seed, v.Text, pol, seed)
		}
		c, _ := p.config(v, pol, i%2)
		e, _ := sim.New(c)
		e.Run()
		if !reflect.DeepEqual(e.Result(), r.Result) {
			t.Fatalf("run %d differs from its configuration run alone", i)
		}
	}
}

// A rate sweep sizes each point's workload by the window: what the rate
// brings in that long.
func TestWindowSizesTheWorkload(t *testing.T) {
	p := testPlan(t, "rate=2.5,40", "fcfs")
	for _, v := range p.Values {
		c, err := p.config(v, "fcfs", 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := int(math.Round(v.X * 8)); c.Workload.Requests != want {
			t.Fatalf("rate %s: %d requests, want %d", v.Text, c.Workload.Requests, want)
		}
	}
}

// The capacity at SLO is bracketed as a bisection by hand confirms: the
// load found meets the target, the limit found misses it, and they are
// within 1 % of each other.
func TestCapacityMatchesBisectionByHand(t *testing.T) {
	p := testPlan(t, "rate=10,40,70,100", "fcfs", "srpt")
	runs, err := Execute(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := FindCapacity(p, Curves(p, runs), 0.9, 0)
	if err != nil {
		t.Fatal(err)
	}
	attainment := func(pol string, rate float64) float64 {
		v := Value{Text: formatNumber(rate), X: rate}
		var pt Point
		for s := range p.Seeds {
			c, err := p.config(v, pol, s)
			if err != nil {
				t.Fatal(err)
			}
			e, _ := sim.New(c)
			e.Run()
			pt.Runs = append(pt.Runs, Run{Result: e.Result()})
		}
		return pt.Stat(Attainment).Mean
	}
	for _, c := range caps {
		if !c.Met || !c.Missed {
			t.Fatalf("%s: capacity not bracketed by the sweep (%+v): the test exercises nothing", c.Policy, c)
		}
		if c.Limit-c.Load > 0.01*c.Limit || c.Limit <= c.Load || c.Runs == 0 {
			t.Fatalf("%s: bracket %g..%g after %d runs", c.Policy, c.Load, c.Limit, c.Runs)
		}
		if a := attainment(c.Policy, c.Load); a < 0.9 {
			t.Fatalf("%s at its capacity %g: attainment %g", c.Policy, c.Load, a)
		}
		if a := attainment(c.Policy, c.Limit); a >= 0.9 {
			t.Fatalf("%s at its limit %g: attainment %g", c.Policy, c.Limit, a)
		}
	}
	if n, bound := caps[0].Replicas(10 * caps[0].Load); n != 10 || bound != "" {
		t.Fatalf("replicas for 10× capacity: %d %q", n, bound)
	}
}

// A knob that is not a load has no capacity; a load swept entirely within
// or beyond it says which side it is on.
func TestCapacityEdges(t *testing.T) {
	p := testPlan(t, "max-batch-tokens=512,2048", "fcfs")
	if _, err := FindCapacity(p, nil, 0.9, 0); err == nil {
		t.Fatal("capacity of a batch budget")
	}
	p = testPlan(t, "rate=1,2", "fcfs")
	runs, _ := Execute(p, 0)
	caps, err := FindCapacity(p, Curves(p, runs), 0.9, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c := caps[0]; !c.Met || c.Missed || c.Load != 2 {
		t.Fatalf("light load: %+v", c)
	}
	if _, bound := caps[0].Replicas(100); bound != "at most" {
		t.Fatalf("bound %q", bound)
	}
	p.Base.SLO = [2]sim.SLO{}
	if _, err := FindCapacity(p, Curves(p, runs), 0.9, 0); err == nil {
		t.Fatal("capacity without SLO targets")
	}
}

// The stepper, a slice at a time, gives the runs Execute gives.
func TestStepperMatchesExecute(t *testing.T) {
	p := testPlan(t, "rate=4,40", "fcfs", "srpt")
	want, err := Execute(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStepper(p)
	if err != nil {
		t.Fatal(err)
	}
	for slices := 0; !s.Advance(37); slices++ {
		if slices > 1_000_000 {
			t.Fatal("the stepper never finishes")
		}
		if done, _ := s.Progress(); len(s.Finished()) != done {
			t.Fatal("Finished and Progress disagree")
		}
	}
	if !reflect.DeepEqual(s.Finished(), want) {
		t.Fatal("the stepper's runs differ from Execute's")
	}
}
