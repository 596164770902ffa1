package lesson

import (
	"testing"

	"inferplay/sim"
)

// The sharing scene's lessons hold in numbers: without caching the fifty
// copies of the prompt need more KV than caching holds by far, and the
// chats' median TTFT drops with caching; a conversation's later turn takes
// its earlier turns from the cache.
func TestSharingLessons(t *testing.T) {
	c, err := SharingConfig(42)
	if err != nil {
		t.Fatal(err)
	}
	_, peakOff := PeakCopies(c)
	run := func(off bool) sim.Result {
		c := c
		c.NoPrefixCaching = off
		e, err := sim.New(c)
		if err != nil {
			t.Fatal(err)
		}
		e.Run()
		return e.Result()
	}
	off, on := run(true), run(false)
	peakOn := int(on.Summary.PeakKVUtilization * float64(peakOff) / off.Summary.PeakKVUtilization)
	if peakOff < 2*peakOn {
		t.Errorf("KV held at its peak: %d blocks without caching, about %d with: want at least twice", peakOff, peakOn)
	}
	if !(on.Summary.TTFT.P50*3 < off.Summary.TTFT.P50) || on.Summary.CacheHitRate < 0.7 {
		t.Errorf("TTFT p50 %.0f ms with caching, %.0f without; hit rate %.2f", on.Summary.TTFT.P50, off.Summary.TTFT.P50, on.Summary.CacheHitRate)
	}
	conv, err := ConversationConfig(42)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := FindSecondTurn(conv)
	if !ok || s.Tokens <= SharingPromptTokens {
		t.Fatalf("second turn %+v, found %v: want more than the system prompt taken", s, ok)
	}
	t.Logf("peak KV %d vs ~%d blocks; TTFT p50 %.0f vs %.0f ms; second turn %+v", peakOff, peakOn, off.Summary.TTFT.P50, on.Summary.TTFT.P50, s)
}

// With a CPU tier the conversations that VRAM gave up come back over the
// link: more of the prompts come from the cache, the chats' median first
// token comes sooner, and the beat's fetch is far cheaper than prefilling.
func TestTierLesson(t *testing.T) {
	c, err := TierConfig(42)
	if err != nil {
		t.Fatal(err)
	}
	run := func(gb int64) sim.Summary {
		c := c
		c.CPUCacheBytes = gb * sim.GB
		e, err := sim.New(c)
		if err != nil {
			t.Fatal(err)
		}
		e.Run()
		return e.Result().Summary
	}
	without, with := run(0), run(TierGB)
	if with.CPUCacheHits == 0 || with.CacheHitRate < without.CacheHitRate+0.1 || !(with.TTFT.P50*2 < without.TTFT.P50) {
		t.Errorf("hit rate %.2f with the tier, %.2f without; TTFT p50 %.0f vs %.0f ms; %d CPU hits",
			with.CacheHitRate, without.CacheHitRate, with.TTFT.P50, without.TTFT.P50, with.CPUCacheHits)
	}
	f, ok := FindFetch(c)
	if !ok || f.Tokens < FetchTokens || !(f.Copy*5 < f.Refill) {
		t.Fatalf("fetch %+v, found %v", f, ok)
	}
	t.Logf("TTFT p50 %.0f vs %.0f ms, p99 %.0f vs %.0f; hit %.2f vs %.2f; fetch %+v", without.TTFT.P50, with.TTFT.P50, without.TTFT.P99, with.TTFT.P99, without.CacheHitRate, with.CacheHitRate, f)
}
