package render

import (
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// SpriteCenters says where a request's sprite is on screen.
type SpriteCenters interface {
	Center(id int) (x, y float64, ok bool)
}

// Flows shows KV being written: whenever a prefilling or decoding request
// starts filling a new cell of the VRAM grid, a small cell flies from its
// sprite to that cell, in the colour of what wrote it.
type Flows struct {
	flyers [maxFlyers]flyer
	last   map[int]flowMark // per active request: the cell it last filled
	gen    uint32
}

type flyer struct {
	active         bool
	x0, y0, x1, y1 float64
	size           float64
	age            float64 // seconds
	prefill        bool
}

type flowMark struct {
	cell int
	gen  uint32
}

// maxFlyers bounds the cells in the air; flowTime is each one's flight.
const (
	maxFlyers = 160
	flowTime  = 0.45
)

// Reset drops every flyer (after a jump in time).
func (f *Flows) Reset() {
	for i := range f.flyers {
		f.flyers[i].active = false
	}
	clear(f.last)
}

// Observe starts flyers for newly filled cells and moves the others on.
func (f *Flows) Observe(e *sim.Engine, g *BlockGrid, sprites SpriteCenters, dt time.Duration) {
	if f.last == nil {
		f.last = map[int]flowMark{}
	}
	for i := range f.flyers {
		fl := &f.flyers[i]
		if fl.active {
			fl.age += dt.Seconds()
			fl.active = fl.age < flowTime
		}
	}
	if g.Cell <= 0 || sprites == nil {
		return
	}
	f.gen++
	f.watch(e, g, sprites, e.Prefilling(), true)
	f.watch(e, g, sprites, e.Decoding(), false)
	for id, m := range f.last {
		if m.gen != f.gen {
			delete(f.last, id)
		}
	}
}

func (f *Flows) watch(e *sim.Engine, g *BlockGrid, sprites SpriteCenters, ids sim.List[int], prefill bool) {
	for _, id := range ids.All() {
		last, ok := e.Request(id).Blocks().Last()
		if !ok {
			continue
		}
		b := int(last)
		cell := b / max(g.Per, 1)
		m, seen := f.last[id]
		f.last[id] = flowMark{cell, f.gen}
		if seen && m.cell == cell || cell >= g.Cells {
			continue
		}
		x, y, ok := sprites.Center(id)
		if !ok {
			continue
		}
		tx, ty, size := g.CellCenter(b)
		f.launch(flyer{active: true, x0: x, y0: y, x1: tx, y1: ty, size: size, prefill: prefill})
	}
}

func (f *Flows) launch(n flyer) {
	for i := range f.flyers {
		if !f.flyers[i].active {
			f.flyers[i] = n
			return
		}
	}
}

// Draw draws the cells in the air.
func (f *Flows) Draw(dst *ebiten.Image, k *Kit) {
	for i := range f.flyers {
		fl := &f.flyers[i]
		if !fl.active {
			continue
		}
		p := Smoothstep(min(1, fl.age/flowTime))
		x := fl.x0 + (fl.x1-fl.x0)*p
		y := fl.y0 + (fl.y1-fl.y0)*p
		s := fl.size * 0.8
		var c color.RGBA = k.Theme.Decode
		if fl.prefill {
			c = k.Theme.Prefill
		}
		k.Rect(dst, x-s/2, y-s/2, s, s, c)
	}
}
