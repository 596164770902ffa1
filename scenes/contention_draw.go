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

// layoutContention puts the chart on the left and, on the right, the
// policy's box above the comparison. The box is as tall as the longest
// description of any policy needs, so that it neither cuts a description
// nor jumps when the policy changes, while the comparison keeps room for
// its four rows and its axis.
func layoutContention(k *render.Kit, b Rect) contentionLayout {
	gap := k.Px(16)
	var l contentionLayout
	l.gantt = Rect{b.X, b.Y, b.W * 0.6, b.H}
	rx := l.gantt.X + l.gantt.W + gap
	rw := b.X + b.W - rx
	inner := rw - 2*policyPad(k)
	lines := 0
	for _, p := range lesson.ContentionPolicies {
		if info, err := sim.LookupPolicy(p); err == nil {
			lines = max(lines, len(k.Wrap(info.Description, inner, contentionText, false)))
		}
	}
	lh := k.LineHeight(contentionText)
	want := k.Px(12) + k.LineHeight(contentionTitle) + float64(lines)*lh + k.Px(8) +
		lh + k.Px(10)
	h := max(min(want, b.H-gap-resultsMinHeight(k)), b.H*0.25)
	l.policy = Rect{rx, b.Y, rw, h}
	l.results = Rect{rx, b.Y + h + gap, rw, b.H - h - gap}
	return l
}

func policyPad(k *render.Kit) float64 { return k.Px(18) }

// resultsMinHeight is the comparison's least height: its title, a line per
// policy and the axis.
func resultsMinHeight(k *render.Kit) float64 {
	return k.PanelTitle() + float64(len(lesson.ContentionPolicies))*resultsLine(k) + resultsAxisHeight(k) + k.Px(16)
}

// resultsLine is the height of a policy's line: its name, bar and mean.
func resultsLine(k *render.Kit) float64 { return k.LineHeight(24) + k.Px(8) }

func resultsAxisHeight(k *render.Kit) float64 { return k.Px(12) + k.LineHeight(contentionAxis) }

// policyKeys is the line under the policy's description: the key and the
// order it cycles in, or the key alone where that would take two lines.
func policyKeys(k *render.Kit, w float64) string {
	s := "S: next policy (" + strings.Join(lesson.ContentionPolicies, ", then ") + ")"
	if k.TextWidth(s, contentionText, true) > w {
		return "S: next policy"
	}
	return s
}

func (c *Contention) draw(dst *ebiten.Image) {
	c.drawGantt(dst)
	c.drawPolicy(dst)
	c.drawResults(dst)
	c.drawSpot(dst)
}

// Type sizes of the scene's body, at 1920×1080.
const (
	contentionText  = 22
	contentionAxis  = 20
	contentionTitle = 40
)

// chatTTFTTarget is the TTFT above which the chart writes a chat's in the
// warning colour: past a quarter of a second a reply no longer feels
// immediate.
const chatTTFTTarget = 250 * time.Millisecond

// rowLabel names a request by what it is, with its size in tokens.
func (r contentionReq) label(chat int) string {
	if r.class == sim.Interactive {
		return fmt.Sprintf("chat %d · %s tokens", chat, thousands(r.input))
	}
	return thousands(r.input) + "-token document"
}

// msLabel labels an axis tick in milliseconds, whatever the span, so that
// every number on the scene's axes reads in one unit.
func msLabel(at time.Duration) string { return fmt.Sprintf("%d ms", at.Milliseconds()) }

// msAxis is a time axis from 0 to end drawn over width w: ticks every step,
// with labels that never touch.
type msAxis struct {
	end, step time.Duration
}

// msAxisFor chooses the finest round step whose labels, at size, fit w with
// a gap between neighbours. The axis ends at the first step at or after
// span when roundUp is set or when that wastes at most a tenth of the
// width; otherwise at span, past its last label.
func msAxisFor(k *render.Kit, span time.Duration, w, size float64, roundUp bool) msAxis {
	span = max(span, time.Millisecond)
	gap := k.Px(14)
	for n := 12; n >= 1; n-- {
		step := render.NiceStepFor(span, n)
		end := (span + step - 1) / step * step
		if !roundUp && end-span > span/10 {
			end = span
		}
		widest := 0.0
		for at := time.Duration(0); at <= end; at += step {
			widest = max(widest, k.TextWidth(msLabel(at), size, false))
		}
		if w*float64(step)/float64(end) >= widest+gap {
			return msAxis{end, step}
		}
	}
	return msAxis{span, span}
}

