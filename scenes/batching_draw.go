package scenes

import (
	"fmt"
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
)

// Type sizes of the scene's body, at 1920×1080.
const (
	batchingText  = 22
	batchingTitle = 30
	batchingAxis  = 20
)

// batchingNames are the charts' titles, in lesson.BatchingBatchers order.
var batchingNames = [2]string{"Static batching", "Continuous batching"}

func (b *Batching) legend() []legendEntry {
	t := b.kit.Theme
	return []legendEntry{{"prefill", 0, t.Prefill}, {"decode", 0, t.Decode}, {"idle slot", 0, t.Free}}
}

// Layout puts the two charts one above the other, on one time axis, and
// the legend under them.
func (b *Batching) Layout(area Rect) {
	k := b.kit
	b.chrome = layoutChrome(k, b, area)
	body := b.chrome.Body
	legendH := legendHeight(k, body.W, b.legend())
	gap := k.Px(16)
	h := (body.H - legendH - 2*gap) / 2
	for i := range b.charts {
		b.charts[i] = Rect{body.X, body.Y + float64(i)*(h+gap), body.W, h}
	}
	b.results = Rect{body.X, body.Y + 2*(h+gap), body.W, legendH}
}

// chartGeometry places a chart's parts: the title line, the slot rows, the
// time axis.
type chartGeometry struct {
	titleY, top, rowH, x0, x1, axisY float64
	axis                             msAxis
}

func (b *Batching) geometry(r Rect) chartGeometry {
	k := b.kit
	pad := k.Px(14)
	var g chartGeometry
	g.titleY = r.Y + k.Px(6)
	// Room between the title and the rows for a callout's tag, which
	// would otherwise cover the title.
	g.top = g.titleY + k.LineHeight(batchingTitle) + k.LineHeight(22) + k.Px(16)
	axisH := k.Px(8) + k.LineHeight(batchingAxis)
	g.rowH = min(k.Px(64), (r.Y+r.H-pad-axisH-g.top)/lesson.BatchingSlots)
	g.x0 = r.X + pad + k.TextWidth("slot 4", batchingText, false) + k.Px(16)
	// The last tick's label is centred on the axis's end: room for half.
	g.x1 = r.X + r.W - pad - k.TextWidth("0000 ms", batchingAxis, false)/2
	g.axisY = g.top + lesson.BatchingSlots*g.rowH + k.Px(4)
	g.axis = msAxisFor(k, b.span, g.x1-g.x0, batchingAxis, true)
	return g
}

func (b *Batching) draw(dst *ebiten.Image) {
	for i, r := range b.runs {
		b.drawChart(dst, b.charts[i], batchingNames[i], r)
	}
	b.legendAt = drawLegend(dst, b.kit, b.results, b.legend(), b.legendAt)
	b.spot = b.callouts()
	b.spotlight.Draw(dst, b.kit, b.chrome.Body, b.spot)
}

