package scenes

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

type contentionLayout struct{ gantt, policy, results Rect }

func layoutContention(k *render.Kit, b Rect) contentionLayout {
	gap := k.Px(16)
	var l contentionLayout
	l.gantt = Rect{b.X, b.Y, b.W * 0.62, b.H}
	rx := l.gantt.X + l.gantt.W + gap
	rw := b.X + b.W - rx
	l.policy = Rect{rx, b.Y, rw, b.H * 0.42}
	l.results = Rect{rx, b.Y + l.policy.H + gap, rw, b.H - l.policy.H - gap}
	return l
}

func (c *Contention) draw(dst *ebiten.Image) {
	c.drawGantt(dst)
	c.drawPolicy(dst)
	c.drawResults(dst)
}

// drawGantt draws a row per request and a cell per tick: waiting, waiting
// behind the long prompt (head-of-line blocking), prefill, decode.
func (c *Contention) drawGantt(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.gantt
	e := c.player.Engine()
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, "Who holds the GPU, tick by tick")
	pad := k.Px(14)
	labelW := k.TextWidth("document 16,000", 22, false) + k.Px(30)
	ttftW := k.TextWidth("TTFT 0000 ms", 22, true) + k.Px(10)
	x0, x1 := r.X+pad+labelW, r.X+r.W-pad-ttftW
	legendH := k.LineHeight(22) + k.Px(8)
	axisH := k.Px(34)
	n := e.Len()
	rowH := min(k.Px(96), (r.Y+r.H-pad-legendH-axisH-top)/float64(max(n, 1)))
	span := max(c.span, time.Millisecond)
	px := func(d time.Duration) float64 { return x0 + (x1-x0)*float64(d)/float64(span) }
	tickDur := sim.ClassicTick
	long := -1
	for id := range n {
		if e.Request(id).Class == sim.Batch {
			long = id
		}
	}
	chat := 0
	for id := range n {
		q := e.Request(id)
		y := top + float64(id)*rowH
		label := fmt.Sprintf("document %s", thousands(q.Input))
		if q.Class == sim.Interactive {
			chat++
			label = fmt.Sprintf("chat %d · %d", chat, q.Input)
		}
		k.Rect(dst, r.X+pad, y+rowH*0.2, k.Px(8), rowH*0.6, t.Class(q.Class))
		k.Text(dst, label, r.X+pad+k.Px(16), y+(rowH-k.LineHeight(22))/2, 22, false, t.Text, render.Left)
		k.Rect(dst, x0, y+rowH-max(1, k.Px(1)), x1-x0, max(1, k.Px(1)), t.Edge)
		if q.ArrivalTick == 0 {
			continue // not arrived yet
		}
		row := c.cells[id]
		last := e.Tick()
		if q.CompletionTick > 0 {
			last = q.CompletionTick
		}
		inset := max(1, k.Px(1.5))
		for a := q.ArrivalTick; a <= last; a++ {
			kind := cellNone
			if a-1 < len(row) {
				kind = row[a-1]
			}
			var col = t.Queued
			switch {
			case kind == cellPrefill:
				col = t.Prefill
			case kind == cellDecode:
				col = t.Decode
			case q.FirstTokenTick > 0 && a >= q.FirstTokenTick:
				continue
			case q.Class == sim.Interactive && long >= 0 && a-1 < len(c.cells[long]) && c.cells[long][a-1] == cellPrefill:
				col = t.Blocked // waiting while the long prompt prefills
			}
			xa := px(time.Duration(a-1) * tickDur)
			xb := px(time.Duration(a) * tickDur)
			k.Rect(dst, xa, y+rowH*0.15, xb-xa-inset, rowH*0.7, col)
		}
		if q.FirstTokenTick > 0 {
			ttft := q.FirstTokenAt - q.JoinedAt
			ink := t.Text
			if q.Class == sim.Interactive && ttft > 100*time.Millisecond {
				ink = t.Warning
			}
			k.Text(dst, fmtDur(ttft), r.X+r.W-pad, y+(rowH-k.LineHeight(22))/2, 22, true, ink, render.Right)
		}
	}
	k.Text(dst, "TTFT", r.X+r.W-pad, top-k.LineHeight(22)-k.Px(8), 22, true, t.TextDim, render.Right)
	// Axis and playhead.
	ay := top + float64(n)*rowH + k.Px(4)
	step := render.NiceStep(span)
	for at := time.Duration(0); at <= span; at += step {
		k.Rect(dst, px(at), ay, max(1, k.Px(1.5)), k.Px(8), t.Edge)
		k.Text(dst, render.AxisLabel(at, step), px(at), ay+k.Px(8), 20, false, t.TextDim, render.Center)
	}
	now := px(e.Now())
	k.Rect(dst, now-k.Px(1.5), top-k.Px(4), k.Px(3), float64(n)*rowH+k.Px(8), t.Text)
	// Legend.
	ly := r.Y + r.H - pad - legendH + k.Px(8)
	lx := r.X + pad
	for _, item := range []struct {
		c     color.RGBA
		label string
	}{{t.Queued, "waiting"}, {t.Blocked, "waiting behind the document"}, {t.Prefill, "prefill"}, {t.Decode, "decode"}} {
		sz := k.Px(18)
		k.Rect(dst, lx, ly+k.Px(4), sz, sz, item.c)
		k.Text(dst, item.label, lx+sz+k.Px(8), ly, 22, false, t.Text, render.Left)
		lx += sz + k.Px(8) + k.TextWidth(item.label, 22, false) + k.Px(24)
	}
}