// ganttGeometry places the chart's parts inside its panel.
type ganttGeometry struct {
	note       []string // the timing line, wrapped
	noteY      float64
	top, rowH  float64 // the first row's top, and the rows' height
	labelX     float64
	x0, x1     float64 // the time axis's 0 and its end
	axisY      float64
	ttftX      float64 // right edge of the TTFT column
	legendY    float64
	axis       msAxis
	legendRows [][]legendItem
}

type legendItem struct {
	c     color.RGBA
	label string
}

func (c *Contention) ganttLegend() []legendItem {
	t := c.kit.Theme
	return []legendItem{{t.Queued, "waiting"}, {t.Blocked, "waiting behind the document"}, {t.Prefill, "prefill"}, {t.Decode, "decode"}}
}

func (c *Contention) ganttLayout() ganttGeometry {
	k, r := c.kit, c.layout.gantt
	pad := k.Px(14)
	lh := k.LineHeight(contentionText)
	var g ganttGeometry
	g.noteY = r.Y + k.PanelTitle()
	g.note = k.Wrap(c.timingNote(), r.W-2*pad, contentionAxis, c.timing == "classic")
	labelW := 0.0
	n := 0
	if c.run != nil {
		n = len(c.run.reqs)
		chat := 0
		for _, q := range c.run.reqs {
			if q.class == sim.Interactive {
				chat++
			}
			labelW = max(labelW, k.TextWidth(q.label(chat), contentionText, false))
		}
	}
	g.labelX = r.X + pad + k.Px(24)
	g.x0 = g.labelX + labelW + k.Px(16)
	g.ttftX = r.X + r.W - pad
	g.x1 = g.ttftX - k.TextWidth("0000 ms", contentionText, true) - k.Px(14)
	// The legend wraps into as many rows as it needs.
	sz := k.Px(18)
	row, x := []legendItem(nil), 0.0
	for _, it := range c.ganttLegend() {
		w := sz + k.Px(8) + k.TextWidth(it.label, contentionText, false) + k.Px(24)
		if x+w > r.W-2*pad && len(row) > 0 {
			g.legendRows = append(g.legendRows, row)
			row, x = nil, 0
		}
		row, x = append(row, it), x+w
	}
	g.legendRows = append(g.legendRows, row)
	legendH := float64(len(g.legendRows)) * lh
	axisH := k.Px(12) + k.LineHeight(contentionAxis)
	// Rows under the timing line and the TTFT heading; the axis and the
	// legend right under the rows.
	g.top = g.noteY + float64(len(g.note))*k.LineHeight(contentionAxis) + k.Px(6) + lh
	bottom := r.Y + r.H - pad - legendH - k.Px(12) - axisH
	g.rowH = min(k.Px(96), (bottom-g.top)/float64(max(n, 1)))
	g.axisY = g.top + float64(n)*g.rowH + k.Px(4)
	g.legendY = g.axisY + axisH + k.Px(12)
	g.axis = msAxisFor(k, c.span, g.x1-g.x0, contentionAxis, true)
	return g
}

// timingNote says which timing model the chart shows; on the classic
// model in the words every screen uses for it.
func (c *Contention) timingNote() string {
	if c.timing == "classic" {
		return "Classic timing · " + lesson.ClassicModelNote
	}
	return "Roofline timing · each iteration lasts as long as its FLOPs or bytes take on one H100"
}

