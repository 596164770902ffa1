package game

import (
	"image"
	"testing"

	"inferplay/sim"
)

// With a shared system prompt, VRAM shows its cached blocks once, in the
// cached-prefix colour, labelled with how many requests share them; a
// selected request's shared blocks are framed with its own.
func TestCachedPrefixPixels(t *testing.T) {
	c, err := sim.ScenarioConfig("assistant")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	if err := c.SetGPU("constrained"); err != nil {
		t.Fatal(err)
	}
	g := newGame(t, c, 500)
	img := renderFrame(g, 1920, 1080)
	e := g.Player().Engine()
	theme := g.Kit().Theme
	grid := g.Playground().VRAMGrid()
	mem := g.Playground().Memory()
	cached, holders := 0, 0
	e.EachCachedBlock(func(_ int32, n int) { cached, holders = cached+1, max(holders, n) })
	if cached == 0 || holders < 2 {
		t.Fatalf("%d cached blocks, at most %d holders: not the sharing intended", cached, holders)
	}
	seen := 0
	for cell := range grid.Cells {
		if grid.OwnerOfCell(cell) != sim.CachedCell {
			continue
		}
		x, y, _ := grid.CellCenter(cell * grid.Per)
		if underTag(mem.Tags(), x, y) {
			continue
		}
		seen++
		if got := img.RGBAAt(int(x), int(y)); !near(got, theme.Cached) {
			t.Fatalf("cached cell %d is %v, want %v", cell, got, theme.Cached)
		}
	}
	if seen == 0 {
		t.Fatal("no cached cell drawn")
	}
	// A holder selected: each of its shared cells is framed in the accent.
	holder := -1
	for _, id := range e.Decoding().All() {
		if len(e.SharedBlocks(id, nil)) > 0 {
			holder = id
			break
		}
	}
	if holder < 0 {
		t.Fatal("no decoding request holds cached blocks")
	}
	g.Playground().Select(holder)
	img = renderFrame(g, 1920, 1080)
	b := e.SharedBlocks(holder, nil)[0]
	x, y, s := grid.CellCenter(int(b))
	edge := image.Pt(int(x-s/2)+1, int(y))
	if got := img.RGBAAt(edge.X, edge.Y); !near(got, theme.Accent) {
		t.Fatalf("the selected request's shared cell is not framed: %v at its left edge", got)
	}
}