// drawPolicy names the policy and says how it decides.
func (c *Contention) drawPolicy(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.policy
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Frame(dst, r.X, r.Y, r.W, r.H, k.Px(3), t.Prefill)
	pad := k.Px(18)
	y := r.Y + k.Px(12)
	k.Text(dst, "Policy: "+strings.ToUpper(c.policy), r.X+pad, y, 40, true, t.Text, render.Left)
	y += k.LineHeight(40)
	desc := ""
	if info, err := sim.LookupPolicy(c.policy); err == nil {
		desc = info.Description
	}
	lines := int((r.Y + r.H - k.LineHeight(22) - k.Px(20) - y) / k.LineHeight(22))
	k.Paragraph(dst, desc, r.X+pad, y, r.W-2*pad, 22, false, t.Text, max(1, lines))
	k.Text(dst, k.Fit("S: next policy ("+strings.Join(lesson.ContentionPolicies, " → ")+")", r.W-2*pad, 22, true),
		r.X+pad, r.Y+r.H-k.LineHeight(22)-k.Px(10), 22, true, t.Prefill, render.Left)
}

// drawResults puts the chats' mean TTFT under every policy tried side by
// side, with the document's own TTFT: what the chats gain, it pays.
func (c *Contention) drawResults(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.results
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit("Chats' time to first token, mean of 5", r.W-k.Px(28), 24, true))
	pad := k.Px(16)
	var worst time.Duration
	for _, res := range c.results {
		worst = max(worst, lesson.Mean(res.chats))
	}
	nameW := k.TextWidth("MLFQ", 24, true) + k.Px(16)
	rowH := min(k.Px(70), (r.Y+r.H-pad-top)/float64(len(lesson.ContentionPolicies)))
	for i, p := range lesson.ContentionPolicies {
		y := top + float64(i)*rowH
		ink := t.TextDim
		if p == c.policy {
			ink = t.Text
		}
		k.Text(dst, strings.ToUpper(p), r.X+pad, y, 24, true, ink, render.Left)
		res, ok := c.results[p]
		if !ok {
			k.Text(dst, "not run yet", r.X+pad+nameW, y, 22, false, t.TextDim, render.Left)
			continue
		}
		mean := lesson.Mean(res.chats)
		barW := r.W - 2*pad - nameW - k.TextWidth("0000 ms", 24, true) - k.Px(16)
		w := barW * float64(mean) / float64(max(worst, 1))
		k.Rect(dst, r.X+pad+nameW, y+k.Px(4), max(k.Px(3), w), k.Px(22), t.Interactive)
		k.Text(dst, fmtDur(mean), r.X+pad+nameW+max(k.Px(3), w)+k.Px(10), y, 24, true, t.Text, render.Left)
		k.Text(dst, k.Fit("document: "+fmtDur(res.long), r.W-2*pad-nameW, 20, false), r.X+pad+nameW, y+k.Px(30), 20, false, t.TextDim, render.Left)
	}
}
