package scenes

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

// kvPagedLayout places the paged beat: the sums across the top, then three
// columns: VRAM with each user's limit reserved whole, the same VRAM paged,
// and one user's block table.
type kvPagedLayout struct{ formula, reserved, paged, table Rect }

func layoutPaged(k *render.Kit, b Rect) kvPagedLayout {
	gap := k.Px(16)
	var l kvPagedLayout
	l.formula = Rect{b.X, b.Y, b.W, formulaHeight(k)}
	y := l.formula.Y + l.formula.H + gap
	h := b.Y + b.H - y
	tableW := max(b.W*0.24, k.TextWidth("User 000's block table", 22, true)+k.Px(40))
	gridW := (b.W - tableW - 2*gap) / 2
	l.reserved = Rect{b.X, y, gridW, h}
	l.paged = Rect{b.X + gridW + gap, y, gridW, h}
	l.table = Rect{l.paged.X + gridW + gap, y, b.X + b.W - (l.paged.X + gridW + gap), h}
	return l
}

// pagedCells is about how many cells each VRAM picture of the paged beat
// has: both at the same bytes a cell, so the two read side by side.
const pagedCells = 720

// Owners of the paged beat's cells besides the users (0, 1, ...), the
// weights and free: a user's room that holds nothing is reservedOwner(u);
// in the paged picture, all KV in use is pagedInUse and the shown user's
// blocks are pagedShown, outlined as the selection.
const (
	pagedInUse int32 = 0
	pagedShown int32 = 1
)

func reservedOwner(u int) int32 { return -3 - int32(u) }

// pagedColors colours the paged beat's cells: KV in use as decode, room
// that holds nothing as a panel that the hatch is then drawn over.
type pagedColors struct{ t *render.Theme }

func (c pagedColors) CellColor(o int32) (color.RGBA, bool) {
	switch {
	case o == render.WeightsCell:
		return c.t.Weights, true
	case o <= -3:
		return c.t.Panel, true
	}
	return c.t.Decode, true
}

// pagedProgress is how far the filling after a change has got, 0 to 1.
func (s *KVCache) pagedProgress() float64 {
	return min(1, float64(s.anim)/float64(kvFill))
}

func (s *KVCache) drawPaged(dst *ebiten.Image) {
	// The words change with the setup (SetSetup clears them) and with the
	// theme's colours, not from frame to frame.
	if s.pagedText == nil || s.pagedTheme != s.kit.Theme {
		w := s.pagedWords()
		s.pagedText, s.pagedTheme = &w, s.kit.Theme
	}
	w := *s.pagedText
	k, l := s.kit, s.paged
	drawFormula(dst, k, l.formula, w.formula, w.verdicts)
	f := s.pagedProgress()
	b := s.paging.Budget
	bpc := float64(b.VRAMBytes) / pagedCells

	p, u := s.paging, s.setup.Users
	reserved := s.drawVRAMPanel(dst, l.reserved, w.reservedTitle, w.reservedStatus, p.ReservedResident >= u, w.reservedKey, bpc, f, s.reservedOwners, &s.reservedGrid)
	paged := s.drawVRAMPanel(dst, l.paged, w.pagedTitle, w.pagedStatus, p.PagedResident >= u, w.pagedKey, bpc, f, s.pagedOwners, &s.pageGrid)
	s.drawTable(dst, w)

	s.spots = s.spots[:0]
	if f >= 1 && s.paging.Lengths != nil {
		s.spots = append(s.spots,
			Callout{Box: reserved, Label: emptyShare(s.paging) + " reserved, empty"},
			Callout{Box: paged, Label: w.pagedVerdict},
			Callout{Box: l.table})
	}
	s.spotlight.Draw(dst, k, s.chrome.Body, s.spots)
}