// drawGantt draws a row per request and a cell per iteration, placed in
// time: waiting, waiting behind the long prompt (head-of-line blocking),
// prefill, decode, up to the playhead. Before a request arrives, its mark
// stands where it will.
func (c *Contention) drawGantt(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.gantt
	run := c.run
	title := "Who holds the GPU, iteration by iteration"
	if c.timing == "classic" {
		title = "Who holds the GPU, tick by tick"
	}
	k.Panel(dst, r.X, r.Y, r.W, r.H, title)
	g := c.ganttLayout()
	pad := k.Px(14)
	classic := c.timing == "classic"
	noteInk := t.TextDim
	if classic {
		noteInk = t.Text // a departure from the tour's model: said plainly
	}
	for i, line := range g.note {
		k.Text(dst, line, r.X+pad, g.noteY+float64(i)*k.LineHeight(contentionAxis), contentionAxis, classic, noteInk, render.Left)
	}
	k.Text(dst, "TTFT", g.ttftX, g.top-k.LineHeight(contentionText)-k.Px(2), contentionText, true, t.TextDim, render.Right)
	now := c.clock.at
	end := max(g.axis.end, time.Millisecond)
	px := func(d time.Duration) float64 { return g.x0 + (g.x1-g.x0)*float64(min(d, end))/float64(end) }
	inset := max(1, k.Px(1.5))
	mark := k.Px(14)
	chat := 0
	for id, q := range run.reqs {
		y := g.top + float64(id)*g.rowH
		if q.class == sim.Interactive {
			chat++
		}
		// Identity by shape and label: a square for the document, a disc
		// for a chat.
		shape := func(x float64) {
			my := y + (g.rowH-mark)/2
			if q.class == sim.Interactive {
				k.Disc(dst, x, my, mark, t.TextDim)
			} else {
				k.Rect(dst, x, my, mark, mark, t.TextDim)
			}
		}
		shape(r.X + pad)
		k.Text(dst, q.label(chat), g.labelX, y+(g.rowH-k.LineHeight(contentionText))/2, contentionText, false, t.Text, render.Left)
		k.Rect(dst, g.x0, y+g.rowH-max(1, k.Px(1)), g.x1-g.x0, max(1, k.Px(1)), t.Edge)
		if now <= q.arrival {
			shape(px(q.arrival) - mark/2)
			continue
		}
		for i, it := range run.iters {
			if it.start >= now {
				break
			}
			if it.end <= q.arrival || (q.completion > 0 && it.start >= q.completion) {
				continue
			}
			var col color.RGBA
			switch kind := run.kind(id, i); {
			case kind == cellPrefill:
				col = t.Prefill
			case kind == cellDecode:
				col = t.Decode
			case q.first > 0 && it.start >= q.first:
				continue
			case id != run.long && run.long >= 0 && run.kind(run.long, i) == cellPrefill:
				col = t.Blocked // waiting while the long prompt prefills
			default:
				col = t.Queued
			}
			xa, xb := px(max(it.start, q.arrival)), px(min(it.end, now))
			w := xb - xa
			if w > 4*inset && it.end <= now {
				w -= inset // a gap between whole cells shows the iterations
			}
			k.Rect(dst, xa, y+g.rowH*0.15, max(w, 1), g.rowH*0.7, col)
		}
		if q.first > 0 && now >= q.first {
			ttft := q.first - q.joined
			ink := t.Text
			if q.class == sim.Interactive && ttft > chatTTFTTarget {
				ink = t.Warning
			}
			k.Text(dst, fmtDur(ttft), g.ttftX, y+(g.rowH-k.LineHeight(contentionText))/2, contentionText, true, ink, render.Right)
		}
	}
	// Axis and playhead.
	k.Rect(dst, g.x0, g.axisY, g.x1-g.x0, max(1, k.Px(1)), t.Edge)
	for at := time.Duration(0); at <= g.axis.end; at += g.axis.step {
		k.Rect(dst, px(at), g.axisY, max(1, k.Px(1.5)), k.Px(8), t.Edge)
		k.Text(dst, msLabel(at), px(at), g.axisY+k.Px(8), contentionAxis, false, t.TextDim, render.Center)
	}
	n := float64(len(run.reqs))
	k.Rect(dst, px(now)-k.Px(1.5), g.top-k.Px(4), k.Px(3), n*g.rowH+k.Px(8), t.Text)
	// Legend.
	sz := k.Px(18)
	for row, items := range g.legendRows {
		lx, ly := r.X+pad, g.legendY+float64(row)*k.LineHeight(contentionText)
		for _, item := range items {
			k.Rect(dst, lx, ly+k.Px(4), sz, sz, item.c)
			k.Text(dst, item.label, lx+sz+k.Px(8), ly, contentionText, false, t.Text, render.Left)
			lx += sz + k.Px(8) + k.TextWidth(item.label, contentionText, false) + k.Px(24)
		}
	}
}

// drawPolicy names the policy and says how it decides.
func (c *Contention) drawPolicy(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.policy
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Frame(dst, r.X, r.Y, r.W, r.H, k.Px(3), t.Accent)
	pad := policyPad(k)
	lh := k.LineHeight(contentionText)
	y := r.Y + k.Px(12)
	k.Text(dst, "Policy: "+strings.ToUpper(c.policy), r.X+pad, y, contentionTitle, true, t.Text, render.Left)
	y += k.LineHeight(contentionTitle)
	desc := ""
	if info, err := sim.LookupPolicy(c.policy); err == nil {
		desc = info.Description
	}
	ky := r.Y + r.H - lh - k.Px(10)
	lines := int((ky-k.Px(8)-y)/lh + 1e-6) // exactly the lines the layout made room for
	k.Paragraph(dst, desc, r.X+pad, y, r.W-2*pad, contentionText, false, t.Text, max(1, lines))
	k.Text(dst, policyKeys(k, r.W-2*pad), r.X+pad, ky, contentionText, true, t.Text, render.Left)
}