// drawChart draws one run up to the clock: a row per slot, a cell per
// iteration in the colour of what the slot did, each request's span
// labelled where it is wide enough.
func (b *Batching) drawChart(dst *ebiten.Image, r Rect, title string, run *lesson.BatchingRun) {
	k := b.kit
	t := k.Theme
	g := b.geometry(r)
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Text(dst, title, r.X+k.Px(14), g.titleY, batchingTitle, true, t.Text, render.Left)
	k.Text(dst, k.Fit(b.runLine(run), g.x1-g.x0-k.TextWidth(title, batchingTitle, true), batchingText, false),
		r.X+r.W-k.Px(14), g.titleY+(k.LineHeight(batchingTitle)-k.LineHeight(batchingText))/2, batchingText, false, t.TextDim, render.Right)
	fx := func(at time.Duration) float64 { return g.x0 + (g.x1-g.x0)*float64(at)/float64(g.axis.end) }
	now := b.clock.at
	for s := range lesson.BatchingSlots {
		y := g.top + float64(s)*g.rowH
		k.Text(dst, fmt.Sprintf("slot %d", s+1), r.X+k.Px(14), y+(g.rowH-k.LineHeight(batchingText))/2, batchingText, false, t.Text, render.Left)
		cellH := g.rowH - k.Px(6)
		// Runs of iterations with the same request in the slot: one
		// label each.
		spanStart, spanReq := 0.0, -2
		flush := func(endX float64) {
			if spanReq < 0 {
				return
			}
			label := fmt.Sprintf("R%d", spanReq+1)
			if endX-spanStart >= k.TextWidth(label, batchingText, true)+k.Px(8) {
				k.Text(dst, label, (spanStart+endX)/2, y+(cellH-k.LineHeight(batchingText))/2, batchingText, true, t.Background, render.Center)
			}
		}
		for _, it := range run.Iters {
			if it.Start >= now {
				break
			}
			x0, x1 := fx(it.Start), fx(min(it.End, now))
			c := it.Slots[s]
			k.Rect(dst, x0, y, max(x1-x0, 1), cellH, b.cellColour(c.Use))
			if c.Req != spanReq {
				flush(x0)
				spanStart, spanReq = x0, c.Req
			}
		}
		end := fx(min(now, run.End))
		flush(end)
	}
	// The time axis, shared by both charts.
	for at := time.Duration(0); at <= g.axis.end; at += g.axis.step {
		x := fx(at)
		k.Rect(dst, x, g.axisY, max(1, k.Px(2)), k.Px(6), t.TextDim)
		k.Text(dst, msLabel(at), x, g.axisY+k.Px(8), batchingAxis, false, t.TextDim, render.Center)
	}
	if now > 0 && now < b.span {
		x := fx(now)
		k.Rect(dst, x, g.top-k.Px(4), max(2, k.Px(3)), g.axisY-g.top+k.Px(4), t.Accent)
	}
}

func (b *Batching) cellColour(u lesson.SlotUse) color.RGBA {
	t := b.kit.Theme
	switch u {
	case lesson.SlotPrefill:
		return t.Prefill
	case lesson.SlotDecode:
		return t.Decode
	}
	return t.Free
}

// runLine is a run's state at the clock: how many are waiting and done, or
// once over, its finish, throughput and idle share.
func (b *Batching) runLine(run *lesson.BatchingRun) string {
	now := b.clock.at
	if now >= run.End {
		return fmt.Sprintf("all %d done at %s · %.0f tokens/s · %.0f%% of slot time idle",
			lesson.BatchingRequests(), fmtDur(run.End), run.Throughput, 100*run.IdleShare)
	}
	waiting := lesson.BatchingRequests()
	for _, it := range run.Iters {
		if it.Start > now {
			break
		}
		waiting = it.Waiting
	}
	return fmt.Sprintf("%d waiting · %s", waiting, fmtDur(now))
}

// callouts point at what the beat's caption names.
func (b *Batching) callouts() []Callout {
	switch b.beat {
	case 0:
		return []Callout{{Box: b.rowsBox(0), Label: "static: one batch at a time"}, {Box: b.rowsBox(1), Label: "continuous: refilled every iteration"}}
	case 1:
		return []Callout{{Box: b.rowsBox(0), Label: "idle slots"}}
	}
	return []Callout{{Box: b.rowsBox(1), Label: "slots refilled at once"}, {Box: b.runLineBox(1), Label: "sooner, more tokens/s"}}
}

// rowsBox is a chart's slot rows.
func (b *Batching) rowsBox(i int) Rect {
	g := b.geometry(b.charts[i])
	return Rect{g.x0, g.top, g.x1 - g.x0, lesson.BatchingSlots * g.rowH}
}

// runLineBox is a chart's line of numbers.
func (b *Batching) runLineBox(i int) Rect {
	k := b.kit
	g := b.geometry(b.charts[i])
	r := b.charts[i]
	w := k.TextWidth(b.runLine(b.runs[i]), batchingText, false)
	return Rect{r.X + r.W - k.Px(14) - w, g.titleY, w, k.LineHeight(batchingTitle)}
}
