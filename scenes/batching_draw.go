package scenes

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
)

// batchingNames are the charts' titles, in lesson.BatchingBatchers order.
var batchingNames = [2]string{"Static batching", "Continuous batching"}

func (b *Batching) legend() []legendEntry {
	t := b.kit.Theme
	return []legendEntry{{"prefill", 0, t.Prefill}, {"decode", 0, t.Decode}, {"idle slot", 0, t.Free}}
}

func (b *Batching) Layout(area Rect) { b.layoutTwin(b, area, b.legend()) }

func (b *Batching) geometry(i int) chartGeometry {
	return b.twinRuns.geometry(b.charts[i], lesson.BatchingSlots, "slot 4", 64)
}

func (b *Batching) Draw(dst *ebiten.Image) {
	drawTeaching(dst, b.kit, b, b.chrome, b.err, func(dst *ebiten.Image) {
		for i := range b.runs {
			b.drawChart(dst, i)
		}
		b.finish(dst, b.legend(), b.callouts())
	})
}

// drawChart draws one run up to the clock: a row per slot, a cell per
// iteration in the colour of what the slot did, each request's span
// labelled where it is wide enough.
func (b *Batching) drawChart(dst *ebiten.Image, i int) {
	k := b.kit
	t := k.Theme
	run, r, g := b.runs[i], b.charts[i], b.geometry(i)
	b.drawFrame(dst, r, g, batchingNames[i], b.runLine(run))
	now := b.clock.at
	for s := range lesson.BatchingSlots {
		y := g.top + float64(s)*g.rowH
		k.Text(dst, fmt.Sprintf("slot %d", s+1), r.X+k.Px(14), y+(g.rowH-k.LineHeight(twinText))/2, twinText, false, t.Text, render.Left)
		cellH := g.rowH - k.Px(6)
		// Runs of iterations with the same request in the slot: one
		// label each.
		spanStart, spanReq := 0.0, -2
		flush := func(endX float64) {
			if spanReq < 0 {
				return
			}
			label := fmt.Sprintf("R%d", spanReq+1)
			if endX-spanStart >= k.TextWidth(label, twinText, true)+k.Px(8) {
				k.Text(dst, label, (spanStart+endX)/2, y+(cellH-k.LineHeight(twinText))/2, twinText, true, t.Background, render.Center)
			}
		}
		for _, it := range run.Iters {
			if it.Start >= now {
				break
			}
			x0, x1 := g.x(it.Start), g.x(min(it.End, now))
			c := it.Slots[s]
			k.Rect(dst, x0, y, max(x1-x0, 1), cellH, b.cellColour(c.Use))
			if c.Req != spanReq {
				flush(x0)
				spanStart, spanReq = x0, c.Req
			}
		}
		flush(g.x(min(now, run.End)))
	}
	b.drawAxis(dst, g)
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

// runLine is a run's state at the clock: how many are waiting, or once
// over, its finish, throughput and idle share.
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
	return []Callout{{Box: b.rowsBox(1), Label: "slots refilled at once"}, {Box: b.lineBox(1, b.geometry(1), b.runLine(b.runs[1])), Label: "sooner, more tokens/s"}}
}

// rowsBox is a chart's slot rows.
func (b *Batching) rowsBox(i int) Rect {
	g := b.geometry(i)
	return Rect{g.x0, g.top, g.x1 - g.x0, lesson.BatchingSlots * g.rowH}
}
