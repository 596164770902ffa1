package scenes

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// legendEntry is one thing the legend names: a swatch (or the class
// shape) and its words. The legend lists exactly what the playground
// draws: the two class shapes, the seven state colours, a request that
// can never run, weights, cached prefix blocks and free blocks.
type legendEntry struct {
	label string
	shape int // 0 a colour swatch, 1 the chat disc, 2 the batch square
	c     color.RGBA
}

// legendEntries fills dst with the legend's entries, in reading order.
func legendEntries(t *render.Theme, dst []legendEntry) []legendEntry {
	dst = append(dst[:0], legendEntry{"chat", 1, t.TextDim}, legendEntry{"batch", 2, t.TextDim})
	for _, m := range t.StateMeanings() {
		dst = append(dst, legendEntry{m.Label, 0, m.C})
	}
	return append(dst, legendEntry{"rejected", 0, t.Blocked}, legendEntry{"weights", 0, t.Weights},
		legendEntry{"cached prefix", 0, t.Cached}, legendEntry{"free block", 0, t.Free})
}

const legendSize = 18

// legendRows is how many rows the legend needs in a width.
func legendRows(k *render.Kit, w float64, entries []legendEntry) int {
	return flowRows(len(entries), w, func(i int) float64 { return legendItemWidth(k, entries[i]) })
}

// flowRows is how many rows n items take when they flow left to right in
// a width, each on to the next row when the row is full.
func flowRows(n int, w float64, width func(i int) float64) int {
	rows, x := 1, 0.0
	for i := range n {
		iw := width(i)
		if x > 0 && x+iw > w {
			rows, x = rows+1, 0
		}
		x += iw
	}
	return rows
}

func legendItemWidth(k *render.Kit, it legendEntry) float64 {
	return k.Px(18) + k.Px(6) + k.TextWidth(it.label, legendSize, false) + k.Px(20)
}

// legendHeight is the legend's height for a width.
func legendHeight(k *render.Kit, w float64, entries []legendEntry) float64 {
	return float64(legendRows(k, w, entries)) * (k.LineHeight(legendSize) + k.Px(4))
}

// drawLegend names every colour and shape on screen, wrapping to more rows
// when the width asks for it, and records where each entry went (for
// pointing at it).
func drawLegend(dst *ebiten.Image, k *render.Kit, r Rect, entries []legendEntry, boxes []Rect) []Rect {
	t := k.Theme
	boxes = boxes[:0]
	rowH := k.LineHeight(legendSize) + k.Px(4)
	x, y := r.X, r.Y
	sw := k.Px(18)
	for _, it := range entries {
		iw := legendItemWidth(k, it)
		if x > r.X && x+iw > r.X+r.W {
			x, y = r.X, y+rowH
		}
		sy := y + (rowH-sw)/2
		switch it.shape {
		case 1:
			k.Disc(dst, x, sy, sw, it.c)
		case 2:
			k.Rect(dst, x, sy, sw, sw, it.c)
		default:
			k.Rect(dst, x, sy, sw, sw, it.c)
			k.Frame(dst, x, sy, sw, sw, max(1, k.Px(1)), t.Edge)
		}
		k.Text(dst, it.label, x+sw+k.Px(6), y+(rowH-k.LineHeight(legendSize))/2, legendSize, false, t.TextDim, render.Left)
		boxes = append(boxes, Rect{x, y, iw - k.Px(20), rowH})
		x += iw
	}
	return boxes
}
