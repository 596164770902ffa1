package game

import (
	"testing"
	"time"

	"inferplay/sim"
)

// A swap as the screen shows it: while the victim's KV is on the link, its
// packet is drawn there and CPU memory does not show it yet; once the
// packet lands, CPU memory holds the victim's cells. Both timing models,
// each with both batchers.
func TestSwapFlowsOverTheLink(t *testing.T) {
	for _, mode := range [][2]string{{"classic", "serial"}, {"roofline", "continuous"}, {"roofline", "serial"}, {"classic", "continuous"}} {
		t.Run(mode[0]+"/"+mode[1], func(t *testing.T) {
			c, _ := sim.ScenarioConfig("mixed")
			c.Timing, c.Batcher = mode[0], mode[1]
			g := newGame(t, c, 1)
			g.panels = false
			g.player.SetPaused(false)
			mem := g.Playground().Memory()
			victim := -1
			for range 40_000 {
				g.Frame(time.Second / 60)
				if mem.Flights.Len() > 0 {
					victim = mem.Flights.First()
					break
				}
			}
			if victim < 0 {
				t.Fatal("no swap in the run")
			}
			renderFrame(g, 1920, 1080)
			onLink := false
			for _, p := range mem.Packets() {
				onLink = onLink || p.Req == victim
			}
			if toCPU, ok := mem.Flights.InFlight(victim); !ok || !toCPU {
				t.Skip("the first copy is a swap-in")
			}
			if !onLink {
				t.Fatalf("R%d's copy is in flight but no packet is drawn", victim)
			}
			if n := cellsOf(g.Playground().CPUGrid().Cells, g.Playground().CPUGrid().OwnerOfCell, victim); n != 0 {
				t.Fatalf("R%d's KV is still on the link, yet CPU memory shows %d of its cells", victim, n)
			}
			for range 600 {
				if _, ok := mem.Flights.InFlight(victim); !ok {
					break
				}
				g.Frame(time.Second / 60)
			}
			if _, ok := mem.Flights.InFlight(victim); ok {
				t.Fatalf("R%d's packet never lands", victim)
			}
			renderFrame(g, 1920, 1080)
			if r := g.player.Engine().Request(victim); r.State == sim.Swapped {
				if n := cellsOf(g.Playground().CPUGrid().Cells, g.Playground().CPUGrid().OwnerOfCell, victim); n == 0 {
					t.Fatalf("R%d's packet has landed, but CPU memory shows none of its cells", victim)
				}
			}
		})
	}
}

func cellsOf(n int, owner func(int) int32, id int) int {
	count := 0
	for c := range n {
		if owner(c) == int32(id) {
			count++
		}
	}
	return count
}
