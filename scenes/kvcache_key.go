package scenes

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// A swatch is one entry of the memory scene's keys: a colour, hatched or
// not, and the words for it.
type swatch struct {
	c     color.RGBA
	kind  int
	label string
}

// Kinds of swatch.
const (
	swatchFill    = iota // a cell of one colour
	swatchHatch          // reserved but unused: stripes over the panel
	swatchNone           // words alone
	swatchOutline        // a cell outlined as the selection
)

// keySize is the type size of the keys.
const keySize = 22

func swatchWidth(k *render.Kit, it swatch) float64 {
	w := k.TextWidth(it.label, keySize, false) + k.Px(22)
	if it.kind != swatchNone {
		w += keySwatch(k) + k.Px(8)
	}
	return w
}

func keySwatch(k *render.Kit) float64 { return k.LineHeight(keySize) * 0.7 }

// keyRows is how many rows a key takes in a width: entries flow on to the
// next row when the row is full.
func keyRows(k *render.Kit, items []swatch, w float64) int {
	return flowRows(len(items), w, func(i int) float64 { return swatchWidth(k, items[i]) })
}

// keyHeight is the height of a key in a width.
func keyHeight(k *render.Kit, items []swatch, w float64) float64 {
	return float64(keyRows(k, items, w)) * k.LineHeight(keySize)
}

// drawKey draws a key from (x, y) in a width and returns the y below it.
func drawKey(dst *ebiten.Image, k *render.Kit, h *hatch, items []swatch, x, y, w float64) float64 {
	t := k.Theme
	lh := k.LineHeight(keySize)
	cx := x
	for _, it := range items {
		iw := swatchWidth(k, it)
		if cx > x && cx+iw > x+w {
			cx, y = x, y+lh
		}
		tx := cx
		if it.kind != swatchNone {
			sw := keySwatch(k)
			drawCell(dst, k, h, it, cx, y+(lh-sw)/2, sw)
			tx += sw + k.Px(8)
		}
		label := k.Fit(it.label, x+w-tx, keySize, false)
		k.Text(dst, label, tx, y+(lh-k.LineHeight(keySize))/2, keySize, false, t.Text, render.Left)
		cx += iw
	}
	return y + lh
}

// drawCell draws a swatch's square at (x, y), of side s.
func drawCell(dst *ebiten.Image, k *render.Kit, h *hatch, it swatch, x, y, s float64) {
	t := k.Theme
	switch it.kind {
	case swatchHatch:
		k.Rect(dst, x, y, s, s, t.Panel)
		h.draw(dst, x, y, s, s, t.TextDim)
	default:
		k.Rect(dst, x, y, s, s, it.c)
	}
	if it.kind == swatchOutline {
		k.Frame(dst, x, y, s, s, max(1, k.Px(3)), t.Accent)
		return
	}
	// The outline is drawn with rectangles, not k.Frame: a swatch is not a
	// panel that holds text.
	e := max(1, k.Px(1))
	k.Rect(dst, x, y, s, e, t.Edge)
	k.Rect(dst, x, y+s-e, s, e, t.Edge)
	k.Rect(dst, x, y, e, s, t.Edge)
	k.Rect(dst, x+s-e, y, e, s, t.Edge)
}

// hatch draws diagonal stripes: the mark of space reserved but holding
// nothing, set apart from free space (plain) and from the KV in use.
type hatch struct {
	img *ebiten.Image
	op  ebiten.DrawImageOptions
}

// hatchSide is the pattern's side in image pixels: two stripes across it.
const hatchSide = 16

func (h *hatch) draw(dst *ebiten.Image, x, y, w, ht float64, c color.RGBA) {
	if w <= 0 || ht <= 0 {
		return
	}
	if h.img == nil {
		h.img = ebiten.NewImage(hatchSide, hatchSide)
		pix := make([]byte, 4*hatchSide*hatchSide)
		for py := range hatchSide {
			for px := range hatchSide {
				if d := (px + py) % (hatchSide / 2); d < 2 {
					i := 4 * (py*hatchSide + px)
					pix[i], pix[i+1], pix[i+2], pix[i+3] = 0xff, 0xff, 0xff, 0xff
				}
			}
		}
		h.img.WritePixels(pix)
	}
	h.op.GeoM.Reset()
	h.op.GeoM.Scale(w/hatchSide, ht/hatchSide)
	h.op.GeoM.Translate(x, y)
	h.op.ColorScale.Reset()
	h.op.ColorScale.ScaleWithColor(c)
	h.op.Filter = ebiten.FilterLinear
	dst.DrawImage(h.img, &h.op)
}