// drawVRAMPanel draws one VRAM picture: its title, who fits (or that it is
// still filling), the cells, and its key; it returns the panel.
func (s *KVCache) drawVRAMPanel(dst *ebiten.Image, r Rect, title, status string, all bool, key []swatch, bpc, f float64,
	owners func(bpc, f float64) []int32, g *render.BlockGrid) Rect {
	k, t := s.kit, s.kit.Theme
	pad := k.Px(14)
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, "")
	// The title wraps: the column is narrow at small sizes, and the title
	// says what the scheme is.
	y := r.Y + k.Px(10)
	for _, line := range k.Wrap(title, r.W-2*pad, 22, true) {
		k.Text(dst, k.Fit(line, r.W-2*pad, 22, true), r.X+pad, y, 22, true, t.Text, render.Left)
		y += k.LineHeight(22)
	}
	y = max(y+k.Px(4), top)
	c := t.Decode
	if f < 1 {
		status, c = "filling…", t.TextDim
	} else if !all {
		c = t.Warning
	}
	for _, line := range k.Wrap(status, r.W-2*pad, 24, true) {
		k.Text(dst, k.Fit(line, r.W-2*pad, 24, true), r.X+pad, y, 24, true, c, render.Left)
		y += k.LineHeight(24)
	}
	y += k.Px(6)
	key = append(key, swatch{kind: swatchNone, label: "one cell: " + sim.FormatBytes(int64(bpc))})
	keyH := keyHeight(k, key, r.W-2*pad) + k.Px(6)
	gridH := r.Y + r.H - pad - keyH - y
	o := owners(bpc, f)
	g.Layout(len(o), 1, 0, k.Px(40), r.W-2*pad, max(0, gridH))
	g.Fill(sim.ListOf(o), pagedColors{t}, t.Free, int(pagedShown))
	if gridH > 0 {
		g.Draw(dst, k, r.X+pad, y)
		s.hatchCells(dst, g)
		s.outlineShown(dst, g)
	}
	drawKey(dst, k, &s.hatch, key, r.X+pad, r.Y+r.H-pad-keyH+k.Px(6), r.W-2*pad)
	return r
}

// hatchCells draws the hatch over every cell that holds reserved, empty
// room.
func (s *KVCache) hatchCells(dst *ebiten.Image, g *render.BlockGrid) {
	in := g.Cell / 5 // the grid's gap
	for c := range g.Cells {
		if g.OwnerOfCell(c) > -3 {
			continue
		}
		x, y, side := g.CellCenter(c)
		s.hatch.draw(dst, x-side/2+in, y-side/2+in, side-in, side-in, s.kit.Theme.TextDim)
	}
}

// outlineShown frames the cells that hold the shown user's blocks more
// boldly than the grid's own outline, so that they read from afar.
func (s *KVCache) outlineShown(dst *ebiten.Image, g *render.BlockGrid) {
	k := s.kit
	e := max(1, k.Px(2))
	for c := range g.Cells {
		if g.OwnerOfCell(c) != pagedShown {
			continue
		}
		x, y, side := g.CellCenter(c)
		k.Frame(dst, x-side/2-e, y-side/2-e, side+2*e, side+2*e, e, k.Theme.Accent)
	}
}

// reservedOwners is the reserved picture's cells: the weights, then each
// resident user's room for the limit in turn, the part its tokens fill
// and the rest; f of the users have arrived so far.
func (s *KVCache) reservedOwners(bpc, f float64) []int32 {
	p := s.paging
	b := p.Budget
	room := float64(int64(b.UserBlocks) * b.BlockBytes)
	end := float64(int(math.Ceil(float64(p.ReservedResident)*f))) * room
	s.vramOwners = pagedCellOwners(s.vramOwners, bpc, float64(b.WeightBytes), func(at float64) int32 {
		if at >= end {
			return -1
		}
		u := int(at / room)
		if at-float64(u)*room < float64(p.Lengths[u])*float64(b.BytesPerToken) {
			return int32(u) + 2 // 0 and 1 are the paged picture's
		}
		return reservedOwner(u)
	})
	return s.vramOwners
}

// pagedOwners is the paged picture's cells: the weights, the blocks the
// resident users' tokens fill, the empty ends of their last blocks, and
// free; the cells that hold the shown user's blocks are marked. f of the
// blocks are taken so far.
func (s *KVCache) pagedOwners(bpc, f float64) []int32 {
	p := s.paging
	b := p.Budget
	weights := float64(b.WeightBytes)
	used := float64(p.PagedUsedBytes) * f
	taken := float64(p.PagedUsedBytes+p.PagedIdleBytes) * f
	s.cpuOwners = pagedCellOwners(s.cpuOwners, bpc, weights, func(at float64) int32 {
		switch {
		case at < used:
			return pagedInUse
		case at < taken:
			return reservedOwner(0)
		}
		return -1
	})
	if f >= 1 {
		for _, phys := range p.Table {
			c := int((weights + (float64(phys)+0.5)*float64(b.BlockBytes)) / bpc)
			if c >= 0 && c < len(s.cpuOwners) && s.cpuOwners[c] >= 0 {
				s.cpuOwners[c] = pagedShown
			}
		}
	}
	return s.cpuOwners
}

