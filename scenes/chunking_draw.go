package scenes

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

var chunkingNames = [2]string{"Prompt run whole", "Prompt in chunks"}

func (c *Chunking) legend() []legendEntry {
	t := c.kit.Theme
	return []legendEntry{{"prefill", 0, t.Prefill}, {"output token", 0, t.Decode}}
}

func (c *Chunking) Layout(area Rect) { c.layoutTwin(c, area, c.legend()) }

// chunkingLabel names a row: the document with its size, or a chat.
func chunkingLabel(r lesson.ChunkingRow, chat int) string {
	if r.Class == sim.Batch {
		return thousands(r.Input) + "-token document"
	}
	return fmt.Sprintf("chat %d", chat)
}

func (c *Chunking) geometry(i int) chartGeometry {
	return c.twinRuns.geometry(c.charts[i], len(c.runs[0].Rows), thousands(lesson.ChunkingDocTokens())+"-token document", 52)
}

func (c *Chunking) Draw(dst *ebiten.Image) {
	drawTeaching(dst, c.kit, c, c.chrome, c.err, func(dst *ebiten.Image) {
		for i := range c.runs {
			c.drawChart(dst, i)
		}
		c.finish(dst, c.legend(), c.callouts())
	})
}

// drawChart draws one run up to the clock: a row per request, its
// prompt's iterations as bars and its output tokens as ticks.
func (c *Chunking) drawChart(dst *ebiten.Image, i int) {
	k := c.kit
	t := k.Theme
	run, r, g := c.runs[i], c.charts[i], c.geometry(i)
	c.drawFrame(dst, r, g, chunkingNames[i], c.runLine(run))
	now := c.clock.at
	chat := 0
	tick := max(2, k.Px(3))
	for i, row := range run.Rows {
		if row.Class == sim.Interactive {
			chat++
		}
		y := g.top + float64(i)*g.rowH
		h := g.rowH - k.Px(8)
		k.Text(dst, chunkingLabel(row, chat), r.X+k.Px(14), y+(h-k.LineHeight(twinText))/2, twinText, false, t.Text, render.Left)
		k.Rect(dst, g.x0, y+h/2, g.x1-g.x0, max(1, k.Px(1)), t.Edge)
		for _, s := range row.Prefill {
			if s.Start >= now {
				break
			}
			x0, x1 := g.x(s.Start), g.x(min(s.End, now))
			k.Rect(dst, x0, y, max(x1-x0-max(1, k.Px(1)), 1), h, t.Prefill)
		}
		for _, at := range row.Tokens {
			if at > now {
				break
			}
			k.Rect(dst, g.x(at)-tick/2, y+h*0.15, tick, h*0.7, t.Decode)
		}
	}
	c.drawAxis(dst, g)
}

// runLine is a run's numbers once it is over.
func (c *Chunking) runLine(run *lesson.ChunkingRun) string {
	if c.clock.at < run.End {
		return fmtDur(c.clock.at)
	}
	return fmt.Sprintf("chats' longest gap between tokens %s · document's first token %s", fmtDur(run.ChatGap), fmtDur(run.DocTTFT))
}

func (c *Chunking) callouts() []Callout {
	doc := len(c.runs[0].Rows) - 1
	switch c.beat {
	case 0:
		return []Callout{{Box: c.rowBox(0, doc), Label: "run whole"}, {Box: c.rowBox(1, doc), Label: "run in chunks"}}
	case 1:
		return []Callout{{Box: c.gapBox(0), Label: "every chat waits"}}
	}
	return []Callout{{Box: c.gapBox(1), Label: "the chats keep their pace"},
		{Box: c.lineBox(1, c.geometry(1), c.runLine(c.runs[1])), Label: "what the document pays"}}
}

// rowBox is one row of a chart.
func (c *Chunking) rowBox(chart, row int) Rect {
	g := c.geometry(chart)
	return Rect{g.x0, g.top + float64(row)*g.rowH, g.x1 - g.x0, g.rowH - c.kit.Px(8)}
}

// gapBox is the chat rows over the document's prefill.
func (c *Chunking) gapBox(chart int) Rect {
	run := c.runs[chart]
	g := c.geometry(chart)
	doc := run.Rows[len(run.Rows)-1].Prefill
	x0, x1 := g.x(doc[0].Start), g.x(doc[len(doc)-1].End)
	return Rect{x0, g.top, x1 - x0, float64(len(run.Rows)-1)*g.rowH - c.kit.Px(8)}
}
