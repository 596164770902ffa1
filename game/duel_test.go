package game

import (
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/settings"
)

// duelGame opens the playground split by a -duel spec, as the command
// line does.
func duelGame(t *testing.T, args ...string) *Game {
	t.Helper()
	o, _, _, err := settings.ParseFlags(append([]string{"-window", "1920x1080", "-screenshot", "-"}, args...), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if g.duel == nil || !g.onPlayground() {
		t.Fatalf("%v: no duel on the playground", args)
	}
	return g
}

// -duel opens the playground in two halves that serve the same requests,
// arriving at the same times, on one clock.
func TestDuelFlagSplitsThePlayground(t *testing.T) {
	g := duelGame(t, "-duel", "gpu=constrained,gpu=a100", "-scenario", "mixed")
	for range 600 {
		g.Frame(time.Second / 60)
	}
	a, b := g.duel.player.Engine(0), g.duel.player.Engine(1)
	if a.Config().GPU.ID != "constrained" || b.Config().GPU.ID != "a100" {
		t.Fatalf("sides run %s and %s", a.Config().GPU.ID, b.Config().GPU.ID)
	}
	if a.Tick() < 100 || a.Arrived() == 0 {
		t.Fatalf("600 frames: tick %d, %d arrived", a.Tick(), a.Arrived())
	}
	for id := range min(a.Arrived(), b.Arrived()) {
		if a.Request(id).Spec != b.Request(id).Spec {
			t.Fatalf("R%d differs between the halves", id)
		}
	}
	gap := a.Now() - b.Now()
	if gap < 0 {
		gap = -gap
	}
	if limit := max(a.LastIteration().Duration, b.LastIteration().Duration) + time.Second; gap > limit {
		t.Fatalf("halves %s apart", gap)
	}
	if link := g.Link(); !strings.Contains(link, "duel=gpu%3Dconstrained%2Cgpu%3Da100") {
		t.Fatalf("link %q does not reopen the duel", link)
	}
}

// A duel of a setting against itself draws two identical halves: the same
// requests in the same places, the same cells, the same figures.
func TestSelfDuelDrawsIdenticalHalves(t *testing.T) {
	g := duelGame(t, "-duel", "mlfq,mlfq", "-scenario", "mixed", "-ticks", "900")
	img := renderFrame(g, 1920, 1080)
	v := g.duel.view
	l, r := v.Halves[0].Area(), v.Halves[1].Area()
	dx := int(r.X - l.X)
	if float64(dx) != r.X-l.X {
		t.Fatalf("halves %g apart: not a whole number of pixels", r.X-l.X)
	}
	differ, total := 0, 0
	for y := int(l.Y); y < int(l.Y+l.H); y++ {
		for x := int(l.X) + 1; x < int(l.X+l.W)-1; x++ {
			total++
			if !near(img.RGBAAt(x, y), img.RGBAAt(x+dx, y)) {
				differ++
			}
		}
	}
	if differ > 0 {
		t.Fatalf("%d of %d pixels differ between the halves", differ, total)
	}
	for _, c := range v.Verdicts() {
		if c[2] != "" && c[2] != "the same" {
			t.Fatalf("the strip finds a difference: %v", c)
		}
	}
}

// Selecting a request on one side selects it on both; stepping and
// stepping back move both halves together.
func TestDuelSelectionAndTransportAreShared(t *testing.T) {
	g := duelGame(t, "-duel", "fcfs,srpt", "-scenario", "mixed", "-ticks", "400")
	v := g.duel.view
	renderFrame(g, 1920, 1080)
	e := g.duel.player.Engine(0)
	picked := -1
	for id := range e.Arrived() {
		if b, ok := v.Halves[0].SpriteBox(id); ok {
			g.click(b.X+b.W/2, b.Y+b.H/2)
			picked = id
			break
		}
	}
	if picked < 0 || v.Halves[0].Selected() != picked || v.Halves[1].Selected() != picked {
		t.Fatalf("clicked R%d: selected %d and %d", picked, v.Halves[0].Selected(), v.Halves[1].Selected())
	}
	p := g.duel.player
	start, ticks := p.Position(), [2]int{p.Engine(0).Tick(), p.Engine(1).Tick()}
	for range 20 {
		g.do(StepForward)
	}
	if p.Engine(0).Tick() <= ticks[0] || p.Engine(1).Tick() <= ticks[1] {
		t.Fatalf("stepping moved the halves from %v to %d and %d", ticks, p.Engine(0).Tick(), p.Engine(1).Tick())
	}
	for range 20 {
		g.do(StepBack)
	}
	if p.Position() != start || p.Engine(0).Tick() != ticks[0] || p.Engine(1).Tick() != ticks[1] {
		t.Fatalf("back at %d with ticks %d and %d, not %d with %v", p.Position(), p.Engine(0).Tick(), p.Engine(1).Tick(), start, ticks)
	}
}

// The playground's comparison beat is a duel of its policy and the other
// kind, paused at the blocking moment, pointing at both halves and the
// strip, whose first figure shows the difference.
func TestCompareBeatIsADuel(t *testing.T) {
	c, _ := settings.BaseConfig("mixed")
	g, err := New(Options{Config: c, Scene: "playground", Beat: beatCompare, Width: 1920, Height: 1080, Screenshot: "-"})
	if err != nil {
		t.Fatal(err)
	}
	renderFrame(g, 1920, 1080)
	if g.duel == nil || !g.duel.player.Paused() {
		t.Fatal("the comparison beat is not a paused duel")
	}
	s := g.duel.player.Sides()
	if s[0].Label != "fcfs" || s[1].Label != "mlfq" {
		t.Fatalf("sides %s and %s", s[0].Label, s[1].Label)
	}
	spots := g.pg.callouts()
	v := g.duel.view
	var left, right, strip bool
	for _, c := range spots {
		left = left || v.Halves[0].Area().Contains(c.Box.X, c.Box.Y)
		right = right || v.Halves[1].Area().Contains(c.Box.X, c.Box.Y)
		strip = strip || c.Box == v.CompareBox()
	}
	if !left || !right || !strip {
		t.Fatalf("callouts %v: left %v, right %v, strip %v", spots, left, right, strip)
	}
	if first := v.Verdicts()[0]; !strings.Contains(first[2], "lower with mlfq") {
		t.Fatalf("chat p99 TTFT: %v", first)
	}
	// Leaving the beat ends the duel.
	g.pg.SetBeat(beatFree)
	if g.duel != nil {
		t.Fatal("free play is still a duel")
	}
}

// A bad -duel is one line naming the flag's problem, from the command
// line and the address alike.
func TestBadDuelIsOneLine(t *testing.T) {
	for _, spec := range []string{"fcfs", "fcfs,nosuch", "gpu=nosuch,gpu=h100"} {
		_, _, _, err := settings.ParseFlags([]string{"-duel", spec}, nil)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "duel: ") {
			t.Errorf("-duel %s: %v", spec, err)
		}
		if _, err := settings.ParseQuery("duel=" + spec); err == nil {
			t.Errorf("?duel=%s accepted", spec)
		}
	}
	o, err := settings.ParseQuery("duel=fcfs,srpt")
	if err != nil || o.Duel != "fcfs,srpt" || o.Scene != "playground" {
		t.Fatalf("?duel=fcfs,srpt: %+v, %v", o.Duel, err)
	}
}

// A frame of a playing duel (both engines' steps, both halves' update and
// draw, the strip): the CPU's side of what a duel costs 60 times a second.
func BenchmarkDuelFrame(b *testing.B) {
	o, _, _, err := settings.ParseFlags([]string{"-window", "1920x1080", "-screenshot", "-", "-duel", "fcfs,mlfq", "-scenario", "mixed"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	g, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	img := ebiten.NewImage(1920, 1080)
	for range 300 {
		g.Frame(time.Second / 60)
		g.drawScene(img)
	}
	_ = img.At(0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if g.duel.player.Finished() {
			b.StopTimer()
			g.duel.player.Restart()
			g.duel.player.SetPaused(false)
			b.StartTimer()
		}
		g.Frame(time.Second / 60)
		g.drawScene(img)
		if i%64 == 63 {
			b.StopTimer()
			_ = img.At(0, 0) // flush the command queue off the clock, as BenchmarkSceneFrame does
			b.StartTimer()
		}
	}
}
