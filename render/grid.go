package render

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// A block grid draws a pool of KV blocks as square cells, each cell one
// block or, when the pool is large, a fixed number of blocks. Cells take the
// colour of their owner's state; cells of one owner touch (no gap between
// them), so a request's blocks read as one group, while free cells and
// different owners are parted by a thin gap. The selected owner's group is
// outlined in the accent colour.
//
// The grid is rendered into a small image at gridSub pixels per cell, and
// that image is drawn scaled with nearest-neighbour filtering: one draw per
// frame however many blocks there are, and a new upload only when a cell
// changes.

// gridSub is the image pixels per cell side: the gap is one of them.
const gridSub = 5

// CellColors says what colour a cell owner is drawn in; ok false draws the
// cell as free (an owner whose blocks are not to be shown yet).
type CellColors interface {
	CellColor(owner int32) (c color.RGBA, ok bool)
}

// WeightsCell, as an owner, shows a cell of model weights.
const WeightsCell int32 = -2

// freeOwner is the owner of a free cell; every free cell stands alone.
const freeOwner int32 = -1

// BlockGrid is one grid as last drawn.
type BlockGrid struct {
	Per       int     // blocks per cell
	Cells     int     // cells drawn
	Cols      int     // cells per row
	Cell      float64 // cell side in pixels
	X, Y      float64 // where the grid was drawn
	Truncated int     // blocks that did not fit the box (not drawn)

	owner    []int32      // per cell: the owner shown
	colour   []color.RGBA // per cell: its fill
	selected int32

	// What the image holds, to skip painting and uploading it again.
	drawn                   []color.RGBA
	drawnOwner              []int32
	drawnSel                int32
	drawnPanel, drawnAccent color.RGBA

	pix  []byte
	img  *ebiten.Image
	imgW int
	imgH int
	op   ebiten.DrawImageOptions
}

// CellCenter is the centre of the cell that shows block b, as last drawn.
func (g *BlockGrid) CellCenter(b int) (x, y, size float64) {
	c := b / max(g.Per, 1)
	cols := max(g.Cols, 1)
	return g.X + (float64(c%cols)+0.5)*g.Cell, g.Y + (float64(c/cols)+0.5)*g.Cell, g.Cell
}

// CellAt is the cell under a point, or -1.
func (g *BlockGrid) CellAt(x, y float64) int {
	if g.Cell <= 0 || x < g.X || y < g.Y {
		return -1
	}
	col, row := int((x-g.X)/g.Cell), int((y-g.Y)/g.Cell)
	if col >= g.Cols {
		return -1
	}
	c := row*g.Cols + col
	if c >= g.Cells {
		return -1
	}
	return c
}

// OwnerOfCell is the owner a cell shows (-1 free).
func (g *BlockGrid) OwnerOfCell(c int) int32 {
	if c < 0 || c >= len(g.owner) {
		return freeOwner
	}
	return g.owner[c]
}

// BlocksPerCell picks how many blocks one cell stands for so that n blocks
// fit a w×h box with cells of at least minCell pixels: 1, 2, 4, 8, ... (a
// power of two keeps the caption's arithmetic easy to say).
func BlocksPerCell(n int, w, h, minCell float64) int {
	per := 1
	for per < 1<<30 {
		cells := (n + per - 1) / per
		if cell, _ := FitCells(cells, w, h); cell >= minCell {
			return per
		}
		per *= 2
	}
	return per
}

