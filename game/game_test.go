package game

import (
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

func newGame(t testing.TB, c sim.Config, ticks int) *Game {
	t.Helper()
	g, err := New(Options{Config: c, Scene: "playground", Ticks: ticks, Width: 1920, Height: 1080, Screenshot: "-"})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func renderFrame(g *Game, w, h int) *image.RGBA {
	img := ebiten.NewImage(w, h)
	g.Render(img)
	out := image.NewRGBA(img.Bounds())
	img.ReadPixels(out.Pix)
	return out
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 2 && d(a.G, b.G) <= 2 && d(a.B, b.B) <= 2
}

// After 1500 ticks of mixed, every VRAM cell shows its owner's state
// colour (or the free colour), and CPU memory shows the swapped requests in
// the swapped colour.
func TestVRAMAndCPUPixels(t *testing.T) {
	c, _ := sim.ScenarioConfig("mixed")
	g := newGame(t, c, 1500)
	img := renderFrame(g, 1920, 1080)
	e := g.Player().Engine()
	if e.Swapped().Len() == 0 {
		t.Fatal("nothing swapped at tick 1500: the test would prove nothing")
	}
	theme := g.Kit().Theme
	mem := g.Playground().Memory()
	want := func(o int32) color.RGBA {
		if o < 0 {
			return theme.Free
		}
		if toCPU, ok := mem.Flights.InFlight(int(o)); ok && !toCPU {
			return theme.Copying
		}
		return theme.StateOf(e.Request(int(o)))
	}
	grid := g.Playground().VRAMGrid()
	if grid.Cell < 10 {
		t.Fatalf("VRAM cells are %.1f px, want at least 10 at 1920×1080", grid.Cell)
	}
	owned := 0
	for cell := range grid.Cells {
		o := grid.OwnerOfCell(cell)
		x, y, _ := grid.CellCenter(cell * grid.Per)
		if o >= 0 {
			owned++
		}
		if underTag(mem.Tags(), x, y) {
			continue // a group's label covers it
		}
		if got := img.RGBAAt(int(x), int(y)); !near(got, want(o)) {
			t.Fatalf("cell %d (owner %d) at (%.0f, %.0f) is %v, want %v", cell, o, x, y, got, want(o))
		}
	}
	if owned == 0 {
		t.Fatal("no owned blocks")
	}
	cpu := g.Playground().CPUGrid()
	if cpu.Cell != grid.Cell || cpu.Per != grid.Per {
		t.Fatalf("CPU cells %.1f px of %d blocks, VRAM %.1f px of %d: not one scale", cpu.Cell, cpu.Per, grid.Cell, grid.Per)
	}
	swappedCells := 0
	for cell := range cpu.Cells {
		o := cpu.OwnerOfCell(cell)
		if o < 0 {
			continue
		}
		swappedCells++
		x, y, _ := cpu.CellCenter(cell * cpu.Per)
		if underTag(mem.Tags(), x, y) {
			continue
		}
		if got := img.RGBAAt(int(x), int(y)); !near(got, theme.Swapped) && !near(got, theme.Copying) {
			t.Fatalf("CPU cell %d (R%d) is %v, want the swapped colour %v", cell, o, got, theme.Swapped)
		}
	}
	if swappedCells == 0 {
		t.Error("no swapped KV drawn in CPU memory")
	}
}

func underTag(tags []render.Rect, x, y float64) bool {
	for _, r := range tags {
		// With a pixel's margin: a tag's edge may cover part of a pixel.
		if (render.Rect{X: r.X - 2, Y: r.Y - 2, W: r.W + 4, H: r.H + 4}).Contains(x, y) {
			return true
		}
	}
	return false
}

// The -screenshot flag writes a PNG of the playground for every scenario,
// through the real binary, at 1920×1080 and 1280×720.
func TestScreenshotFlagEveryScenario(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "inferplay")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sc := range sim.Scenarios() {
		for _, size := range []string{"1920x1080", "1280x720"} {
			shot := filepath.Join(dir, sc.ID+size+".png")
			cmd := exec.Command(bin, "-scene", "playground", "-scenario", sc.ID, "-ticks", "400", "-window", size, "-screenshot", shot)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s %s: %v\n%s", sc.ID, size, err, out)
			}
			f, err := os.Open(shot)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", shot, err)
			}
			colours := map[color.Color]bool{}
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y += 7 {
				for x := b.Min.X; x < b.Max.X; x += 7 {
					colours[img.At(x, y)] = true
				}
			}
			if len(colours) < 20 {
				t.Errorf("%s %s: only %d colours: a blank frame?", sc.ID, size, len(colours))
			}
		}
	}
	// A bad flag is one line and exit status 2.
	out, err := exec.Command(bin, "-scheduler", "lifo").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("bad flag: %v\n%s", err, out)
	}
}

