package scenes

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// drawLegend names every colour on screen.
func drawLegend(dst *ebiten.Image, k *render.Kit, r Rect) {
	t := k.Theme
	// A fixed-size array: built on the stack every frame, not allocated.
	items := [...]struct {
		c     color.RGBA
		label string
	}{
		{t.Queued, "waiting"}, {t.Prefill, "prefill"}, {t.Decode, "decode"}, {t.Swapped, "swapped"},
		{t.Transfer, "copy on the link"}, {t.Done, "done"}, {t.Weights, "weights"}, {t.Free, "free block"}, {t.Warning, "preempted"},
	}
	x := r.X
	sw := k.Px(18)
	// The classes are told by shape.
	k.Disc(dst, x, r.Y+(r.H-sw)/2, sw, t.TextDim)
	k.Text(dst, "interactive", x+sw+k.Px(6), r.Y+(r.H-k.Px(22))/2, 18, false, t.TextDim, render.Left)
	x += sw + k.Px(16) + k.TextWidth("interactive", 18, false)
	k.Rect(dst, x, r.Y+(r.H-sw)/2, sw, sw, t.TextDim)
	k.Rect(dst, x, r.Y+(r.H-sw)/2, sw, sw*0.25, t.Batch)
	k.Text(dst, "batch", x+sw+k.Px(6), r.Y+(r.H-k.Px(22))/2, 18, false, t.TextDim, render.Left)
	x += sw + k.Px(28) + k.TextWidth("batch", 18, false)
	for _, it := range items {
		if x+sw+k.Px(6)+k.TextWidth(it.label, 18, false) > r.X+r.W {
			break // the rest would not fit
		}
		k.Rect(dst, x, r.Y+(r.H-sw)/2, sw, sw, it.c)
		k.Frame(dst, x, r.Y+(r.H-sw)/2, sw, sw, max(1, k.Px(1)), t.Edge)
		k.Text(dst, it.label, x+sw+k.Px(6), r.Y+(r.H-k.Px(22))/2, 18, false, t.TextDim, render.Left)
		x += sw + k.Px(16) + k.TextWidth(it.label, 18, false)
	}
	if hint := "each request has its own colour · ? keys"; x+k.TextWidth(hint, 18, false) < r.X+r.W {
		k.Text(dst, hint, r.X+r.W, r.Y+(r.H-k.Px(22))/2, 18, false, t.TextDim, render.Right)
	}
}
