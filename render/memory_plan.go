package render

import (
	"math"

	"inferplay/sim"
)

// MemoryPlan places VRAM, the host link and CPU memory in a column, at one
// scale for both memories: the blocks per cell and the cell size are
// chosen together, so that VRAM's whole KV cache and what CPU memory holds
// (its limit, or the most it has held, from a quarter to half of VRAM) both fit with cells of at least minCell pixels at 1920×1080.
type MemoryPlan struct {
	VRAM, Link, CPU, Rest Rect
	Per                   int     // blocks per cell
	Cell                  float64 // cell side in pixels
	CPUBlocks             int     // CPU blocks the grid has room for
	VRAMRows, CPURows     int     // rows of cells each grid has
}

// Heights of the parts of the panels around the grids.
func vramChrome(k *Kit) float64 {
	return k.PanelTitle() + k.Px(30) + k.Px(6) + k.LineHeight(18) + k.Px(6) + k.Px(14)
}
func cpuChrome(k *Kit) float64 { return k.PanelTitle() + k.LineHeight(18) + k.Px(6) + k.Px(14) }
func linkHeight(k *Kit) float64 {
	return k.Px(14) + k.LineHeight(20) + 2*max(k.LineHeight(18), k.Px(34))
}

// PlanMemory lays the column out; minRest is the height left below for
// other panels (it gets what the grids do not need).
func (m *Memory) PlanMemory(k *Kit, e *sim.Engine, col Rect, minRest float64) MemoryPlan {
	c := e.Config()
	gap := k.Px(12)
	w := col.W - 2*k.Px(14)
	avail := col.H - vramChrome(k) - linkHeight(k) - cpuChrome(k) - 3*gap - minRest
	capacity := max(e.CapacityBlocks(), 1)
	if avail < 3*k.Px(minCell) {
		// Too short a column for three panels (half a screen in large
		// type): VRAM alone, the picture's centre.
		return m.PlanVRAM(k, e, col, minRest)
	}
	m.peakCPU = max(m.peakCPU, e.CPUOwners().Len()+e.TierBlocks())
	// CPU memory gets up to half the room of VRAM, which is the picture's
	// centre; past it the panel says how much more it holds than it draws.
	cpu := min(max(m.peakCPU, capacity/4), capacity/2)
	if c.CPUKVBytes > 0 {
		cpu = min(int(c.CPUKVBytes/max(c.BlockBytes(), 1))+e.TierCapacity(), capacity/2)
	}
	per, cell := fitTwo(capacity, cpu, w, avail, k.Px(minCell), k.Px(maxCell))
	cols := max(1, int(w/cell))
	vramRows := ceilDiv(ceilDiv(capacity, per), cols)
	cpuRows := ceilDiv(ceilDiv(cpu, per), cols)
	var p MemoryPlan
	p.Per, p.Cell = per, cell
	p.CPUBlocks = cpuRows * cols * per
	p.VRAMRows, p.CPURows = vramRows, cpuRows
	y := col.Y
	p.VRAM = Rect{col.X, y, col.W, vramChrome(k) + float64(vramRows)*cell}
	y += p.VRAM.H + gap
	p.Link = Rect{col.X, y, col.W, linkHeight(k)}
	y += p.Link.H + gap
	p.CPU = Rect{col.X, y, col.W, cpuChrome(k) + float64(cpuRows)*cell}
	y += p.CPU.H + gap
	p.Rest = Rect{col.X, y, col.W, col.Y + col.H - y}
	m.plan = p
	return p
}

// PlanVRAM lays out VRAM alone in the column, without the link and CPU
// memory (their rectangles are empty): where the picture is memory.
func (m *Memory) PlanVRAM(k *Kit, e *sim.Engine, col Rect, minRest float64) MemoryPlan {
	capacity := max(e.CapacityBlocks(), 1)
	w := col.W - 2*k.Px(14)
	avail := max(col.H-vramChrome(k)-k.Px(12)-minRest, k.Px(minCell))
	per, cell := fitTwo(capacity, 0, w, avail, k.Px(minCell), k.Px(maxCell))
	cols := max(1, int(w/cell))
	var p MemoryPlan
	p.Per, p.Cell = per, cell
	p.VRAMRows = ceilDiv(ceilDiv(capacity, per), cols)
	p.VRAM = Rect{col.X, col.Y, col.W, min(col.H-minRest, vramChrome(k)+float64(p.VRAMRows)*cell)}
	y := p.VRAM.Y + p.VRAM.H + k.Px(12)
	p.Rest = Rect{col.X, y, col.W, col.Y + col.H - y}
	m.plan = p
	return p
}

// fitTwo picks the blocks per cell (a power of two) and the cell side for
// two grids of a and b blocks stacked in a w×h area: the fewest blocks per
// cell whose cells can be at least minCell, then the largest cell up to
// maxCell.
func fitTwo(a, b int, w, h, minCell, maxCell float64) (per int, cell float64) {
	fits := func(per int, cell float64) bool {
		cols := int(w / cell)
		if cols < 1 {
			return false
		}
		rows := ceilDiv(ceilDiv(a, per), cols) + ceilDiv(ceilDiv(b, per), cols)
		return float64(rows)*cell <= h
	}
	per = 1
	for per < 1<<30 && !fits(per, minCell) {
		per *= 2
	}
	lo, hi := minCell, max(minCell, maxCell)
	if fits(per, hi) {
		return per, hi
	}
	for range 30 {
		mid := (lo + hi) / 2
		if fits(per, mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return per, math.Floor(lo*4) / 4
}

func ceilDiv(a, b int) int { return (a + b - 1) / max(b, 1) }
