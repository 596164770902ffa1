package scenes

import "inferplay/render"

// computeHalfLayout places the panels of a duel's half: the playground's
// picture without a legend (the duel draws one for both), with the
// figures in a row across the half, which is too narrow for them beside
// memory. On a short screen the lanes keep room for their titles by
// leaving out, in turn, the figures (the duel's strip compares them), the
// caption and the timeline. A half whose story is memory (lean) leaves
// all three out, so that VRAM, the link and CPU memory have the height.
func computeHalfLayout(k *render.Kit, a Rect, lean bool) layout {
	gap := k.Px(12)
	var l layout
	l.top = Rect{a.X, a.Y, a.W, topHeight(k)}
	x, w := a.X+gap, a.W-2*gap
	room := a.Y + a.H - k.Px(6) - (l.top.Y + l.top.H)
	metricsH, captionH := metricsMinHeight(k, 1), k.Px(60)
	lanesNeed := k.PanelTitle() + k.Px(6) + laneRows*(k.LineHeight(21)+k.Px(10))
	ganttNeed := k.PanelTitle() + 3*k.LineHeight(18)
	metrics, caption, timeline := !lean, !lean, !lean
	fits := func() bool {
		h := room
		if metrics {
			h -= metricsH + gap
		}
		if caption {
			h -= captionH + gap
		}
		if timeline {
			return h*0.56 >= lanesNeed && h*0.44-gap >= ganttNeed
		}
		return h >= lanesNeed
	}
	for _, leave := range []*bool{&metrics, &caption, &timeline} {
		if fits() {
			break
		}
		*leave = false
	}
	y := a.Y + a.H - k.Px(6)
	if caption {
		y -= captionH
		l.caption = Rect{x, y, w, captionH}
		y -= gap
	}
	if metrics {
		y -= metricsH
		l.metrics = Rect{x, y, w, metricsH}
		y -= gap
	}
	l.legend = Rect{x, a.Y + a.H - k.Px(6), w, 0}
	body := Rect{x, l.top.Y + l.top.H, w, y - (l.top.Y + l.top.H)}
	leftW := body.W * 0.52
	l.lanes = Rect{body.X, body.Y, leftW, body.H}
	if timeline {
		l.lanes.H = max(lanesNeed, body.H*0.56)
		l.gantt = Rect{body.X, l.lanes.Y + l.lanes.H + gap, leftW, body.H - l.lanes.H - gap}
	}
	l.right = Rect{body.X + leftW + gap, body.Y, body.W - leftW - gap, body.H}
	return l
}

// laneRows is how many lanes the requests panel has.
const laneRows = float64(render.LaneDone + 1)