// A -screenshot that cannot be saved is one line and a failed exit status:
// 2 for a path that cannot be written, found before the window opens, and
// 1 when writing the picture fails.
func TestScreenshotFailures(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "inferplay")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cases := []struct {
		path string
		code int
		want string
	}{
		{"/nonexistent-dir/x.png", 2, `inferplay: -screenshot: open "/nonexistent-dir/x.png": no such file or directory`},
		{t.TempDir(), 2, "inferplay: -screenshot: open "},
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		cases = append(cases, struct {
			path string
			code int
			want string
		}{"/dev/full", 1, `inferplay: -screenshot: write "/dev/full": no space left on device`})
	}
	for _, c := range cases {
		cmd := exec.Command(bin, "-scene", "playground", "-window", "640x360", "-screenshot", c.path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != c.code {
			t.Errorf("%s: %v, want exit status %d; stderr %q", c.path, err, c.code, stderr.String())
		}
		if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: stderr %q, want one line starting %q", c.path, got, c.want)
		}
	}
	// Checking a new file's path leaves no file behind.
	dir := t.TempDir()
	if err := CheckScreenshot(filepath.Join(dir, "new.png")); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the check left %v", left)
	}
}

// Thousands of random actions and panel changes, extremes included, never
// panic, and every frame draws.
func TestMonkey(t *testing.T) {
	t.Chdir(t.TempDir()) // screenshots land here
	c, _ := sim.ScenarioConfig("mixed")
	g := newGame(t, c, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	img := ebiten.NewImage(1280, 720)
	actions := []Action{PlayPause, StepForward, StepBack, Slower, Faster, Restart, TogglePanels,
		UIScaleUp, UIScaleDown, ToggleKeys, ToggleTheme}
	for i := range 3000 {
		switch rng.IntN(10) {
		case 0:
			if rng.IntN(40) == 0 { // writing a PNG is slow: now and then
				g.Do(SaveScreenshot)
			}
		case 1, 2:
			p := &g.panel
			p.scenario = rng.IntN(len(scenarioIDs))
			p.model = rng.IntN(len(modelIDs))
			p.gpu = rng.IntN(len(gpuIDs))
			p.precision = rng.IntN(len(precisionIDs))
			p.scheduler = rng.IntN(len(schedulerIDs))
			p.timing = rng.IntN(len(timingIDs))
			p.batcher = rng.IntN(len(batcherIDs))
			p.preemption = rng.IntN(len(sim.PreemptionModes))
			p.tp = rng.IntN(len(tpOptions))
			p.seed = []int{0, 1, -1, 1 << 40}[rng.IntN(4)]
			p.requests = []int{0, 1, 2000, -5}[rng.IntN(4)]
			p.rate = []float64{0, 0.01, 50, -1}[rng.IntN(4)]
			p.share = []float64{0, 1, 0.5, 2}[rng.IntN(4)]
			g.apply()
		default:
			g.Do(actions[rng.IntN(len(actions))])
		}
		// The real Update too: it builds the panels and reads (no) input.
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		if i%25 == 0 {
			g.Render(img)
		}
	}
}

// A full playground frame with 600 requests decoding and 30,000 VRAM
// blocks: the time and allocations per frame (Update and Draw).
func BenchmarkPlaygroundFrame(b *testing.B) {
	c, _ := sim.ScenarioConfig("chatbot")
	c.Trace = nil
	for range 600 {
		c.Trace = append(c.Trace, sim.Spec{Input: 100, Output: 100_000, Class: sim.Batch})
	}
	g := newGame(b, c, 620)
	e := g.Player().Engine()
	if e.Decoding().Len() < 500 || e.CapacityBlocks() < 4000 {
		b.Fatalf("%d decoding, %d blocks", e.Decoding().Len(), e.CapacityBlocks())
	}
	img := ebiten.NewImage(1920, 1080)
	g.Render(img)
	// Paused, so that the frame is the view's work alone (Update and Draw),
	// not the engine's.
	g.Player().SetPaused(true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		g.Frame(16 * time.Millisecond)
		img.Fill(g.kit.Theme.Background)
		g.playground.Draw(img, g.player)
		if i%8 == 7 {
			// Ebitengine flushes its command queue at the end of a frame,
			// and a benchmark never ends one: reading a pixel flushes it,
			// so the queue does not grow without bound.
			b.StopTimer()
			_ = img.At(0, 0)
			b.StartTimer()
		}
	}
}
