package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// tierTrace is a system prompt computed, pushed out of VRAM by a prompt of
// its own, and asked for again: R0 computes the 100 blocks of group 1's
// 1,600 tokens, which go idle when it ends and are copied to the CPU tier;
// R1, with no group, needs nearly all of VRAM, so they leave it; R2 asks
// for them again.
func tierTrace() []Spec {
	return []Spec{
		prefixed(0, 1700, 5, 1, 1600),
		{Arrival: 10 * time.Second, Input: 3900, Output: 5, Class: Interactive},
		prefixed(20*time.Second, 1700, 5, 1, 1600),
	}
}

// tierConfig is tierTrace on room for 4,000 tokens of KV (250 blocks) with
// a CPU tier of tierBlocks blocks, on the roofline model.
func tierConfig(t *testing.T, tierBlocks int) Config {
	c := cacheConfig(t, 4000, "roofline", tierTrace()...)
	c.CPUCacheBytes = int64(tierBlocks) * c.BlockBytes()
	return c
}

// The blocks VRAM gave up come back from the CPU tier, every one of
// them, at the price of the copy; without the tier they are prefilled.
func TestCPUTierBringsBlocksBack(t *testing.T) {
	c := tierConfig(t, 1000)
	e, events := runChecked(t, c, 100_000)
	checkEnded(t, e)
	// R1 needs 245 blocks and one in reserve: VRAM gives up the last 94
	// of group 1's blocks, tail first, and keeps its first 6.
	r := e.Request(2)
	if r.CachedTokens != 1600 || r.CPUCachedTokens != 94*16 {
		t.Fatalf("R2 took %d cached tokens, %d from the CPU tier; want 1600 and %d", r.CachedTokens, r.CPUCachedTokens, 94*16)
	}
	fetches := eventsOf(events, EvCacheFetch, 2)
	if len(fetches) != 1 || fetches[0].Tokens != 94*16 || fetches[0].Bytes != 94*c.BlockBytes() {
		t.Fatalf("fetch events %v", fetches)
	}
	f := fetches[0]
	if want := c.CopyTime(f.Bytes); f.Dur != want || f.Alt <= f.Dur {
		t.Errorf("the copy took %v (want %v), prefilling would take %v: the choice is wrong", f.Dur, want, f.Alt)
	}
	if landed := eventsOf(events, EvCacheFetched, 2); len(landed) != 1 || landed[0].At != f.At+f.Dur {
		t.Errorf("landing events %v after %v", landed, f)
	}
	// It prefills only its own 100 tokens, once the copy has landed.
	if r.PrefillStartAt < f.At+f.Dur {
		t.Errorf("R2 started prefilling at %v, before its blocks landed at %v", r.PrefillStartAt, f.At+f.Dur)
	}
	var prefilled int
	for _, ev := range eventsOf(events, EvPrefillChunk, 2) {
		prefilled += ev.Tokens
	}
	if prefilled != 100 {
		t.Errorf("R2 prefilled %d tokens, want 100", prefilled)
	}
	stores := eventsOf(events, EvCacheStore, -1)
	if len(stores) == 0 || stores[0].Tokens != 1600 {
		t.Errorf("store events %v: R0's 100 idle blocks should go to the tier in one copy", stores)
	}
	s := e.Result().Summary
	if s.CPUCacheHits != 1 || s.CPUCachedTokens != 94*16 || s.CachedPromptTokens != 1600 {
		t.Errorf("summary: %d CPU hits, %d CPU tokens, %d cached", s.CPUCacheHits, s.CPUCachedTokens, s.CachedPromptTokens)
	}

	// Without the tier, R2 takes the 6 blocks VRAM kept and prefills the
	// rest.
	c.CPUCacheBytes = 0
	e, _ = runChecked(t, c, 100_000)
	if r := e.Request(2); r.CachedTokens != 6*16 || r.CPUCachedTokens != 0 {
		t.Errorf("without a tier R2 took %d cached tokens (%d from CPU memory)", r.CachedTokens, r.CPUCachedTokens)
	}
	if got := e.Result().Summary.CPUCacheHits; got != 0 {
		t.Errorf("%d CPU hits without a tier", got)
	}
}

// A tier of 50 blocks keeps the first 50 of the 100 that went idle (the
// rest would only push them out again): the prompt takes the 6 VRAM kept
// and 44 back from the tier, and prefills the rest.
func TestCPUTierKeepsWhatFits(t *testing.T) {
	e, _ := runChecked(t, tierConfig(t, 50), 100_000)
	checkEnded(t, e)
	if r := e.Request(2); r.CPUCachedTokens != 44*16 || r.CachedTokens != 50*16 {
		t.Fatalf("R2 took %d cached tokens, %d from the CPU tier; want %d and %d", r.CachedTokens, r.CPUCachedTokens, 50*16, 44*16)
	}
	if e.TierBlocks() > 50 || e.TierCapacity() != 50 {
		t.Errorf("tier holds %d of %d blocks", e.TierBlocks(), e.TierCapacity())
	}
}

