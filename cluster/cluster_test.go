package cluster

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"inferplay/sim"
)

func config(t *testing.T, scenario, timing string) sim.Config {
	t.Helper()
	c, err := sim.ScenarioConfig(scenario)
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = timing
	return c
}

func run(t *testing.T, c sim.Config, n int, router string, delay time.Duration) *Cluster {
	t.Helper()
	cl, err := New(c, n, router, delay, sim.WithoutBlockMap())
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.Run(); err != nil {
		t.Fatal(err)
	}
	return cl
}

// A cluster of one replica is the engine: the same results, to the bit,
// for every scenario on both timing models (so its goldens are the
// engine's).
func TestClusterOfOneIsTheEngine(t *testing.T) {
	for _, sc := range sim.Scenarios() {
		for _, timing := range []string{"classic", "roofline"} {
			c := sc.Config()
			c.Timing = timing
			e, err := sim.New(c, sim.WithoutBlockMap())
			if err != nil {
				t.Fatal(err)
			}
			e.Run()
			cl := run(t, c, 1, "least-requests", 0)
			if want, got := e.Result(), cl.Result(); !reflect.DeepEqual(want, got) {
				t.Fatalf("%s/%s: a cluster of one differs:\n%+v\n%+v", sc.ID, timing, want.Summary, got.Summary)
			}
		}
	}
}

// Every request is served by exactly one replica, whole: each replica's
// requests are the ones routed to it, in order, and between them the
// replicas produce every output token of the traffic, under every router.
func TestEveryRequestServedOnce(t *testing.T) {
	for _, r := range Routers() {
		for _, timing := range []string{"classic", "roofline"} {
			c := config(t, "mixed", timing)
			c.Workload.System = sim.SystemPrompts{Count: 3, Tokens: 1000, Share: 0.5}
			cl := run(t, c, 4, r.Name, 20*time.Millisecond)
			seen := make([]int, len(cl.Engines))
			want := 0
			for i := range cl.Len() {
				rep, id, ok := cl.Placement(i)
				if !ok || id != seen[rep] {
					t.Fatalf("%s: request %d placed %v at R%d of replica %d, want R%d", r.Name, i, ok, id, rep, seen[rep])
				}
				seen[rep]++
				if got := cl.Engines[rep].Request(id); got.Spec != cl.traffic[i] || !got.State.Finished() {
					t.Fatalf("%s: request %d is %+v on replica %d", r.Name, i, got, rep)
				}
				want += cl.traffic[i].Output
			}
			tokens := 0
			for k, e := range cl.Engines {
				if e.Len() != seen[k] {
					t.Fatalf("%s: replica %d holds %d requests, %d were sent", r.Name, k, e.Len(), seen[k])
				}
				if err := e.CheckInvariants(); err != nil {
					t.Fatalf("%s: replica %d: %v", r.Name, k, err)
				}
				tokens += e.Counters().Tokens
			}
			s := cl.Result().Summary
			if tokens != want || s.OutputTokens != want || s.Completed+s.Rejected != cl.Len() {
				t.Fatalf("%s/%s: %d tokens produced, %d in the summary, want %d; %d completed + %d rejected of %d",
					r.Name, timing, tokens, s.OutputTokens, want, s.Completed, s.Rejected, cl.Len())
			}
		}
	}
}

// The same run twice is the same run.
func TestClusterIsDeterministic(t *testing.T) {
	for _, r := range []string{"random", "power-of-two", "prefix-affinity"} {
		c := config(t, "chatbot", "roofline")
		c.Workload.System = sim.SystemPrompts{Count: 4, Tokens: 1500, Share: 0.8}
		a, b := run(t, c, 3, r, 50*time.Millisecond), run(t, c, 3, r, 50*time.Millisecond)
		if !reflect.DeepEqual(a.Result(), b.Result()) || !reflect.DeepEqual(a.replicaOf, b.replicaOf) {
			t.Fatalf("%s: two runs differ", r)
		}
	}
}

// view is a constructed state: loads, KV utilizations and cached prefixes.
func view(loads []int, util []float64, cached []int) *View {
	v := &View{Replicas: make([]Replica, len(loads)), Sent: make([]int, len(loads)), Rand: rand.New(rand.NewPCG(1, 2)),
		cached: func(i int, _ sim.Spec) int { return cached[i] }}
	for i := range loads {
		v.Replicas[i] = Replica{Outstanding: loads[i], KVUtil: util[i]}
	}
	return v
}

