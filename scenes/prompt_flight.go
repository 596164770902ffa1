package scenes

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// During a prefill pass each of its tokens (a chip, or a mark of many)
// sends a dot to its KV block. The dots leave one after another, so that
// the pass reads as the prompt streaming in, and they keep off other
// panels' text: across the prompt panel to the gap beside the GPU panel,
// down or up the gap to the level of their block's row, then along the row.

// flightStagger is the part of a pass over which the dots set out; each
// then takes the rest of the pass to arrive.
const flightStagger = 0.55

// drawFlights draws the dots of the pass in progress.
func (p *Prompt) drawFlights(dst *ebiten.Image, s promptState, grid kvGrid) {
	if s.chunkTo <= s.chunkFrom {
		return
	}
	pt := &p.promptChips
	size := p.kit.Px(10)
	n := float64(s.chunkTo - s.chunkFrom)
	fly := func(r Rect, from, to int) {
		if from < s.chunkFrom || from >= s.chunkTo {
			return // it set out in an earlier pass
		}
		start := flightStagger * float64(from-s.chunkFrom) / n
		f := (s.frac - start) / (1 - flightStagger)
		if f <= 0 || f >= 1 {
			return
		}
		cx, cy, _ := grid.cellCenter((from + to - 1) / 2 / p.run.Config.BlockSize)
		x, y := p.flightPath(r, cx, cy, render.Smoothstep(f))
		p.kit.Rect(dst, x-size/2, y-size/2, size, size, p.kit.Theme.Prefill)
	}
	for i, r := range pt.chips {
		fly(r, i, i+1)
	}
	for j, r := range pt.marks {
		from, to := pt.Mark(j)
		fly(r, from, to)
	}
}

// flightPath is where a dot is, a fraction f of the way from a token's
// chip to the cell centred at (cx, cy).
func (p *Prompt) flightPath(from Rect, cx, cy, f float64) (x, y float64) {
	l := p.layout
	gapX := (l.prompt.X + l.prompt.W + l.gpu.X) / 2
	box := chipBox(p.kit, l.prompt)
	pts := [4][2]float64{
		{from.X + from.W/2, from.Y + from.H/2},
		{gapX, clamp(cy, box.Y, box.Y+box.H)},
		{gapX, cy},
		{cx, cy},
	}
	var lens [3]float64
	total := 0.0
	for i := range 3 {
		lens[i] = math.Hypot(pts[i+1][0]-pts[i][0], pts[i+1][1]-pts[i][1])
		total += lens[i]
	}
	d := f * total
	for i := range 3 {
		if d <= lens[i] || i == 2 {
			g := 0.0
			if lens[i] > 0 {
				g = min(1, d/lens[i])
			}
			return lerp(pts[i][0], pts[i+1][0], g), lerp(pts[i][1], pts[i+1][1], g)
		}
		d -= lens[i]
	}
	return cx, cy
}
