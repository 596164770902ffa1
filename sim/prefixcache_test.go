package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// prefixed is a request of a prefix group.
func prefixed(at time.Duration, in, out, group, prefix int) Spec {
	return Spec{Arrival: at, Input: in, Output: out, Class: Interactive, PrefixGroup: group, PrefixTokens: prefix}
}

// cacheConfig is tinyConfig's VRAM on an H100's compute, so that both
// timing models can run it.
func cacheConfig(t *testing.T, kvTokens int, timing string, specs ...Spec) Config {
	t.Helper()
	c := tinyConfig(t, "fcfs", kvTokens, specs...)
	vram := c.GPU.VRAM
	if err := c.SetGPU("h100"); err != nil {
		t.Fatal(err)
	}
	c.GPU.VRAM, c.BlockSize, c.Timing = vram, 16, timing
	return c
}

// Requests that come one after another, each after the last has finished,
// take from the cache exactly the full blocks of the prefix they share with
// what came before (at most Input-1 tokens), on both batchers: computed
// here by hand, block by block.
func TestPrefixHitsMatchAHandCount(t *testing.T) {
	const bs = 16
	specs := []Spec{
		prefixed(0, 600, 5, 1, 500),                        // computes 31 blocks of group 1
		prefixed(10*time.Second, 700, 5, 1, 500),           // takes 31
		prefixed(20*time.Second, 300, 5, 1, 300),           // takes 18 (300 tokens: 18 whole blocks)
		prefixed(30*time.Second, 520, 5, 2, 500),           // another group: takes none, computes 31
		prefixed(40*time.Second, 500, 5, 2, 500),           // at most 499 tokens: 31 blocks
		prefixed(50*time.Second, 40, 5, 1, 40),             // 39 tokens: 2 blocks
		{Arrival: 60 * time.Second, Input: 800, Output: 5}, // no group: none
	}
	want := []int{0, 31 * bs, 18 * bs, 0, 31 * bs, 2 * bs, 0}
	for _, timing := range []string{"classic", "roofline"} {
		c := cacheConfig(t, 20_000, timing, specs...)
		e, _ := runChecked(t, c, 100_000)
		total, prompts := 0, 0
		for i, w := range want {
			if got := e.Request(i).CachedTokens; got != w {
				t.Errorf("%s: R%d took %d cached tokens, want %d", timing, i, got, w)
			}
			total += w
			prompts += specs[i].Input
		}
		s := e.Result().Summary
		if s.CachedPromptTokens != total || s.CacheHitRate != float64(total)/float64(prompts) {
			t.Errorf("%s: summary says %d cached, rate %g; want %d, %g", timing, s.CachedPromptTokens, s.CacheHitRate, total, float64(total)/float64(prompts))
		}
	}
}

// A hit is prefilled no further than the cache spares: the roofline model
// prices only the uncached tokens, so the second request's TTFT is far
// shorter than the first's, and the iteration that runs it prefills just
// the rest of its prompt.
func TestPrefixHitsSkipPrefill(t *testing.T) {
	c := cacheConfig(t, 50_000, "roofline", prefixed(0, 4100, 2, 1, 4000), prefixed(5*time.Second, 4100, 2, 1, 4000))
	e, events := runChecked(t, c, 10_000)
	var chunks []int
	for _, ev := range eventsOf(events, EvPrefillChunk, 1) {
		chunks = append(chunks, ev.Tokens)
	}
	if !reflect.DeepEqual(chunks, []int{4100 - 4000}) {
		t.Fatalf("R1 prefilled %v, want the 100 tokens after its cached 4000", chunks)
	}
	a, b := e.Request(0).Metrics().TTFT, e.Request(1).Metrics().TTFT
	if !(b*5 < a) {
		t.Fatalf("TTFT %.1f ms uncached, %.1f ms cached: want the cached one 5× shorter", a, b)
	}
}

// With caching off, requests of prefix groups run exactly as the same
// requests without groups; so does a run with groups on the static
// batcher, which caches nothing.
func TestPrefixCachingOffIsTheOldRun(t *testing.T) {
	base, err := ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	base.Timing = "roofline"
	base.Workload.System = SystemPrompts{Count: 3, Tokens: 1500, Share: 0.7}
	specs, err := base.Workload.Generate(base.Seed)
	if err != nil {
		t.Fatal(err)
	}
	plain := make([]Spec, len(specs))
	for i, s := range specs {
		s.PrefixGroup, s.PrefixTokens = 0, 0
		plain[i] = s
	}
	run := func(trace []Spec, off bool) Result {
		c := base
		c.Trace, c.NoPrefixCaching = trace, off
		e, _ := runChecked(t, c, 1_000_000)
		return e.Result()
	}
	if off, old := run(specs, true), run(plain, false); !reflect.DeepEqual(off, old) {
		t.Fatalf("caching off differs from the run without groups:\n%+v\n%+v", off.Summary, old.Summary)
	}
	on := run(specs, false)
	if on.Summary.CachedPromptTokens == 0 || on.Summary.TTFT.P50 >= run(plain, false).Summary.TTFT.P50 {
		t.Fatalf("caching on: %d cached tokens, TTFT p50 %.1f ms", on.Summary.CachedPromptTokens, on.Summary.TTFT.P50)
	}
}

