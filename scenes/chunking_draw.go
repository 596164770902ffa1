package scenes

import (
	"fmt"
	"time"

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

// Layout puts the two charts one above the other, on one time axis, and
// the legend under them.
func (c *Chunking) Layout(area Rect) {
	k := c.kit
	c.chrome = layoutChrome(k, c, area)
	body := c.chrome.Body
	legendH := legendHeight(k, body.W, c.legend())
	gap := k.Px(16)
	h := (body.H - legendH - 2*gap) / 2
	for i := range c.charts {
		c.charts[i] = Rect{body.X, body.Y + float64(i)*(h+gap), body.W, h}
	}
	c.legendBox = Rect{body.X, body.Y + 2*(h+gap), body.W, legendH}
}

// rowLabel names a row: the document with its size, or a chat.
func chunkingLabel(r lesson.ChunkingRow, chat int) string {
	if r.Class == sim.Batch {
		return thousands(r.Input) + "-token document"
	}
	return fmt.Sprintf("chat %d", chat)
}

func (c *Chunking) geometry(r Rect) chartGeometry {
	k := c.kit
	pad := k.Px(14)
	rows := len(c.runs[0].Rows)
	var g chartGeometry
	g.titleY = r.Y + k.Px(6)
	axisH := k.Px(8) + k.LineHeight(batchingAxis)
	// Room for a callout's tag between the title and the rows, unless the
	// rows need it to keep their labels apart.
	labelH := k.LineHeight(batchingText)
	below := g.titleY + k.LineHeight(batchingTitle)
	avail := r.Y + r.H - pad - axisH - below
	tagGap := k.LineHeight(22) + k.Px(16)
	if avail-tagGap < float64(rows)*labelH {
		tagGap = k.Px(4)
	}
	g.top = below + tagGap
	g.rowH = max(labelH, min(k.Px(52), (avail-tagGap)/float64(rows)))
	g.x0 = r.X + pad + k.TextWidth(thousands(lesson.ChunkingDocTokens())+"-token document", batchingText, false) + k.Px(16)
	g.x1 = r.X + r.W - pad - k.TextWidth("0000 ms", batchingAxis, false)/2
	g.axisY = g.top + float64(rows)*g.rowH + k.Px(4)
	g.axis = msAxisFor(k, c.span, g.x1-g.x0, batchingAxis, true)
	return g
}

func (c *Chunking) draw(dst *ebiten.Image) {
	if c.runs[0] == nil {
		return
	}
	for i, r := range c.runs {
		c.drawChart(dst, c.charts[i], chunkingNames[i], r)
	}
	c.legendAt = drawLegend(dst, c.kit, c.legendBox, c.legend(), c.legendAt)
	c.spot = c.callouts()
	c.spotlight.Draw(dst, c.kit, c.chrome.Body, c.spot)
}

func (c *Chunking) drawChart(dst *ebiten.Image, r Rect, title string, run *lesson.ChunkingRun) {
	k := c.kit
	t := k.Theme
	g := c.geometry(r)
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Text(dst, title, r.X+k.Px(14), g.titleY, batchingTitle, true, t.Text, render.Left)
	k.Text(dst, k.Fit(c.runLine(run), r.W-k.Px(28)-k.TextWidth(title, batchingTitle, true)-k.Px(24), batchingText, false),
		r.X+r.W-k.Px(14), g.titleY+(k.LineHeight(batchingTitle)-k.LineHeight(batchingText))/2, batchingText, false, t.TextDim, render.Right)
	fx := func(at time.Duration) float64 { return g.x0 + (g.x1-g.x0)*float64(at)/float64(g.axis.end) }
	now := c.clock.at
	chat := 0
	tick := max(2, k.Px(3))
	for i, row := range run.Rows {
		if row.Class == sim.Interactive {
			chat++
		}
		y := g.top + float64(i)*g.rowH
		h := g.rowH - k.Px(8)
		k.Text(dst, chunkingLabel(row, chat), r.X+k.Px(14), y+(h-k.LineHeight(batchingText))/2, batchingText, false, t.Text, render.Left)
		k.Rect(dst, g.x0, y+h/2, g.x1-g.x0, max(1, k.Px(1)), t.Edge)
		for _, s := range row.Prefill {
			if s.Start >= now {
				break
			}
			x0, x1 := fx(s.Start), fx(min(s.End, now))
			k.Rect(dst, x0, y, max(x1-x0-max(1, k.Px(1)), 1), h, t.Prefill)
		}
		for _, at := range row.Tokens {
			if at > now {
				break
			}
			k.Rect(dst, fx(at)-tick/2, y+h*0.15, tick, h*0.7, t.Decode)
		}
	}
	for at := time.Duration(0); at <= g.axis.end; at += g.axis.step {
		x := fx(at)
		k.Rect(dst, x, g.axisY, max(1, k.Px(2)), k.Px(6), t.TextDim)
		k.Text(dst, msLabel(at), x, g.axisY+k.Px(8), batchingAxis, false, t.TextDim, render.Center)
	}
	if now > 0 && now < c.span {
		k.Rect(dst, fx(now), g.top-k.Px(4), max(2, k.Px(3)), g.axisY-g.top+k.Px(4), t.Accent)
	}
}

// runLine is a run's numbers once it is over.
func (c *Chunking) runLine(run *lesson.ChunkingRun) string {
	if c.clock.at < run.End {
		return fmtDur(c.clock.at)
	}
	return fmt.Sprintf("chats' longest gap between tokens %s · document's first token %s", fmtDur(run.ChatGap), fmtDur(run.DocTTFT))
}

func (c *Chunking) callouts() []Callout {
	switch c.beat {
	case 0:
		return []Callout{{Box: c.rowBox(0, len(c.runs[0].Rows)-1), Label: "run whole"}, {Box: c.rowBox(1, len(c.runs[1].Rows)-1), Label: "run in chunks"}}
	case 1:
		return []Callout{{Box: c.gapBox(0), Label: "every chat waits"}}
	}
	return []Callout{{Box: c.gapBox(1), Label: "the chats keep their pace"}, {Box: c.lineBox(1), Label: "what the document pays"}}
}

// rowBox is one row of a chart.
func (c *Chunking) rowBox(chart, row int) Rect {
	g := c.geometry(c.charts[chart])
	return Rect{g.x0, g.top + float64(row)*g.rowH, g.x1 - g.x0, g.rowH - c.kit.Px(8)}
}

// gapBox is the chat rows over the document's prefill.
func (c *Chunking) gapBox(chart int) Rect {
	run := c.runs[chart]
	g := c.geometry(c.charts[chart])
	doc := run.Rows[len(run.Rows)-1].Prefill
	fx := func(at time.Duration) float64 { return g.x0 + (g.x1-g.x0)*float64(at)/float64(g.axis.end) }
	x0, x1 := fx(doc[0].Start), fx(doc[len(doc)-1].End)
	return Rect{x0, g.top, x1 - x0, float64(len(run.Rows)-1)*g.rowH - c.kit.Px(8)}
}

func (c *Chunking) lineBox(chart int) Rect {
	k := c.kit
	r := c.charts[chart]
	g := c.geometry(r)
	w := k.TextWidth(c.runLine(c.runs[chart]), batchingText, false)
	return Rect{r.X + r.W - k.Px(14) - w, g.titleY, w, k.LineHeight(batchingTitle)}
}
