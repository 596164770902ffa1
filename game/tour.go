package game

import (
	"fmt"
	"time"

	"inferplay/scenes"
	"inferplay/settings"
)

// sceneNames are the -scene values, in tour order.
var sceneNames = settings.Scenes

// tour is the guided tour: its scenes in order, where the viewer is, and
// the slide between two scenes.
type tour struct {
	scenes []scenes.Scene
	cur    int
	// from is the scene sliding out (-1: none), dir +1 when going forward,
	// and slide runs from 0 to 1 over slideTime.
	from  int
	dir   float64
	slide float64
}

// slideTime is a scene change: quick enough not to hold up a lecture,
// long enough for the eye to follow which way the tour went.
const slideTime = 220 * time.Millisecond

func (t *tour) scene() scenes.Scene { return t.scenes[t.cur] }

// goTo enters scene i at a beat (-1: its last), sliding from the current
// one.
func (g *Game) goTo(i, beat int) {
	t := &g.tour
	i = max(0, min(i, len(t.scenes)-1))
	if i != t.cur {
		t.from, t.dir, t.slide = t.cur, 1, 0
		if i < t.cur {
			t.dir = -1
		}
	}
	t.cur = i
	s := t.scene()
	if beat < 0 {
		beat = len(s.Beats()) - 1
	}
	s.SetBeat(beat)
}

// nextBeat goes to the next beat, and past a scene's last beat to the next
// scene.
func (g *Game) nextBeat() {
	s := g.tour.scene()
	switch {
	case s.Beat() < len(s.Beats())-1:
		s.SetBeat(s.Beat() + 1)
	case g.tour.cur < len(g.tour.scenes)-1:
		g.goTo(g.tour.cur+1, 0)
	default:
		g.notify("This is the end of the tour: the playground is yours.")
	}
}

// prevBeat goes back a beat, and from a scene's first beat to the last
// beat of the scene before.
func (g *Game) prevBeat() {
	s := g.tour.scene()
	switch {
	case s.Beat() > 0:
		s.SetBeat(s.Beat() - 1)
	case g.tour.cur > 0:
		g.goTo(g.tour.cur-1, -1)
	}
}

// snapBack restores the current beat after changes by hand.
func (g *Game) snapBack() {
	s := g.tour.scene()
	s.SetBeat(s.Beat())
	g.notify(fmt.Sprintf("Back to beat %d of %d", s.Beat()+1, len(s.Beats())))
}

// advanceSlide moves a scene change on by a frame.
func (t *tour) advanceSlide(dt time.Duration) {
	if t.from < 0 {
		return
	}
	t.slide += float64(dt) / float64(slideTime)
	if t.slide >= 1 {
		t.from, t.slide = -1, 0
	}
}
