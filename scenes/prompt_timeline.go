package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// The timeline's rows, axis and summary are stacked from their line
// heights, so that no line of text can run into the next at any size.

// timelineRows is the height of a timeline row: room for the TTFT label.
func timelineRow(k *render.Kit) float64 { return max(k.Px(34), k.LineHeight(24)) }

// timelineHeight is the panel height for a summary of so many lines.
func timelineHeight(k *render.Kit, summaryLines int) float64 {
	return k.PanelTitle() + k.Px(8) + 2*timelineRow(k) + k.Px(10) + // the rows
		k.Px(12) + k.Px(8) + k.LineHeight(20) + // the axis and its labels
		k.Px(4) + float64(max(summaryLines, 1))*k.LineHeight(22) + k.Px(12)
}

// summaryLines is how many lines the summary takes under the timeline:
// one where it fits, else two.
func (p *Prompt) summaryLines() int {
	w := p.chrome.Body.W - 2*p.kit.Px(16)
	return max(1, min(2, len(p.kit.Wrap(p.summary, w, 22, false))))
}

// drawTimeline draws the run on a time axis: a prefill bar cut into its
// chunks, a decode bar with a tick per token, the TTFT marker, the
// playhead, and the run's sums below.
func (p *Prompt) drawTimeline(dst *ebiten.Image, s promptState) {
	k, t, r := p.kit, p.kit.Theme, p.layout.timeline
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, "Timeline, simulated time")
	pad := k.Px(16)
	labelW := max(k.TextWidth("prefill", 22, true), k.TextWidth("decode", 22, true)) + k.Px(24)
	x0, x1 := r.X+pad+labelW, r.X+r.W-pad-k.Px(40)
	span := p.run.End
	px := func(d time.Duration) float64 { return x0 + (x1-x0)*float64(d)/float64(max(span, 1)) }
	now := p.clock.at
	rowH, rowGap := timelineRow(k), k.Px(10)
	y := top + k.Px(8)
	y2 := y + rowH + rowGap // the decode row
	mid := func(row float64, size float64) float64 { return row + (rowH-k.LineHeight(size))/2 + k.Px(2) }
	k.Text(dst, "prefill", r.X+pad, mid(y, 22), 22, true, t.Prefill, render.Left)
	k.Text(dst, "decode", r.X+pad, mid(y2, 22), 22, true, t.Decode, render.Left)
	p.spots.decodes = Rect{px(p.run.TTFT), y2, px(p.run.End) - px(p.run.TTFT), rowH}
	gap := max(1, k.Px(2))
	out := 0
	for _, st := range p.run.Steps {
		if st.Start >= now {
			break
		}
		made := st.Decoded > out // the pass put out a token
		out = st.Decoded
		a, b := px(st.Start), px(min(st.End, now))
		if st.Prefill > 0 {
			k.Rect(dst, a, y, max(1, b-a-gap), rowH, t.Prefill)
		} else {
			k.Rect(dst, a, y2, max(1, b-a), rowH, t.Decode)
		}
		if made && st.End <= now {
			// A tick where a token came out.
			k.Rect(dst, px(st.End)-gap/2, y2-k.Px(4), gap, rowH+k.Px(8), t.Text)
		}
	}

	axisY := y2 + rowH + k.Px(12)
	k.Rect(dst, x0, axisY, x1-x0, max(1, k.Px(1.5)), t.Edge)
	// As many ticks as their labels have room for.
	room := k.TextWidth("000 ms", 20, false) + k.Px(40)
	step := render.NiceStepFor(span, max(1, int((x1-x0)/room)))
	for at := time.Duration(0); at <= span; at += step {
		k.Rect(dst, px(at), axisY, max(1, k.Px(1.5)), k.Px(8), t.Edge)
		k.Text(dst, render.AxisLabel(at, step), px(at), axisY+k.Px(8), 20, false, t.TextDim, render.Center)
	}
	p.spots.ttft, p.spots.prefill = Rect{}, Rect{}
	if now >= p.run.TTFT {
		tx := px(p.run.TTFT)
		k.Rect(dst, tx-k.Px(1.5), y-k.Px(6), k.Px(3), y2+rowH+k.Px(6)-(y-k.Px(6)), t.Warning)
		// In the prefill row, which is empty after the first token.
		label := "TTFT " + fmtDur(p.run.TTFT)
		lw := k.TextWidth(label, 24, true)
		lx := tx + k.Px(10)
		if lx+lw > r.X+r.W-pad {
			lx = tx - k.Px(10) - lw // no room after it: before it, over the bar
		}
		k.Text(dst, label, lx, mid(y, 24), 24, true, t.Warning, render.Left)
		p.spots.ttft = Rect{min(tx, lx) - k.Px(4), y - k.Px(6), lw + k.Px(18), y2 + rowH + k.Px(12) - y}
		p.spots.prefill = Rect{x0, y - k.Px(6), p.spots.ttft.X + p.spots.ttft.W - x0, rowH + k.Px(12)}
	}
	k.Rect(dst, px(now)-k.Px(1.5), y-k.Px(8), k.Px(3), y2+rowH+k.Px(16)-y, t.Text)

	sy := axisY + k.Px(8) + k.LineHeight(20) + k.Px(4)
	k.Paragraph(dst, p.summary, r.X+pad, sy, r.W-2*pad, 22, false, t.Text, 2)
}

// summarize puts the run's sums in a line, for under the timeline.
func (p *Prompt) summarize() string {
	prefill := fmt.Sprintf("one prefill pass of %s", fmtDur(p.run.TTFT))
	if p.run.Passes > 1 {
		prefill = fmt.Sprintf("%d prefill passes, %s", p.run.Passes, fmtDur(p.run.TTFT))
	}
	if p.run.Decodes == 0 {
		return "the only token after " + prefill
	}
	return fmt.Sprintf("first token after %s · then %d more tokens at %s each · last token at %s",
		prefill, p.run.Decodes, fmtDur(p.run.TPOT), fmtDur(p.run.End))
}
