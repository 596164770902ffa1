package scenes

import (
	"image/color"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// A Callout marks one thing a beat's caption talks about: an outline
// around it and a short label beside it.
type Callout struct {
	Box   Rect
	Label string
}

// Spotlight dims everything in an area but the callouts' boxes, then
// outlines each box in the accent colour and labels it: the eye goes where
// the caption points. It keeps its edge lists between frames, so drawing it
// allocates nothing once warm.
type Spotlight struct {
	xs, ys []float64
}

// Draw draws the spotlight over what is already on dst.
func (s *Spotlight) Draw(dst *ebiten.Image, k *render.Kit, area Rect, callouts []Callout) {
	if len(callouts) == 0 {
		return
	}
	t := k.Theme
	pad := k.Px(6)
	// The area cut into a grid at every box edge; each grid cell outside
	// all boxes is dimmed.
	s.xs = append(s.xs[:0], area.X, area.X+area.W)
	s.ys = append(s.ys[:0], area.Y, area.Y+area.H)
	for _, c := range callouts {
		b := grow(c.Box, pad)
		s.xs = append(s.xs, clamp(b.X, area.X, area.X+area.W), clamp(b.X+b.W, area.X, area.X+area.W))
		s.ys = append(s.ys, clamp(b.Y, area.Y, area.Y+area.H), clamp(b.Y+b.H, area.Y, area.Y+area.H))
	}
	slices.Sort(s.xs)
	slices.Sort(s.ys)
	s.xs, s.ys = slices.Compact(s.xs), slices.Compact(s.ys)
	dim := fade(t.Background, 0.62)
	for i := 0; i+1 < len(s.xs); i++ {
		for j := 0; j+1 < len(s.ys); j++ {
			cx, cy := (s.xs[i]+s.xs[i+1])/2, (s.ys[j]+s.ys[j+1])/2
			lit := false
			for _, c := range callouts {
				lit = lit || grow(c.Box, pad).Contains(cx, cy)
			}
			if !lit {
				k.Rect(dst, s.xs[i], s.ys[j], s.xs[i+1]-s.xs[i], s.ys[j+1]-s.ys[j], dim)
			}
		}
	}
	for _, c := range callouts {
		b := grow(c.Box, pad)
		k.Frame(dst, b.X, b.Y, b.W, b.H, k.Px(3), t.Accent)
		if c.Label == "" {
			continue
		}
		// The label in a tag above the box, or below it when there is no
		// room above; kept inside the area.
		tw := k.TextWidth(c.Label, 22, true) + k.Px(20)
		th := k.LineHeight(22) + k.Px(6)
		var x, y float64
		switch {
		case b.W < tw && b.X+b.W+k.Px(6)+tw <= area.X+area.W:
			// A small thing (a sprite): the tag beside it, so that it
			// covers nothing the caption talks about.
			x, y = b.X+b.W+k.Px(6), b.Y+(b.H-th)/2
		default:
			x, y = clamp(b.X, area.X, area.X+area.W-tw), b.Y-th-k.Px(4)
			if y < area.Y {
				y = b.Y + b.H + k.Px(4)
			}
		}
		k.Rect(dst, x, y, tw, th, t.Accent)
		// Framed in its own colour: a tag is a box that holds its label,
		// wherever it lies over the panels beneath.
		k.Frame(dst, x, y, tw, th, max(1, k.Px(1)), t.Accent)
		k.Occlude(render.Rect{X: x, Y: y, W: tw, H: th})
		k.Text(dst, c.Label, x+k.Px(10), y+k.Px(3), 22, true, t.Panel, render.Left)
	}
}

func grow(r Rect, d float64) Rect { return Rect{r.X - d, r.Y - d, r.W + 2*d, r.H + 2*d} }

func clamp(v, lo, hi float64) float64 { return max(lo, min(v, hi)) }

// fade is a colour at an opacity, premultiplied as Ebitengine expects.
func fade(c color.RGBA, a float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * a), uint8(float64(c.G) * a), uint8(float64(c.B) * a), uint8(255 * a)}
}