// drawTable draws the shown user's block table: a row per logical block,
// with the physical block that holds it and how full it is; when the rows
// do not all fit, the first ones and the last, part-full one.
func (s *KVCache) drawTable(dst *ebiten.Image, w kvPagedWords) {
	k, t, r := s.kit, s.kit.Theme, s.paged.table
	pad := k.Px(14)
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(w.tableTitle, r.W-2*pad, 22, true))
	note := k.Wrap(w.tableNote, r.W-2*pad, 22, false)
	noteH := float64(len(note)) * k.LineHeight(22)
	if s.pagedProgress() < 1 {
		// The table is drawn once its user has its blocks.
		w.rows = nil
	}
	lh := k.LineHeight(24) + k.Px(6)
	y := top
	colPhys := r.X + pad + k.TextWidth("0000", 24, true) + k.Px(14)
	barX := colPhys + k.TextWidth("block 00,000", 24, false) + k.Px(14)
	barW := r.X + r.W - pad - barX
	if len(w.rows) > 0 {
		k.Text(dst, "logical", r.X+pad, y, 22, false, t.TextDim, render.Left)
		k.Text(dst, "physical", colPhys, y, 22, false, t.TextDim, render.Left)
		if barW >= k.TextWidth("filled", 22, false) {
			k.Text(dst, "filled", barX, y, 22, false, t.TextDim, render.Left)
		}
		y += k.LineHeight(22) + k.Px(4)
	}
	room := int((r.Y + r.H - pad - noteH - k.Px(8) - y) / lh)
	rows := w.rows
	skipped := 0
	if len(rows) > room {
		// Keep the last row: its part-full block is the point.
		keep := max(0, room-2)
		skipped = len(rows) - keep - 1
		rows = append(rows[:keep:keep], rows[len(rows)-1])
		if room < 2 {
			rows, skipped = nil, 0
		}
	}
	for i, row := range rows {
		if skipped > 0 && i == len(rows)-1 {
			k.Text(dst, k.Fit(thousands(skipped)+" more", r.W-2*pad, 22, false), r.X+pad, y, 22, false, t.TextDim, render.Left)
			y += lh
		}
		k.Text(dst, row.logical, colPhys-k.Px(14), y, 24, true, t.Text, render.Right)
		k.Text(dst, row.physical, colPhys, y, 24, false, t.Text, render.Left)
		if barW > k.Px(20) {
			bh := k.LineHeight(24) * 0.7
			by := y + (k.LineHeight(24)-bh)/2
			full := barW * float64(row.fill) / float64(s.paging.Budget.BlockTokens)
			k.Rect(dst, barX, by, full, bh, t.Decode)
			k.Rect(dst, barX+full, by, barW-full, bh, t.Panel)
			s.hatch.draw(dst, barX+full, by, barW-full, bh, t.TextDim)
			k.Frame(dst, barX, by, barW, bh, max(1, k.Px(1.5)), t.Accent)
		}
		y += lh
	}
	ny := r.Y + r.H - pad - noteH
	for _, line := range note {
		k.Text(dst, k.Fit(line, r.W-2*pad, 22, false), r.X+pad, ny, 22, false, t.TextDim, render.Left)
		ny += k.LineHeight(22)
	}
}

// pagedCellOwners fills dst with the owners of a VRAM picture's cells:
// the weights first, then kv's owner for the byte at the middle of each
// cell, counted from the end of the weights.
func pagedCellOwners(dst []int32, bpc, weights float64, kv func(at float64) int32) []int32 {
	dst = dst[:0]
	for i := range pagedCells {
		mid := (float64(i) + 0.5) * bpc
		o := render.WeightsCell
		if mid >= weights {
			o = kv(mid - weights)
		}
		dst = append(dst, o)
	}
	return dst
}