// Each router's choice on constructed states.
func TestRouterChoices(t *testing.T) {
	s := sim.Spec{Input: 100, Output: 10}
	pick := func(name string, v *View) int {
		info, err := LookupRouter(name)
		if err != nil {
			t.Fatal(err)
		}
		return info.New().Route(s, v)
	}
	loads, util, none := []int{5, 2, 7, 2}, []float64{0.5, 0.9, 0.1, 0.3}, []int{0, 0, 0, 0}
	cases := []struct {
		router string
		v      *View
		want   int
	}{
		{"least-requests", view(loads, util, none), 1},                               // fewest, the first of equals
		{"least-kv", view(loads, util, none), 2},                                     // least KV whatever the requests
		{"least-kv", view(loads, []float64{0.2, 0.2, 0.2, 0.2}, none), 1},            // equal KV: fewest requests
		{"prefix-affinity", view(loads, util, none), 1},                              // nothing cached: least loaded
		{"prefix-affinity", view([]int{5, 2, 6, 2}, util, []int{0, 0, 640, 320}), 2}, // the longest prefix, 6 ≤ 2 + 4
		{"prefix-affinity", view([]int{5, 2, 9, 2}, util, []int{0, 0, 640, 320}), 3}, // 9 > 2 + 4: the next longest within the slack
		{"prefix-affinity", view([]int{5, 2, 9, 2}, util, []int{0, 0, 640, 0}), 1},   // none within it caches: least loaded
	}
	for _, tc := range cases {
		if got := pick(tc.router, tc.v); got != tc.want {
			t.Errorf("%s on %v: replica %d, want %d", tc.router, tc.v.Replicas, got, tc.want)
		}
	}
	// Requests sent since the view count as load.
	v := view(loads, util, none)
	v.Sent[1] = 4
	if got := pick("least-requests", v); got != 3 {
		t.Errorf("least-requests with 4 sent to replica 1 since the view: %d, want 3", got)
	}
	// Round-robin goes round; power-of-two takes the lighter of two
	// different replicas; random covers every replica.
	rr, _ := LookupRouter("round-robin")
	r := rr.New()
	for i := range 9 {
		if got := r.Route(s, view(loads, util, none)); got != i%4 {
			t.Fatalf("round-robin's choice %d: %d", i, got)
		}
	}
	// With one idle replica and three busy ones, power-of-two picks the
	// idle one exactly when it draws it, half the time.
	v = view([]int{0, 9, 9, 9}, util, none)
	p2, _ := LookupRouter("power-of-two")
	idle := 0
	for range 400 {
		if p2.New().Route(s, v) == 0 {
			idle++
		}
	}
	if idle < 150 || idle > 250 {
		t.Errorf("power-of-two chose the idle replica %d times in 400, want about 200", idle)
	}
	ra, _ := LookupRouter("random")
	hit := map[int]bool{}
	for range 200 {
		hit[ra.New().Route(s, v)] = true
	}
	if len(hit) != 4 {
		t.Errorf("random reached %v", hit)
	}
	if _, err := LookupRouter("nearest"); err == nil {
		t.Error("an unknown router is accepted")
	}
}

// Prefix affinity keeps each system prompt's requests together, so that
// each replica caches few prompts: a higher hit rate than round-robin's,
// which spreads every prompt over every replica.
func TestPrefixAffinityRaisesTheHitRate(t *testing.T) {
	c := config(t, "chatbot", "roofline")
	_ = c.SetGPU("l4")
	// 40 prompts of 3,000 tokens are 15 GB of KV, more than a replica's
	// 7.9 GB: spread over every replica they push each other out, kept
	// together a replica holds its quarter of them.
	c.Workload.Requests, c.Workload.Rate = 1200, 20
	c.Workload.System = sim.SystemPrompts{Count: 40, Tokens: 3000, Share: 1}
	rr := run(t, c, 4, "round-robin", 0).Result().Summary
	pa := run(t, c, 4, "prefix-affinity", 0).Result().Summary
	if !(pa.CacheHitRate > rr.CacheHitRate+0.05) {
		t.Fatalf("hit rate %.3f with prefix affinity, %.3f with round-robin", pa.CacheHitRate, rr.CacheHitRate)
	}
	t.Logf("hit rate %.3f vs %.3f; TTFT p50 %.0f vs %.0f ms", pa.CacheHitRate, rr.CacheHitRate, pa.TTFT.P50, rr.TTFT.P50)
}

// At saturation, throughput grows about linearly with the replicas.
func TestThroughputScalesWithReplicas(t *testing.T) {
	c := config(t, "chatbot", "roofline")
	c.Workload.Requests, c.Workload.Rate = 8000, 1000 // far past what one replica serves
	base := 0.0
	for _, n := range []int{1, 2, 4} {
		tput := run(t, c, n, "least-requests", 0).Result().Summary.Throughput
		if n == 1 {
			base = tput
			continue
		}
		if ratio := tput / base; ratio < 0.8*float64(n) || ratio > 1.1*float64(n) {
			t.Errorf("%d replicas: %.0f tok/s, %.2f× one replica's %.0f", n, tput, ratio, base)
		}
	}
}

// Bad settings are refused with the reason.
func TestClusterRefuses(t *testing.T) {
	c := config(t, "chatbot", "roofline")
	for _, tc := range []struct {
		n      int
		router string
		delay  time.Duration
		mutate func(*sim.Config)
	}{
		{0, "round-robin", 0, nil}, {MaxReplicas + 1, "round-robin", 0, nil}, {2, "fastest", 0, nil},
		{2, "round-robin", -time.Second, nil},
		{2, "round-robin", 0, func(c *sim.Config) { c.Workload.Clients = 4 }},
	} {
		c := c
		if tc.mutate != nil {
			tc.mutate(&c)
		}
		if _, err := New(c, tc.n, tc.router, tc.delay); err == nil {
			t.Errorf("%+v accepted", tc)
		}
	}
}

// A cluster's requests file is its traffic: replayed as a trace behind
// the same router, it gives the same run.
func TestRequestsFileReplaysTheCluster(t *testing.T) {
	c := config(t, "mixed", "roofline")
	c.Workload.System = sim.SystemPrompts{Count: 2, Tokens: 800, Share: 0.5}
	a := run(t, c, 3, "prefix-affinity", 10*time.Millisecond)
	var buf bytes.Buffer
	if err := a.WriteRequests(&buf); err != nil {
		t.Fatal(err)
	}
	specs, err := sim.ParseTrace(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	c.Trace = specs
	b := run(t, c, 3, "prefix-affinity", 10*time.Millisecond)
	var again bytes.Buffer
	if err := b.WriteRequests(&again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Result(), b.Result()) || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("the replay differs from the run")
	}
}
