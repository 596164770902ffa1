package scenes

import (
	"testing"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Opened straight at its last beat (a link, the contents strip), the
// comparison shows every policy's result at once, on one axis that covers
// them all: each bar's length is its value on that axis, and none runs past
// it. The axis is the same for every beat.
func TestContentionComparisonOpensComplete(t *testing.T) {
	kit, err := render.NewKit(render.Dark())
	if err != nil {
		t.Fatal(err)
	}
	for _, timing := range lesson.ContentionTimings {
		c := NewContention(kit, sim.DefaultSeed)
		c.SetTiming(timing)
		c.Layout(Rect{0, 0, 1920, 1080})
		var axisEnd [2]int64
		for i, beat := range []int{len(contentionBeats) - 1, 1} {
			c.SetBeat(beat)
			c.Layout(Rect{0, 0, 1920, 1080})
			g := c.resultsLayout()
			axisEnd[i] = int64(g.axis.end)
			if beat != len(contentionBeats)-1 {
				continue
			}
			span := g.x1 - g.x0
			for _, b := range g.bars {
				if !b.shown {
					t.Fatalf("%s: %s not shown at the last beat", timing, b.policy)
				}
				want := span * float64(b.mean) / float64(g.axis.end)
				if b.w < want-0.5 || b.w > want+0.5 || b.w > span+0.5 || b.w <= 0 {
					t.Fatalf("%s: %s's bar %.1f px for %v on a %v axis of %.1f px", timing, b.policy, b.w, b.mean, g.axis.end, span)
				}
			}
		}
		if axisEnd[0] != axisEnd[1] {
			t.Fatalf("%s: the axis ends at %v on the last beat, %v on the second", timing, axisEnd[0], axisEnd[1])
		}
	}
}