// FitCells is the largest square cell such that n cells, row by row, fit
// in a w×h box, and how many go in a row.
func FitCells(n int, w, h float64) (cell float64, cols int) {
	lo, hi := 0.01, max(w, h)
	for range 40 {
		mid := (lo + hi) / 2
		if cols, rows := int(w/mid), int(h/mid); cols > 0 && cols*rows >= n {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, max(1, int(w/lo))
}

// Layout sets the grid's cells: n blocks, per blocks to a cell, cells of
// side cell (0: as large as fits, up to maxCell) in a w×h box. Blocks that
// do not fit the box at that size are counted in Truncated.
func (g *BlockGrid) Layout(n, per int, cell, maxCell, w, h float64) {
	g.Per = max(per, 1)
	cells := max(1, (n+g.Per-1)/g.Per)
	if cell <= 0 {
		cell, _ = FitCells(cells, w, h)
		cell = min(cell, maxCell)
	}
	g.Cell = cell
	g.Cols = max(1, int(w/cell))
	fit := g.Cols * max(1, int(h/cell))
	g.Truncated = 0
	if cells > fit {
		g.Truncated = n - fit*g.Per
		cells = fit
	}
	g.Cells = cells
}

// Fill reads each cell's owner from owners (one per block; blocks past the
// end are free) and its colour from cc. A cell of several blocks shows the
// first owner it holds.
func (g *BlockGrid) Fill(owners sim.List[int32], cc CellColors, free color.RGBA, selected int) {
	g.owner = resize(g.owner, g.Cells)
	g.colour = resizeColors(g.colour, g.Cells)
	g.selected = int32(selected)
	last, lastC, lastOK := int32(math.MinInt32), free, false // no owner is MinInt32
	for c := range g.Cells {
		o := freeOwner
		for b := c * g.Per; b < min((c+1)*g.Per, owners.Len()); b++ {
			if ob := owners.At(b); ob != freeOwner {
				o = ob
				break
			}
		}
		if o != last {
			last = o
			lastC, lastOK = free, false
			if o != freeOwner {
				lastC, lastOK = cc.CellColor(o)
				if !lastOK {
					lastC = free
				}
			}
		}
		if !lastOK {
			o = freeOwner
		}
		g.owner[c], g.colour[c] = o, lastC
	}
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

func resizeColors(s []color.RGBA, n int) []color.RGBA {
	if cap(s) < n {
		return make([]color.RGBA, n)
	}
	return s[:n]
}

// Draw draws the cells filled last at (x, y).
func (g *BlockGrid) Draw(dst *ebiten.Image, k *Kit, x, y float64) {
	g.X, g.Y = x, y
	rows := (g.Cells + g.Cols - 1) / g.Cols
	w, h := g.Cols*gridSub+1, rows*gridSub+1
	if g.img == nil || g.imgW != w || g.imgH != h {
		if g.img != nil {
			g.img.Deallocate()
		}
		g.img, g.imgW, g.imgH = ebiten.NewImage(w, h), w, h
		g.pix = make([]byte, 4*w*h)
		g.drawn = g.drawn[:0]
	}
	if g.changed(k) {
		g.paint(k.Theme.Panel, k.Theme.Accent, rows)
		g.img.WritePixels(g.pix)
	}
	g.op.GeoM.Reset()
	g.op.GeoM.Scale(g.Cell/gridSub, g.Cell/gridSub)
	g.op.GeoM.Translate(x, y)
	g.op.Filter = ebiten.FilterNearest
	dst.DrawImage(g.img, &g.op)
}

// changed reports whether the image must be painted again, and remembers
// what it will hold: every cell's owner and fill, the selection and the
// two gap colours.
func (g *BlockGrid) changed(k *Kit) bool {
	t := k.Theme
	same := len(g.drawn) == len(g.colour) && len(g.drawnOwner) == len(g.owner) &&
		g.drawnSel == g.selected && g.drawnPanel == t.Panel && g.drawnAccent == t.Accent
	for i := 0; same && i < len(g.colour); i++ {
		same = g.drawn[i] == g.colour[i] && g.drawnOwner[i] == g.owner[i]
	}
	if same {
		return false
	}
	g.drawn = append(g.drawn[:0], g.colour...)
	g.drawnOwner = append(g.drawnOwner[:0], g.owner...)
	g.drawnSel, g.drawnPanel, g.drawnAccent = g.selected, t.Panel, t.Accent
	return true
}

// paint writes every image pixel: cell interiors, and the gap lines
// between cells, which take the owner's colour inside a group, the accent
// around the selected group, and the panel's colour elsewhere.
func (g *BlockGrid) paint(panel, accent color.RGBA, rows int) {
	w := g.Cols*gridSub + 1
	set := func(px, py int, c color.RGBA) {
		i := 4 * (py*w + px)
		g.pix[i], g.pix[i+1], g.pix[i+2], g.pix[i+3] = c.R, c.G, c.B, c.A
	}
	clear(g.pix)
	at := func(col, row int) (int32, bool) {
		if col < 0 || row < 0 || col >= g.Cols || row >= rows {
			return freeOwner, false
		}
		c := row*g.Cols + col
		if c >= g.Cells {
			return freeOwner, false
		}
		return g.owner[c], true
	}
	// gap decides one gap pixel between the cells on either side.
	gap := func(a int32, aOK bool, b int32, bOK bool, fill color.RGBA) color.RGBA {
		selA, selB := aOK && a == g.selected && a >= 0, bOK && b == g.selected && b >= 0
		switch {
		case selA != selB:
			return accent
		case aOK && bOK && a == b && a != freeOwner:
			return fill
		}
		return panel
	}
	for row := range rows {
		for col := range g.Cols {
			o, ok := at(col, row)
			if !ok {
				continue
			}
			c := g.colour[row*g.Cols+col]
			x0, y0 := col*gridSub, row*gridSub
			for dy := 1; dy < gridSub; dy++ {
				for dx := 1; dx < gridSub; dx++ {
					set(x0+dx, y0+dy, c)
				}
			}
			left, lok := at(col-1, row)
			up, uok := at(col, row-1)
			right, rok := at(col+1, row)
			down, dok := at(col, row+1)
			for d := 1; d < gridSub; d++ {
				set(x0, y0+d, gap(left, lok, o, true, c))
				set(x0+d, y0, gap(up, uok, o, true, c))
			}
			if !rok {
				for d := 1; d < gridSub; d++ {
					set(x0+gridSub, y0+d, gap(o, true, right, false, c))
				}
			}
			if !dok {
				for d := 1; d < gridSub; d++ {
					set(x0+d, y0+gridSub, gap(o, true, down, false, c))
				}
			}
			// The corner at the cell's top left joins four cells.
			ul, ulok := at(col-1, row-1)
			switch {
			case o != freeOwner && lok && uok && ulok && left == o && up == o && ul == o:
				set(x0, y0, c)
			case o == g.selected && o >= 0 || lok && left == g.selected && left >= 0 || uok && up == g.selected && up >= 0 || ulok && ul == g.selected && ul >= 0:
				set(x0, y0, accent)
			default:
				set(x0, y0, panel)
			}
		}
	}
}

// OwnerColor colours every owner alike, and weights as weights: for grids
// whose cells all hold KV in one state.
type OwnerColor struct {
	Theme *Theme
	KV    color.RGBA
}

// CellColor is the weights' colour or the KV's.
func (o *OwnerColor) CellColor(owner int32) (color.RGBA, bool) {
	if owner == WeightsCell {
		return o.Theme.Weights, true
	}
	return o.KV, true
}

// DrawFitted lays n blocks out one per cell as large as fits the w×h box
// (up to maxCell), fills them from owners and draws them at (x, y).
func (g *BlockGrid) DrawFitted(dst *ebiten.Image, k *Kit, owners []int32, n int, x, y, w, h, maxCell float64, cc CellColors) {
	g.Layout(n, 1, 0, maxCell, w, h)
	g.Fill(sim.ListOf(owners), cc, k.Theme.Free, -1)
	g.Draw(dst, k, x, y)
}
