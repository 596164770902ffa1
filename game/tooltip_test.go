package game

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/scenes"
	"inferplay/settings"
)

// Pointing at each kind of thing in the playground — a request's sprite,
// its VRAM cells, the link, a metric, a legend entry — shows a tooltip
// that names it, drawn on screen in readable type; pointing at a request
// highlights it; pointing at nothing shows none.
func TestPointingShowsWhatItIs(t *testing.T) {
	c, _ := settings.BaseConfig("mixed")
	g := newGame(t, c, 0)
	g.goTo(len(g.tour.scenes)-1, 1) // the first swap: VRAM full, a copy on the link
	img := ebiten.NewImage(1920, 1080)
	defer img.Deallocate()
	g.Render(img)
	pg := g.playground
	e := g.player.Engine()
	center := func(r scenes.Rect) (float64, float64) { return r.X + r.W/2, r.Y + r.H/2 }

	point := func(what string, x, y float64, wantTitle string) scenes.Tip {
		t.Helper()
		pg.Hover(g.player, x, y)
		tip := pg.CurrentTip()
		if !strings.Contains(tip.Title, wantTitle) {
			t.Fatalf("%s at (%.0f, %.0f): tooltip %q, want one about %q", what, x, y, tip.Title, wantTitle)
		}
		var rec render.Recording
		g.kit.Record(&rec)
		g.Render(img)
		g.kit.Record(nil)
		drawn := false
		for _, tx := range rec.Texts {
			if tx.S == tip.Title || strings.HasPrefix(tip.Title, strings.TrimSuffix(tx.S, "…")) && tx.S != "" {
				drawn = true
				if tx.Size < 18 || tx.Box.X < 0 || tx.Box.Y < 0 || tx.Box.X+tx.Box.W > 1920 || tx.Box.Y+tx.Box.H > 1080 {
					t.Fatalf("%s: title drawn at %+v, size %.0f", what, tx.Box, tx.Size)
				}
			}
		}
		if !drawn {
			t.Fatalf("%s: tooltip %q not drawn", what, tip.Title)
		}
		return tip
	}

	// A request in the swapped lane.
	victim := g.pg.moments.swap.Victim
	box, ok := pg.SpriteBox(victim)
	if !ok {
		t.Fatalf("R%d has no sprite", victim)
	}
	x, y := center(box)
	point("sprite", x, y, "R"+strconv.Itoa(victim)+" ·")
	if pg.Hovered() != victim {
		t.Fatalf("pointing at R%d's sprite highlights R%d", victim, pg.Hovered())
	}
	// One of its VRAM cells (its copy is under way, so its blocks stay).
	grid := pg.VRAMGrid()
	found := false
	for cell := range grid.Cells {
		if grid.OwnerOfCell(cell) == int32(victim) {
			cx, cy, _ := grid.CellCenter(cell * max(grid.Per, 1))
			point("VRAM cell", cx, cy, "R"+strconv.Itoa(victim)+" ·")
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("R%d holds no VRAM cell at the swap", victim)
	}
	_, link, _, _ := pg.Panels()
	point("link", link.X+link.W-4, link.Y+4, "Host link")
	m := pg.MetricBoxes()
	point("metric", m[0].X+4, m[0].Y+4, render.MetricMeanings[0][0])
	legend := pg.LegendBoxes()
	x, y = center(legend[len(legend)-1])
	point("legend", x, y, "free block")

	pg.Hover(g.player, -1, -1)
	if tip := pg.CurrentTip(); tip.Title != "" || pg.Hovered() != -1 || e.Len() == 0 {
		t.Fatalf("pointing at nothing: tooltip %q, highlight R%d", tip.Title, pg.Hovered())
	}
}
