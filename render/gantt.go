package render

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// Gantt draws one row per recent request: queued, prefill, decode and
// swapped segments on a time axis in ms, a playhead at now and a marker
// where each eviction happened.
type Gantt struct {
	evictedAt map[int][]time.Duration // swap-outs and drops seen, by request
	swaps     map[int][]span          // time spent swapped, by request (an open span ends at now)
	Scroll    int                     // rows scrolled back from the newest
}

// span is an interval of simulated time; to is 0 while it is open.
type span struct{ from, to time.Duration }

// Reset forgets the markers and spans (after a jump in time, the history
// before it is not known).
func (g *Gantt) Reset() {
	clear(g.evictedAt)
	clear(g.swaps)
}

// Observe records preemption times and the spans requests spend swapped
// out, from leaving the batch to decoding again.
func (g *Gantt) Observe(e *sim.Engine, events []sim.Event) {
	if g.evictedAt == nil {
		g.evictedAt, g.swaps = map[int][]time.Duration{}, map[int][]span{}
	}
	for _, ev := range events {
		switch ev.Kind {
		case sim.EvSwapOut:
			g.evictedAt[ev.Req] = append(g.evictedAt[ev.Req], e.Now())
			g.swaps[ev.Req] = append(g.swaps[ev.Req], span{from: e.Now()})
		case sim.EvDropped:
			g.evictedAt[ev.Req] = append(g.evictedAt[ev.Req], e.Now())
		case sim.EvSwappedIn:
			// The span ends when the copy back lands and decoding resumes.
			if s := g.swaps[ev.Req]; len(s) > 0 && s[len(s)-1].to == 0 {
				s[len(s)-1].to = e.Now()
			}
		}
	}
}

// Draw draws the chart in the box; it returns the request under (mx, my),
// or -1, so that a click can select a row.
func (g *Gantt) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, x, y, w, h float64, selected int) {
	t := k.Theme
	top := k.Panel(dst, x, y, w, h, "Timeline")
	pad := k.Px(14)
	labelW := k.TextWidth("R0000", 18, true) + ganttRow(k) + k.Px(8)
	axis := max(k.Px(24), k.LineHeight(18)+k.Px(4))
	rowH := ganttRow(k)
	rows := max(1, int((y+h-top-pad-axis)/rowH))
	last := e.Arrived() - 1 - g.Scroll
	first := max(0, last-rows+1)
	now := e.Now()
	from := now
	for id := first; id <= last; id++ {
		from = min(from, e.Request(id).JoinedAt)
	}
	span := max(now-from, 2*time.Second)
	from = now - span
	x0, x1 := x+pad+labelW, x+w-pad
	px := func(d time.Duration) float64 { return x0 + (x1-x0)*float64(d-from)/float64(span) }
	for i, id := 0, first; id <= last; i, id = i+1, id+1 {
		r := e.Request(id)
		ry := top + float64(i)*rowH
		seg := func(a, b time.Duration, c rgba) {
			if b > a {
				k.Rect(dst, px(max(a, from)), ry+k.Px(2), px(b)-px(max(a, from)), rowH-k.Px(4), c)
			}
		}
		end := func(at time.Duration, happened bool) time.Duration {
			if happened {
				return at
			}
			return now
		}
		prefillStarted := r.PrefillStartTick > 0
		firstToken := r.FirstTokenTick > 0
		seg(r.JoinedAt, end(r.PrefillStartAt, prefillStarted), t.Queued)
		if prefillStarted {
			seg(r.PrefillStartAt, end(r.FirstTokenAt, firstToken), t.Prefill)
		}
		if firstToken {
			seg(r.FirstTokenAt, end(r.CompletedAt, r.CompletionTick > 0), t.Decode)
		}
		for _, s := range g.swaps[id] {
			seg(s.from, end(s.to, s.to > 0), t.Swapped)
		}
		for _, at := range g.evictedAt[id] {
			k.Rect(dst, px(at)-k.Px(1.5), ry, k.Px(3), rowH, t.Accent)
		}
		lc := t.TextDim
		if id == selected {
			lc = t.Text
			k.Frame(dst, x+pad, ry, w-2*pad, rowH, max(1, k.Px(2)), t.Accent)
		}
		k.Text(dst, label(r.ID), x+pad+k.Px(4), ry+(rowH-k.LineHeight(18))/2, 18, id == selected, lc, Left)
		// The class by its shape, as on the sprites.
		d := rowH - k.Px(8)
		if r.Class == sim.Interactive {
			k.Disc(dst, x0-k.Px(6)-d, ry+k.Px(4), d, t.TextDim)
		} else {
			k.Rect(dst, x0-k.Px(6)-d, ry+k.Px(4), d, d, t.TextDim)
		}
	}
	// Axis: ticks in ms (or s), the playhead at now.
	ay := y + h - pad - axis
	k.Rect(dst, x0, ay, x1-x0, max(1, k.Px(1)), t.Edge)
	// As many ticks as their labels leave room for.
	step := NiceStepFor(span, int((x1-x0)/(k.TextWidth("00.0 s", 18, false)+k.Px(24))))
	for at := (from/step + 1) * step; at < now; at += step {
		k.Rect(dst, px(at), ay, max(1, k.Px(1)), k.Px(6), t.Edge)
		lbl := AxisLabel(at, step)
		if hw := k.TextWidth(lbl, 18, false) / 2; px(at)-hw >= x+pad && px(at)+hw <= x+w-pad {
			k.Text(dst, lbl, px(at), ay+k.Px(2), 18, false, t.TextDim, Center)
		}
	}
	k.Rect(dst, px(now)-k.Px(1), top, k.Px(2.5), ay-top, t.Text)
}

// RowAt returns the request of the row at screen height py in a chart
// drawn in a box at y of height h, or -1.
func (g *Gantt) RowAt(k *Kit, e *sim.Engine, y, h, py float64) int {
	rowH := ganttRow(k)
	start := y + k.PanelTitle()
	rows := max(1, int((y+h-start-k.Px(14)-max(k.Px(24), k.LineHeight(18)+k.Px(4)))/rowH))
	last := e.Arrived() - 1 - g.Scroll
	first := max(0, last-rows+1)
	i := int((py - start) / rowH)
	if py < start || i >= rows || first+i > last {
		return -1
	}
	return first + i
}

// ganttRow is a timeline row's height: room for its label.
func ganttRow(k *Kit) float64 { return max(k.Px(26), k.LineHeight(18)+k.Px(2)) }

// NiceStep is a round axis step that cuts span into at most 8 parts.
func NiceStep(span time.Duration) time.Duration { return NiceStepFor(span, 8) }

// NiceStepFor is a round axis step that cuts span into at most n parts.
func NiceStepFor(span time.Duration, n int) time.Duration {
	n = max(n, 1)
	for _, s := range []time.Duration{time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
		100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
		5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute,
		5 * time.Minute, 10 * time.Minute} {
		if span/s <= time.Duration(n) {
			return s
		}
	}
	return 30 * time.Minute
}

// AxisLabel labels an axis tick at a multiple of step.
func AxisLabel(at, step time.Duration) string {
	if at < time.Second {
		return fmt.Sprintf("%d ms", at.Milliseconds())
	}
	return fmt.Sprintf("%g s", at.Seconds())
}
