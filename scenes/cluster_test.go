package scenes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/sim"
)

// Each beat opens paused at its moment, its callouts inside the scene, its
// caption quoting its runs' figures; both sides serve the same traffic;
// the tiles sit inside their halves at every size; and playing on moves
// both sides' clocks together.
func TestClusterBeats(t *testing.T) {
	s := NewCluster(testKit(t), sim.DefaultSeed)
	if s.err != "" {
		t.Fatal(s.err)
	}
	img := ebiten.NewImage(1920, 1080)
	for i, words := range s.Beats() {
		s.SetBeat(i)
		for _, size := range [][2]float64{{1920, 1080}, {1024, 768}, {3840, 2160}} {
			s.Layout(Rect{0, 0, size[0], size[1]})
			for j, v := range s.Views() {
				for k, r := range v.Tiles() {
					h := s.halves[j]
					if r.X < h.X-0.5 || r.Y < h.Y-0.5 || r.X+r.W > h.X+h.W+0.5 || r.Y+r.H > h.Y+h.H+0.5 || r.W <= 0 || r.H <= 0 {
						t.Fatalf("beat %d at %v: side %d's tile %d %+v leaves its half %+v", i+1, size, j, k, r, h)
					}
				}
			}
		}
		s.Layout(Rect{0, 0, 1920, 1080})
		s.Update(0)
		img.Clear()
		s.Draw(img)
		p := s.Player()
		if !p.Paused() || len(s.Callouts()) == 0 {
			t.Fatalf("beat %d: paused %v, %d callouts", i+1, p.Paused(), len(s.Callouts()))
		}
		for _, c := range s.Callouts() {
			if !s.chrome.Body.Contains(c.Box.X, c.Box.Y) {
				t.Fatalf("beat %d points outside the scene: %+v", i+1, c.Box)
			}
		}
		if p.Side(0).Len() != p.Side(1).Len() || p.Side(0).Routed() != p.Side(1).Routed() {
			t.Fatalf("beat %d: the sides serve %d and %d requests, %d and %d routed", i+1, p.Side(0).Len(), p.Side(1).Len(), p.Side(0).Routed(), p.Side(1).Routed())
		}
		o := s.outcomes[i]
		want := [3]string{fmt.Sprintf("%.0f%%", 100*o[1].Summary.SLOAttainment), fmt.Sprintf("%.0f%%", 100*o[1].Summary.CacheHitRate), fmt.Sprintf("%.0f%%", 100*o[1].Summary.SLOAttainment)}[i]
		if !strings.Contains(words, want) {
			t.Fatalf("beat %d's caption does not quote %s: %q", i+1, want, words)
		}
		at := p.Now()
		p.SetPaused(false)
		for range 30 {
			s.Update(time.Second / 60)
		}
		if p.Now() <= at || p.Side(0).Now() != p.Now() || p.Side(1).Now() != p.Now() {
			t.Fatalf("beat %d: playing moved the clock from %v to %v (sides %v, %v)", i+1, at, p.Now(), p.Side(0).Now(), p.Side(1).Now())
		}
	}
	if b := s.backlog; !s.hasBacklog || b.Waiting <= b.Other || b.Prompt < 40_000 {
		t.Fatalf("routing moment %+v", b)
	}
}

// The setup panel's changes play the beat's traffic on the sides set, to
// the time reached, and say so; R (the beat again) restores the beat.
func TestClusterSetupChanges(t *testing.T) {
	s := NewCluster(testKit(t), sim.DefaultSeed)
	s.SetBeat(clusterRouting)
	s.Layout(Rect{0, 0, 1920, 1080})
	at := s.Player().Now()
	sides := s.sides
	sides[1].Router = "power-of-two"
	sides[1] = withLayout(sides[1], 2, "roce100")
	s.rebuild(s.cfg, sides)
	p := s.Player()
	if !s.Changed() || p.Now() != at || s.setupErr != "" {
		t.Fatalf("changed %v, at %v (was %v), error %q", s.Changed(), p.Now(), at, s.setupErr)
	}
	if prefill, link, ok := p.Side(1).Disaggregated(); !ok || prefill != 2 || link.Name != "roce100" || p.Side(1).Router.Name != "power-of-two" {
		t.Fatalf("the right side is %d prefill over %q (%v) behind %s", prefill, link.Name, ok, p.Side(1).Router.Name)
	}
	if v := s.Views()[1]; len(v.Tiles()) != 4 || v.pools[1].W == 0 {
		t.Fatalf("the right side's view has %d tiles and no decode pool", len(v.Tiles()))
	}
	c := s.cfg
	c.Timing = "classic"
	s.rebuild(c, sides)
	if s.setupErr == "" || !strings.Contains(s.setupErr, "continuous batcher") {
		t.Fatalf("disaggregation on the serial batcher: %q", s.setupErr)
	}
	s.SetBeat(clusterRouting)
	if s.Changed() || s.setupErr != "" || s.sides != lesson.RoutingSides {
		t.Fatal("R did not restore the beat")
	}
}
