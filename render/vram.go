package render

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// maxCells bounds the cells a block grid draws: beyond it, each cell stands
// for several blocks (shown in the owner's colour of the first one used).
const maxCells = 65_536

// BlockGrid draws a pool of KV blocks as a grid of cells coloured by owner.
// It writes one pixel per cell into a small image and draws that image
// scaled up with nearest-neighbour filtering: one upload and one draw per
// frame, however many blocks there are.
type BlockGrid struct {
	cells int // cells drawn
	per   int // blocks per cell
	cols  int
	cell  float64
	x, y  float64 // where the last Draw put the grid

	pix []byte
	img *ebiten.Image
	op  ebiten.DrawImageOptions
}

// CellCenter is the centre of the cell that shows block b, as last drawn.
func (g *BlockGrid) CellCenter(b int) (x, y, size float64) {
	c := b / max(g.per, 1)
	return g.x + (float64(c%g.cols)+0.5)*g.cell, g.y + (float64(c/g.cols)+0.5)*g.cell, g.cell
}

// layoutGrid fits n blocks in a w×h box.
func (g *BlockGrid) layoutGrid(n int, w, h float64) {
	g.per = max(1, (n+maxCells-1)/maxCells)
	g.cells = max(1, (n+g.per-1)/g.per)
	g.cell, g.cols = FitCells(g.cells, w, h)
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

// WeightsCell, as an owner, shows a cell of model weights.
const WeightsCell int32 = -2

// ownerAt is the owner shown by a cell: the first owned block in it.
func (g *BlockGrid) ownerAt(owners []int32, cell int) int32 {
	for b := cell * g.per; b < min((cell+1)*g.per, len(owners)); b++ {
		if owners[b] != -1 {
			return owners[b]
		}
	}
	return -1
}

// Draw draws n cells' worth of owners (owners may be shorter than n: the
// rest are free) inside the box. highlight, when not -1, dims every other
// owner's blocks.
func (g *BlockGrid) Draw(dst *ebiten.Image, k *Kit, owners []int32, n int, x, y, w, h float64, highlight int) {
	g.layoutGrid(n, w, h)
	g.x, g.y = x, y
	rows := (g.cells + g.cols - 1) / g.cols
	if g.img == nil || g.img.Bounds().Dx() != g.cols || g.img.Bounds().Dy() != rows {
		if g.img != nil {
			g.img.Deallocate()
		}
		g.img = ebiten.NewImage(g.cols, rows)
		g.pix = make([]byte, 4*g.cols*rows)
	}
	free, last, lastC := k.Theme.Free, int32(-3), color.RGBA{}
	for c := range g.cols * rows {
		o := int32(-1)
		if c < g.cells {
			o = g.ownerAt(owners, c)
		}
		if o != last {
			last, lastC = o, free
			if o == WeightsCell {
				lastC = k.Theme.Weights
			}
			if o >= 0 {
				lastC = k.Theme.Owner(int(o))
				if highlight >= 0 && int(o) != highlight {
					lastC = withAlpha(lastC, 0.25)
				}
			}
			if c >= g.cells {
				lastC = k.Theme.Panel
			}
		}
		g.pix[4*c], g.pix[4*c+1], g.pix[4*c+2], g.pix[4*c+3] = lastC.R, lastC.G, lastC.B, lastC.A
	}
	g.img.WritePixels(g.pix)
	g.op.GeoM.Reset()
	g.op.GeoM.Scale(g.cell, g.cell)
	g.op.GeoM.Translate(x, y)
	g.op.Filter = ebiten.FilterNearest
	dst.DrawImage(g.img, &g.op)
	// Cells big enough to tell apart get a grid of gaps, drawn as lines in
	// the panel's colour: two draws per row and column, not per cell.
	if g.cell >= 6 {
		gap := max(1, g.cell*0.12)
		for col := 1; col <= g.cols; col++ {
			k.Rect(dst, x+float64(col)*g.cell-gap, y, gap, float64(rows)*g.cell, k.Theme.Panel)
		}
		for row := 1; row <= rows; row++ {
			k.Rect(dst, x, y+float64(row)*g.cell-gap, float64(g.cols)*g.cell, gap, k.Theme.Panel)
		}
	}
}

// VRAMPanel draws the GPU memory to scale: the weights, then the KV cache
// block by block, and the numbers behind them.
type VRAMPanel struct {
	Grid BlockGrid
}

// Draw draws the panel in the box.
func (p *VRAMPanel) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, x, y, w, h float64, highlight int) {
	t := k.Theme
	c := e.Config()
	top := k.Panel(dst, x, y, w, h, k.Fit("VRAM "+gpuLabel(c), w-k.Px(28), 22, true))
	pad := k.Px(14)
	// The whole memory to scale: weights, KV in use, KV free.
	total := float64(c.VRAMBytes())
	held := float64(int64(e.HeldBlocks()) * c.BlockBytes())
	kv := float64(c.KVCapacityBytes())
	barW, barH := w-2*pad, k.Px(30)
	wW := barW * float64(c.WeightBytes()) / total
	k.Rect(dst, x+pad, top, barW, barH, t.Free)
	k.Rect(dst, x+pad, top, wW, barH, t.Weights)
	k.Rect(dst, x+pad+wW, top, barW*held/total, barH, t.Decode)
	k.Text(dst, "weights "+sim.FormatBytes(c.WeightBytes()), x+pad+k.Px(8), top+k.Px(4), 17, true, contrast(t.Weights), Left)
	top += barH + k.Px(8)
	util := 0.0
	if kv > 0 {
		util = held / kv
	}
	k.Text(dst, k.Fit(fmt.Sprintf("KV cache: %s of %s used (%.0f%%), %s free · %d blocks of %d tokens",
		sim.FormatBytes(int64(held)), sim.FormatBytes(int64(kv)), util*100, sim.FormatBytes(int64(kv-held)), e.CapacityBlocks(), c.BlockSize),
		w-2*pad, 18, false), x+pad, top, 18, false, t.Text, Left)
	top += k.LineHeight(18) + k.Px(4)
	k.Text(dst, k.Fit(kvFormula(c), w-2*pad, 17, false), x+pad, top, 17, false, t.TextDim, Left)
	top += k.LineHeight(17) + k.Px(8)
	p.Grid.Draw(dst, k, e.VRAMOwners(), e.CapacityBlocks(), x+pad, top, w-2*pad, y+h-top-pad, highlight)
}

func gpuLabel(c sim.Config) string {
	if c.GPUs() > 1 {
		return fmt.Sprintf("%d× %s · %s", c.GPUs(), c.GPU.Name, sim.FormatBytes(c.VRAMBytes()))
	}
	return fmt.Sprintf("%s · %s", c.GPU.Name, sim.FormatBytes(c.VRAMBytes()))
}

// kvFormula is the KV-per-token arithmetic with this model's numbers.
func kvFormula(c sim.Config) string {
	m := c.Model
	s := fmt.Sprintf("KV per token = 2 × %d layers × %d KV heads × %d dim × 2 B = %s", m.Layers, m.KVHeads, m.HeadDim, sim.FormatKiB(m.KVBytesPerToken()))
	if c.GPUs() > 1 {
		s += fmt.Sprintf(" (%s over %d GPUs)", sim.FormatKiB(c.KVBytesPerToken()), c.GPUs())
	}
	return s
}
