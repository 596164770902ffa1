package scenes

import (
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// Each beat opens paused at its moment, under a spotlight on what its
// caption names: the two VRAM panels (the one without caching holding
// several times the other's KV), the strip, and a later turn that takes
// its conversation from the cache on the right while the left prefills it
// all. Both halves serve the same requests.
func TestSharingBeats(t *testing.T) {
	s := NewSharing(testKit(t), sim.DefaultSeed)
	if s.err != "" {
		t.Fatal(s.err)
	}
	if !s.hasTurn || s.peakHeld == 0 {
		t.Fatalf("no second turn (%v) or no peak (%d blocks)", s.hasTurn, s.peakHeld)
	}
	img := ebiten.NewImage(1920, 1080)
	for i, words := range s.Beats() {
		s.SetBeat(i)
		s.Layout(Rect{0, 0, 1920, 1080})
		s.Update(0)
		img.Clear()
		s.Draw(img)
		v, p := s.View()
		if !p.Paused() || len(s.Callouts()) == 0 {
			t.Fatalf("beat %d: paused %v, %d callouts", i+1, p.Paused(), len(s.Callouts()))
		}
		for _, c := range s.Callouts() {
			if !s.chrome.Body.Contains(c.Box.X, c.Box.Y) {
				t.Fatalf("beat %d points outside the scene: %+v", i+1, c.Box)
			}
		}
		a, b := p.Engine(0), p.Engine(1)
		for id := range min(a.Len(), b.Len()) {
			if a.Request(id).Spec != b.Request(id).Spec {
				t.Fatalf("beat %d: R%d differs between the halves", i+1, id)
			}
		}
		switch i {
		case sharingCopies:
			if a.HeldBlocks() < 3*b.HeldBlocks() || !strings.Contains(words, sim.FormatBytes(int64(a.HeldBlocks())*s.blockBytes())) {
				t.Fatalf("the copies: %d blocks held without caching, %d with; caption %q", a.HeldBlocks(), b.HeldBlocks(), words)
			}
		case sharingWhole:
			if !p.Finished() || !strings.Contains(v.Verdicts()[1][2], "lower with caching on") {
				t.Fatalf("the whole runs: finished %v, %v", p.Finished(), v.Verdicts())
			}
		case sharingTier:
			// The right's copy of R's cached conversation is on its way
			// back from CPU memory; the left, without a tier, has lost
			// it and will prefill it again.
			on, off := b.Request(s.fetch.Req), a.Request(s.fetch.Req)
			if !s.hasFetch || on.State != sim.Fetching || on.CPUCachedTokens != s.fetch.Tokens || off.CPUCachedTokens != 0 || len(s.Callouts()) < 2 {
				t.Fatalf("R%d is %s with the tier (%d tokens from CPU memory), %d without; %d callouts", s.fetch.Req, on.State, on.CPUCachedTokens, off.CPUCachedTokens, len(s.Callouts()))
			}
			if _, ok := v.Halves[1].PacketBox(s.fetch.Req); !ok || b.TierBlocks() == 0 {
				t.Fatalf("no packet of R%d on the link, or nothing in the tier (%d blocks)", s.fetch.Req, b.TierBlocks())
			}
			if !strings.Contains(words, thousands(s.fetch.Tokens)) {
				t.Fatalf("caption %q does not name the tokens", words)
			}
		case sharingTurn:
			on, off := b.Request(s.turn.Req), a.Request(s.turn.Req)
			if on.CachedTokens != s.turn.Tokens || off.CachedTokens != 0 || on.SessionTokens == 0 || len(s.Callouts()) != 2 {
				t.Fatalf("R%d takes %d cached tokens with caching, %d without; %d callouts", s.turn.Req, on.CachedTokens, off.CachedTokens, len(s.Callouts()))
			}
		}
	}
	// Playing on lifts the spotlight.
	s.SetBeat(0)
	s.Transport().SetPaused(false)
	s.Update(time.Second / 60)
	s.Draw(img)
	if len(s.Callouts()) != 0 {
		t.Fatal("the spotlight stays while playing")
	}
}
