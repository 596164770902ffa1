package scenes

import (
	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// A Tip is what the pointer's tooltip says about the thing under it: a
// title and a few lines of what it is and its numbers.
type Tip struct {
	Title string
	Lines []string
}

// tipSize is the tooltip's type size: the body text's, so that a student
// at a laptop reads it without leaning in.
const tipSize = 18

// drawTip draws a tooltip beside the point (x, y), flipped to the other
// side where it would leave the area, over everything else.
func drawTip(dst *ebiten.Image, k *render.Kit, area Rect, x, y float64, tip *Tip) {
	if tip.Title == "" {
		return
	}
	t := k.Theme
	pad := k.Px(12)
	maxW := min(k.Px(520), area.W-2*pad)
	w := k.TextWidth(tip.Title, 20, true)
	for _, l := range tip.Lines {
		w = max(w, k.TextWidth(l, tipSize, false))
	}
	w = min(w, maxW-2*pad) + 2*pad
	lines := 0
	for _, l := range tip.Lines {
		lines += len(k.Wrap(l, w-2*pad, tipSize, false))
	}
	h := 2*pad + k.LineHeight(20) + float64(lines)*k.LineHeight(tipSize)
	off := k.Px(18)
	bx, by := x+off, y+off
	if bx+w > area.X+area.W {
		bx = x - off - w
	}
	if by+h > area.Y+area.H {
		by = y - off - h
	}
	bx, by = clamp(bx, area.X, area.X+area.W-w), clamp(by, area.Y, area.Y+area.H-h)
	k.Rect(dst, bx, by, w, h, t.Panel)
	k.Frame(dst, bx, by, w, h, max(1, k.Px(2)), t.Text)
	k.Occlude(render.Rect{X: bx, Y: by, W: w, H: h})
	k.Text(dst, k.Fit(tip.Title, w-2*pad, 20, true), bx+pad, by+pad, 20, true, t.Text, render.Left)
	ly := by + pad + k.LineHeight(20)
	for _, l := range tip.Lines {
		ly = k.Paragraph(dst, l, bx+pad, ly, w-2*pad, tipSize, false, t.TextDim, 0)
	}
}