// Under VRAM pressure, with shared prefixes on every side of every
// preemption (swap and recompute, both batchers, every policy), the counts
// stay consistent after every tick (runChecked), every token is conserved
// (Decode states hold exactly prompt plus output), and every request ends.
func TestPrefixSharingUnderPressure(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		for _, preemption := range []string{PreemptSwap, PreemptRecompute} {
			for _, policy := range policyNames() {
				t.Run(timing+"/"+preemption+"/"+policy, func(t *testing.T) {
					t.Parallel() // each run checks every tick: one a core
					c, err := ScenarioConfig("mixed")
					if err != nil {
						t.Fatal(err)
					}
					if err := c.SetGPU("constrained"); err != nil {
						t.Fatal(err)
					}
					c.Timing, c.Preemption, c.Scheduler = timing, preemption, policy
					c.Workload.Requests = 80
					c.Workload.System = SystemPrompts{Count: 4, Tokens: 3000, Share: 0.8}
					runs := []Config{c}
					if policy == "fcfs" && timing == "roofline" || policy == "mlfq" && timing == "classic" {
						// Conversations too: many users at once, no pause.
						talks := c
						talks.Workload.Requests, talks.Workload.Clients, talks.Workload.Turns = 50, 25, 3
						runs = append(runs, talks)
					}
					for _, c := range runs {
						e, _ := runChecked(t, c, 1_000_000)
						checkEnded(t, e)
						s := e.Result().Summary
						if s.CachedPromptTokens == 0 || s.Preemptions == 0 {
							t.Errorf("%d turns: %d cached tokens, %d preemptions: not the pressure intended", c.Workload.Turns, s.CachedPromptTokens, s.Preemptions)
						}
					}
				})
			}
		}
	}
}

// An engine that only counts blocks makes every decision an engine that
// places them does, with shared prefixes too.
func TestPrefixSharingWithoutBlockMap(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	_ = c.SetGPU("constrained")
	c.Timing = "roofline"
	c.Workload.System = SystemPrompts{Count: 2, Tokens: 2000, Share: 0.9}
	mapped, _ := New(c)
	counted, _ := New(c, WithoutBlockMap())
	mapped.Run()
	counted.Run()
	if !reflect.DeepEqual(mapped.Result(), counted.Result()) {
		t.Fatalf("results differ:\n%+v\n%+v", mapped.Result().Summary, counted.Result().Summary)
	}
}

// Each turn of a conversation takes from the cache the whole blocks of the
// turn before it (its prompt and its answer) and nothing more, while VRAM
// has room for every conversation: a count from the specs alone.
func TestConversationHitsMatchAHandCount(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		c, _ := ScenarioConfig("chatbot")
		c.Timing, c.BlockSize = timing, 16
		c.Workload.Requests, c.Workload.Clients, c.Workload.ThinkTime, c.Workload.Turns = 60, 4, time.Second, 5
		e, _ := runChecked(t, c, 1_000_000)
		turns := map[int]int{}
		for i := range e.Len() {
			r := e.Request(i)
			turns[r.Session]++
			want := 0
			if turns[r.Session] > 1 {
				want = min(r.SessionTokens, r.Input-1) / 16 * 16
			}
			if r.Session == 0 || r.CachedTokens != want || turns[r.Session] > 5 {
				t.Fatalf("%s: R%d, turn %d of session %d, took %d cached tokens, want %d", timing, i, turns[r.Session], r.Session, r.CachedTokens, want)
			}
		}
		if len(turns) < 12 {
			t.Fatalf("%s: %d conversations", timing, len(turns))
		}
	}
}

// A trace's session column makes its rows turns: each resends the one
// before, and a requests file of a conversation run replays it exactly.
func TestTraceSessions(t *testing.T) {
	specs, err := ParseTrace(strings.NewReader("arrival_ms,input_tokens,output_tokens,session\n0,100,50,7\n10,30,5,0\n5000,180,20,7\n9000,260,20,7\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{specs[0].SessionTokens, specs[2].SessionTokens, specs[3].SessionTokens}; !reflect.DeepEqual(got, []int{0, 150, 200}) {
		t.Fatalf("session prefixes %v, want 0, 150 (100+50), 200 (180+20)", got)
	}
	c, _ := ScenarioConfig("chatbot")
	c.Timing = "roofline"
	c.Workload.Requests, c.Workload.Clients, c.Workload.Turns = 40, 3, 4
	c.Workload.System = SystemPrompts{Count: 2, Tokens: 700, Share: 1}
	replays(t, c)
}
