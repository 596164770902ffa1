package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// DuelView is the playground split in two: the same traffic under two
// settings, each half the whole picture of its run, with the figures of
// both compared in a strip under them and one legend for both. A request
// is in the same place on both sides whenever it is in the same lane, and
// the one selected or pointed at is lit on both.
type DuelView struct {
	kit    *render.Kit
	Halves [2]*Playground
	// area is the whole view; compare the strip of figures; legendBox the
	// legend under it.
	area, compare, legendBox Rect
	halfAt                   [2]Rect
	legend                   []legendEntry
	legendAt                 []Rect
	cells                    []compareCell
	// wordedAt is what the cells were worded from: both halves' metrics
	// versions and the strip's columns (the figures change a few times a
	// second, the frames sixty).
	wordedAt [3]int
	// pointed is the half under the pointer, whose tooltip is drawn (-1:
	// none).
	pointed int
	// noStrip gives the strip's room to the halves (MemoryFirst).
	noStrip bool
}

// NewDuelView builds the view.
func NewDuelView(kit *render.Kit) *DuelView {
	v := &DuelView{kit: kit, pointed: -1}
	for i := range v.Halves {
		v.Halves[i] = NewPlayground(kit)
		v.Halves[i].half = true
	}
	return v
}

// VRAMOnly makes both halves draw VRAM alone in their memory columns, for
// a scene whose story is what VRAM holds.
func (v *DuelView) VRAMOnly() {
	for _, h := range v.Halves {
		h.vramOnly = true
	}
}

// MemoryFirst gives the memories the height, for a scene whose story is
// KV moving between them and whose caption gives the figures: the strip
// of figures is left out, and so are the halves' own figures, captions
// and timelines.
func (v *DuelView) MemoryFirst() {
	v.noStrip = true
	for _, h := range v.Halves {
		h.lean = true
	}
}

// Name the halves after their sides.
func (v *DuelView) Name(sides [2]string) {
	for i, s := range sides {
		v.Halves[i].Heading = s
	}
}

// Reset forgets both halves' animations and history.
func (v *DuelView) Reset() {
	for _, h := range v.Halves {
		h.Reset()
	}
}

// Settle places every sprite of both halves at once.
func (v *DuelView) Settle() {
	for _, h := range v.Halves {
		h.Settle()
	}
}

// Place lays the view out: the halves side by side, the strip and the
// legend across the bottom.
func (v *DuelView) Place(area Rect) {
	k := v.kit
	v.area = area
	gap := k.Px(12)
	v.legend = legendEntries(k.Theme, v.legend)
	lh := legendHeight(k, area.W-2*gap, v.legend)
	v.legendBox = Rect{area.X + gap, area.Y + area.H - lh - k.Px(6), area.W - 2*gap, lh}
	ch := compareHeight(k)
	v.compare = Rect{area.X + gap, v.legendBox.Y - gap - ch, area.W - 2*gap, ch}
	if v.noStrip {
		v.compare = Rect{area.X + gap, v.legendBox.Y - gap, area.W - 2*gap, 0}
	}
	w := (area.W - gap) / 2
	for i, h := range v.Halves {
		v.halfAt[i] = Rect{area.X + float64(i)*(w+gap), area.Y, w, v.compare.Y - area.Y}
		h.Place(v.halfAt[i])
	}
}

// Update follows both engines after a frame.
func (v *DuelView) Update(p *playback.DuelPlayer, events [2][]sim.Event, area Rect, dt time.Duration) {
	v.Place(area)
	a, b := v.Halves[0], v.Halves[1]
	for i, h := range v.Halves {
		h.observe(p.Side(i), events[i], v.halfAt[i], dt)
	}
	render.AlignSlots(a.sprites, b.sprites)
	for _, h := range v.Halves {
		h.placeSprites(dt)
	}
	n := compareColumns(v.kit, v.compare.W)
	if at := [3]int{a.metrics.Version(), b.metrics.Version(), n}; at != v.wordedAt || len(v.cells) != n {
		v.wordedAt = at
		v.cells = v.cells[:0]
		for _, f := range duelFigures[:n] {
			v.cells = append(v.cells, compareFigure(f, a.metrics.Result(), b.metrics.Result(), b.Heading))
		}
	}
}

// Draw draws both halves, the strip and the legend.
func (v *DuelView) Draw(dst *ebiten.Image, p *playback.DuelPlayer) {
	for i, h := range v.Halves {
		h.Draw(dst, p.Side(i))
	}
	a, b := v.Halves[0].Heading, v.Halves[1].Heading
	title := fmt.Sprintf("Side by side, the same requests at the same moment (%s): %s vs %s, so far", simTime(p.Now()), a, b)
	if p.Finished() {
		title = fmt.Sprintf("The whole runs, the same requests: %s vs %s", a, b)
	}
	if !v.noStrip {
		drawCompare(dst, v.kit, v.compare, title, v.cells)
	}
	v.legendAt = drawLegend(dst, v.kit, v.legendBox, v.legend, v.legendAt)
}

// DrawTip draws the tooltip of the half under the pointer.
func (v *DuelView) DrawTip(dst *ebiten.Image) {
	if v.pointed >= 0 {
		v.Halves[v.pointed].DrawTip(dst)
	}
}

// Hover follows the pointer in the half under it; the request it points
// at is lit on both sides.
func (v *DuelView) Hover(p *playback.DuelPlayer, x, y float64) {
	v.pointed = -1
	for i, h := range v.Halves {
		h.Hover(p.Side(i), x, y)
		if h.Area().Contains(x, y) {
			v.pointed = i
		}
	}
	if v.pointed >= 0 {
		lit := v.Halves[v.pointed].hovered
		for _, h := range v.Halves {
			h.hovered = lit
		}
	}
}

// Click selects the request under the point on both sides, or clears the
// selection.
func (v *DuelView) Click(p *playback.DuelPlayer, x, y float64) {
	for i, h := range v.Halves {
		if h.Area().Contains(x, y) {
			h.Click(p.Side(i), x, y)
			v.Select(h.Selected())
			return
		}
	}
	v.Select(-1)
}

// Select inspects a request on both sides (-1: none).
func (v *DuelView) Select(id int) {
	for _, h := range v.Halves {
		h.Select(id)
	}
}

// Wheel scrolls both timelines together.
func (v *DuelView) Wheel(p *playback.DuelPlayer, x, y, dy float64) {
	for i, h := range v.Halves {
		if h.TimelineBox().Contains(x, y) {
			h.Wheel(p.Side(i), x, y, dy)
			v.Halves[1-i].gantt.Scroll = h.gantt.Scroll
		}
	}
}

// CompareBox is the strip of figures, as last placed.
func (v *DuelView) CompareBox() Rect { return v.compare }

// Verdicts are the strip's words, for tests: each figure's name, values
// and difference.
func (v *DuelView) Verdicts() [][3]string {
	out := make([][3]string, len(v.cells))
	for i, c := range v.cells {
		out[i] = [3]string{c.name, c.values, c.verdict}
	}
	return out
}

// Area is the whole view as last placed.
func (v *DuelView) Area() Rect { return v.area }
