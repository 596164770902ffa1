package scenes

import (
	"github.com/hajimehoshi/ebiten/v2"
)

// spotCallouts are what a beat's caption points at, at the moment it
// describes: before the run starts, the document and the five chats it
// names; once the last policy's run is over, the comparison whose figures
// the caption reads out. While a run plays nothing is dimmed, so that the
// eye can follow it.
func (c *Contention) spotCallouts() []Callout {
	c.spot = c.spot[:0]
	if c.run == nil || len(c.run.reqs) < 2 {
		return nil
	}
	switch {
	case c.beat == 0 && c.clock.at == 0:
		g := c.ganttLayout()
		r := c.layout.gantt
		row := func(from, n int) Rect {
			return Rect{r.X + c.kit.Px(8), g.top + float64(from)*g.rowH, r.W - 2*c.kit.Px(8), float64(n) * g.rowH}
		}
		c.spot = append(c.spot,
			Callout{Box: row(0, 1), Label: "the document, first"},
			Callout{Box: row(1, len(c.run.reqs)-1)})
	case c.beat == len(contentionBeats)-1 && c.clock.at >= c.clock.end && c.clock.end > 0:
		c.spot = append(c.spot, Callout{Box: c.layout.results, Label: "every policy, one axis"})
	}
	return c.spot
}

// drawSpot dims the scene but what the caption points at.
func (c *Contention) drawSpot(dst *ebiten.Image) {
	if callouts := c.spotCallouts(); len(callouts) > 0 {
		c.spotlight.Draw(dst, c.kit, c.chrome.Body, callouts)
	}
}
