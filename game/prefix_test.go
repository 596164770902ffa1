package game

import (
	"image"
	"strings"
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

// In the sharing scene the pointer lights a request on both halves and a
// click selects it on both, as in a duel on the playground.
func TestSharingSceneFollowsThePointer(t *testing.T) {
	c, _ := sim.ScenarioConfig("mixed")
	g, err := New(Options{Config: c, Scene: "sharing", Beat: 3, Width: 1920, Height: 1080, Screenshot: "-"})
	if err != nil {
		t.Fatal(err)
	}
	renderFrame(g, 1920, 1080)
	v, p := g.sharing.View()
	id := -1
	for i := range p.Engine(1).Len() {
		if b, ok := v.Halves[1].SpriteBox(i); ok {
			g.sharing.Hover(b.X+b.W/2, b.Y+b.H/2)
			g.click(b.X+b.W/2, b.Y+b.H/2)
			id = i
			break
		}
	}
	if id < 0 || v.Halves[0].Hovered() != id || v.Halves[1].Hovered() != id || v.Halves[0].Selected() != id || v.Halves[1].Selected() != id {
		t.Fatalf("pointed at R%d: hovered %d and %d, selected %d and %d", id, v.Halves[0].Hovered(), v.Halves[1].Hovered(), v.Halves[0].Selected(), v.Halves[1].Selected())
	}
}

// The sharing scene's tier beat draws what its caption says: the fetch's
// packet on the right half's link in the cached colour, the tier's blocks
// in CPU memory in the same colour, and a hover there says what they are.
func TestTierBeatPixels(t *testing.T) {
	c, _ := sim.ScenarioConfig("mixed")
	g, err := New(Options{Config: c, Scene: "sharing", Beat: 4, Width: 1920, Height: 1080, Screenshot: "-"})
	if err != nil {
		t.Fatal(err)
	}
	img := renderFrame(g, 1920, 1080)
	v, p := g.sharing.View()
	right := v.Halves[1]
	theme := g.Kit().Theme
	e := p.Engine(1)
	fetching := -1
	for _, tr := range e.Transfers().All() {
		if tr.Cache {
			fetching = tr.Req
		}
	}
	box, ok := right.PacketBox(fetching)
	if fetching < 0 || !ok {
		t.Fatalf("no fetch on the right's link (R%d, packet drawn %v)", fetching, ok)
	}
	if got := img.RGBAAt(int(box.X+1), int(box.Y+1)); !near(got, theme.Cached) {
		t.Fatalf("the fetch's packet is %v, not the cached colour %v", got, theme.Cached)
	}
	grid := &right.Memory().CPU
	cell := -1 // the last, clear of the tier's label on its first row
	for i := grid.Cells - 1; i >= 0 && cell < 0; i-- {
		if grid.OwnerOfCell(i) == sim.CachedCell {
			cell = i
		}
	}
	if cell < 0 {
		t.Fatal("no tier block in the right's CPU memory")
	}
	x, y, _ := grid.CellCenter(cell * grid.Per)
	if got := img.RGBAAt(int(x), int(y)); !near(got, theme.Cached) {
		t.Fatalf("a tier cell is %v, not the cached colour %v", got, theme.Cached)
	}
	right.Hover(p.Side(1), x, y)
	if tip := right.CurrentTip(); !strings.Contains(tip.Title, "cached prefix tier") {
		t.Fatalf("hover over a tier cell: %q", tip.Title)
	}
}
