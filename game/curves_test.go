package game

import (
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
	"inferplay/sweep"
)

// C shows the playground's curves: computed a fixed slice per frame, the
// same progress on every machine, finished in a few seconds of frames,
// drawn in the policies' colours; a new setup starts them again, and C
// elsewhere only says where it works.
func TestCurvesView(t *testing.T) {
	c, _ := sim.ScenarioConfig("chatbot")
	c.Timing, c.Scheduler = "roofline", "srpt"
	g := newGame(t, c, 0)
	g.Do(ToggleCurves)
	if !g.curves.shown || g.curves.stepper == nil || g.curves.err != "" {
		t.Fatalf("curves not started: %+v", g.curves.err)
	}
	if got := g.curves.plan.Policies; len(got) != 2 || got[0] != "srpt" || got[1] != "fcfs" {
		t.Fatalf("policies %v", got)
	}
	frames := 0
	for ; !g.curves.done(); frames++ {
		if frames > 60*60 {
			t.Fatal("curves not done after a minute of frames")
		}
		g.Frame(0)
	}
	again := newGame(t, c, 0)
	again.Do(ToggleCurves)
	for range frames - 1 {
		again.Frame(0)
	}
	if again.curves.done() {
		t.Fatal("the same frames made different progress")
	}
	img := ebiten.NewImage(1920, 1080)
	g.curves.draw(img, g.kit, g.sceneArea(), g.player.Engine())
	pix := image.NewRGBA(img.Bounds())
	img.ReadPixels(pix.Pix)
	for _, pol := range []string{"srpt", "fcfs"} {
		want := color.RGBAModel.Convert(sweep.PolicyColor(pol)).(color.RGBA)
		if n := countNear(pix, want); n < 200 {
			t.Errorf("%s's curve: %d pixels of its colour", pol, n)
		}
	}
	c.Workload.Rate *= 2
	if err := g.load(c); err != nil {
		t.Fatal(err)
	}
	if g.curves.done() || g.curves.plan.Base.Workload.Rate != c.Workload.Rate {
		t.Fatal("a new setup kept the old curves")
	}
	g.Do(ToggleCurves)
	if g.curves.shown {
		t.Fatal("C did not hide the curves")
	}
	g.goTo(0, 0)
	g.Do(ToggleCurves)
	if g.curves.shown || g.message == "" {
		t.Fatal("C off the playground should only say where it works")
	}
}

// A trace has no load to vary: the view says so instead of curves.
func TestCurvesOfATrace(t *testing.T) {
	var v curveView
	c, _ := sim.ScenarioConfig("chatbot")
	c.Trace = []sim.Spec{{Input: 10, Output: 10}}
	v.restart(c)
	if v.err == "" || v.stepper != nil {
		t.Fatalf("a trace got curves: %q", v.err)
	}
}

func countNear(img *image.RGBA, c color.RGBA) int {
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if near(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}, c) {
			n++
		}
	}
	return n
}

// A playground frame with the curves shown while they are computed: the
// frame's slice of the sweep (curveSteps iterations) and the two charts.
func BenchmarkCurvesFrame(b *testing.B) {
	c, _ := sim.ScenarioConfig("chatbot")
	c.Timing = "roofline"
	g := newGame(b, c, 0)
	g.Do(ToggleCurves)
	img := ebiten.NewImage(1920, 1080)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if g.curves.done() {
			b.StopTimer()
			g.curves.restart(g.player.Config()) // keep it computing
			b.StartTimer()
		}
		g.Frame(16 * time.Millisecond)
		g.curves.draw(img, g.kit, g.sceneArea(), g.player.Engine())
		if i%8 == 7 {
			b.StopTimer()
			_ = img.At(0, 0)
			b.StartTimer()
		}
	}
}