// When the link is slower than the GPU's prefill, the prompt prefills the
// blocks the tier keeps, says why in an event, and the cache takes its
// VRAM copy: a later prompt finds them in VRAM.
func TestCPUTierRecomputesWhenTheCopyIsSlower(t *testing.T) {
	c := tierConfig(t, 1000)
	c.GPU.PCIeBW = GB / 10 // 200 MB take two seconds
	c.Trace = append(c.Trace, prefixed(30*time.Second, 1700, 5, 1, 1600))
	e, events := runChecked(t, c, 100_000)
	checkEnded(t, e)
	if r := e.Request(2); r.CachedTokens != 6*16 || r.CPUCachedTokens != 0 {
		t.Fatalf("R2 took %d cached tokens (%d from the CPU tier), want the %d VRAM kept", r.CachedTokens, r.CPUCachedTokens, 6*16)
	}
	rec := eventsOf(events, EvCacheRecompute, 2)
	if len(rec) != 1 || rec[0].Tokens != 94*16 || rec[0].Alt <= rec[0].Dur {
		t.Fatalf("recompute events %v", rec)
	}
	if len(eventsOf(events, EvCacheFetch, -1)) != 0 {
		t.Errorf("a fetch despite the slower link")
	}
	if r := e.Request(3); r.CachedTokens != 1600 || r.CPUCachedTokens != 0 {
		t.Errorf("R3 took %d cached tokens (%d from CPU memory), want 1600 from VRAM", r.CachedTokens, r.CPUCachedTokens)
	}
	for _, ev := range events {
		if strings.Contains(ev.String(), "cache-recompute") && !strings.Contains(ev.String(), "copying them back") {
			t.Errorf("event text %q does not give the copy's price", ev)
		}
	}
}

// tierPressure is conversations that come back after VRAM has moved on:
// 40 users on an L4, four turns each, with a CPU tier of 2 GB.
func tierPressure(t *testing.T) Config {
	t.Helper()
	c, err := ScenarioConfig("chatbot")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetGPU("l4"); err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	c.Workload.Requests, c.Workload.Clients, c.Workload.Turns, c.Workload.ThinkTime = 150, 40, 4, 3*time.Second
	c.Workload.System = SystemPrompts{Count: 2, Tokens: 1000, Share: 0.5}
	c.CPUCacheBytes = 2 * GB
	return c
}

// Conversations coming back after VRAM has moved on, under pressure, on
// every policy and both preemption modes: every tick consistent, every
// run finished, and some turns served from the tier.
func TestCPUTierUnderPressure(t *testing.T) {
	for _, preemption := range []string{PreemptSwap, PreemptRecompute} {
		for _, policy := range policyNames() {
			t.Run(preemption+"/"+policy, func(t *testing.T) {
				t.Parallel()
				c := tierPressure(t)
				c.Preemption, c.Scheduler = preemption, policy
				e, _ := runChecked(t, c, 1_000_000)
				checkEnded(t, e)
				s := e.Result().Summary
				if s.CPUCacheHits == 0 || s.CPUCachedTokens == 0 {
					t.Errorf("no hit in the CPU tier: %+v", s)
				}
				if s.Completed != s.Requests {
					t.Errorf("%d of %d completed", s.Completed, s.Requests)
				}
			})
		}
	}
}

// An engine that only counts blocks, and a clone taken mid-run, make the
// decisions an engine that places its blocks makes, with the tier too.
func TestCPUTierCountedClonedAndMapped(t *testing.T) {
	c := tierPressure(t)
	mapped, _ := New(c)
	counted, _ := New(c, WithoutBlockMap())
	mapped.RunSteps(300)
	clone := mapped.Clone()
	mapped.Run()
	clone.Run()
	counted.Run()
	want := mapped.Result()
	if want.Summary.CPUCacheHits == 0 {
		t.Fatalf("no hit in the CPU tier: the test shows nothing")
	}
	if !reflect.DeepEqual(want, counted.Result()) || !reflect.DeepEqual(want, clone.Result()) {
		t.Fatalf("results differ:\n%+v\n%+v\n%+v", want.Summary, counted.Result().Summary, clone.Result().Summary)
	}
}

// A tier is refused, with the reason, where it cannot work.
func TestCPUTierNeedsTheContinuousBatcher(t *testing.T) {
	for _, tc := range []struct{ timing, batcher, caching, want string }{
		{"classic", "", "on", "serial batcher"},
		{"roofline", "static", "on", "static batcher"},
		{"roofline", "", "off", "prefix caching on"},
	} {
		c := tierConfig(t, 10)
		c.Timing, c.Batcher, c.NoPrefixCaching = tc.timing, tc.batcher, tc.caching == "off"
		if _, err := New(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s/caching %s: %v, want an error naming %q", tc.timing, tc.batcher, tc.caching, err, tc.want)
		}
	}
}

// A run with a CPU tier gives the same numbers everywhere (the WebAssembly
// build runs this golden too), and its requests file replays it exactly.
func TestGoldenCPUTier(t *testing.T) {
	checkGolden(t, tierPressure(t), "tier_chatbot_fcfs_roofline")
	c, _ := ScenarioConfig("mixed")
	_ = c.SetGPU("constrained")
	c.Timing = "roofline"
	c.Workload.Requests = 80
	c.Workload.System = SystemPrompts{Count: 6, Tokens: 3000, Share: 0.8}
	c.CPUCacheBytes = 4 * GB
	e, _ := runChecked(t, c, 1_000_000)
	if e.Result().Summary.CPUCacheHits == 0 {
		t.Fatalf("no hit in the CPU tier: the replay shows nothing")
	}
	replays(t, c)
}