// resultsGeometry places the comparison: one bar per policy, every bar on
// the same axis in ms, from 0 to a round value at or above the worst mean
// of any policy, so a bar's length means the same whichever bars are
// shown.
type resultsGeometry struct {
	top, rowH float64
	nameX     float64
	x0, x1    float64 // the axis's 0 and its end
	axisY     float64
	barH      float64
	docLine   bool // whether each row has the document's TTFT under its bar
	axis      msAxis
	bars      []resultBar
}

type resultBar struct {
	policy string
	y      float64
	shown  bool
	mean   time.Duration
	w      float64 // the bar's length
	long   time.Duration
}

func (c *Contention) resultsLayout() resultsGeometry {
	k, r := c.kit, c.layout.results
	var g resultsGeometry
	pad := k.Px(16)
	g.top = r.Y + k.PanelTitle()
	g.nameX = r.X + pad
	nameW := 0.0
	for _, p := range lesson.ContentionPolicies {
		nameW = max(nameW, k.TextWidth(strings.ToUpper(p), 24, true))
	}
	g.x0 = g.nameX + nameW + k.Px(16)
	// Room after the axis's end for a full bar's value.
	g.x1 = r.X + r.W - pad - k.TextWidth("0000 ms", 24, true) - k.Px(12)
	g.axis = msAxisFor(k, c.worst, g.x1-g.x0, contentionAxis, true)
	n := float64(len(lesson.ContentionPolicies))
	g.rowH = min(k.Px(80), (r.Y+r.H-pad-resultsAxisHeight(k)-g.top)/n)
	// The document's TTFT goes under each bar when the rows have room for
	// a second line; the chart's TTFT column shows it in any case.
	g.docLine = g.rowH >= resultsLine(k)+k.LineHeight(contentionAxis)
	g.barH = min(k.Px(22), k.LineHeight(24)-k.Px(6))
	g.axisY = g.top + n*g.rowH
	for i, p := range lesson.ContentionPolicies {
		b := resultBar{policy: p, y: g.top + float64(i)*g.rowH}
		if res, ok := c.results[p]; ok {
			b.shown, b.mean, b.long = true, lesson.Mean(res.chats), res.long
			b.w = (g.x1 - g.x0) * float64(b.mean) / float64(max(g.axis.end, 1))
		}
		g.bars = append(g.bars, b)
	}
	return g
}

// drawResults puts the chats' mean TTFT under every policy tried side by
// side on one axis, with the document's own TTFT: what the chats gain, it
// pays.
func (c *Contention) drawResults(dst *ebiten.Image) {
	k, t, r := c.kit, c.kit.Theme, c.layout.results
	k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit("Chats' time to first token, mean of 5", r.W-k.Px(28), contentionText, true))
	g := c.resultsLayout()
	px := func(d time.Duration) float64 { return g.x0 + (g.x1-g.x0)*float64(d)/float64(max(g.axis.end, 1)) }
	line := max(1, k.Px(1))
	// The scale: the axis, labelled in ms, and a faint line at every tick
	// behind each bar.
	k.Rect(dst, g.x0, g.axisY, g.x1-g.x0, line, t.Edge)
	for at := time.Duration(0); at <= g.axis.end; at += g.axis.step {
		x := px(at)
		k.Rect(dst, x, g.axisY, max(1, k.Px(1.5)), k.Px(8), t.Edge)
		k.Text(dst, msLabel(at), x, g.axisY+k.Px(8), contentionAxis, false, t.TextDim, render.Center)
		for _, b := range g.bars {
			if b.shown {
				k.Rect(dst, x, b.y, line, g.barH+k.Px(8), t.Edge)
			}
		}
	}
	for _, b := range g.bars {
		ink := t.TextDim
		if b.policy == c.policy {
			ink = t.Text
		}
		k.Text(dst, strings.ToUpper(b.policy), g.nameX, b.y, 24, true, ink, render.Left)
		if !b.shown {
			k.Text(dst, "not run yet", g.x0, b.y, contentionText, false, t.TextDim, render.Left)
			continue
		}
		w := max(k.Px(3), b.w)
		k.Rect(dst, g.x0, b.y+k.Px(4), w, g.barH, t.Accent)
		k.Text(dst, fmtDur(b.mean), g.x0+w+k.Px(10), b.y, 24, true, t.Text, render.Left)
		if !g.docLine {
			continue
		}
		k.Text(dst, k.Fit("document: "+fmtDur(b.long), r.X+r.W-k.Px(16)-g.x0, contentionAxis, false), g.x0, b.y+k.LineHeight(24),
			contentionAxis, false, t.TextDim, render.Left)
	}
}
