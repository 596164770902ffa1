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
