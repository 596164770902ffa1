package game

import (
	"fmt"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/settings"
)

// Every scene and beat, at four screen sizes, in both modes: from the kit's
// own record of the text it drew, every line lies inside the panel it
// starts in (or on the screen), overlaps no other line, and is no smaller
// than the mode's minimum.
func TestTextFitsEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every beat at four sizes")
	}
	c, _ := settings.BaseConfig("mixed")
	sizes := [][2]int{{1024, 768}, {1280, 720}, {1280, 577}, {1920, 1080}, {3840, 2160}}
	for _, size := range sizes {
		for _, presenter := range []bool{false, true} {
			if presenter && size[1] < 720 {
				// 1280×577 is a laptop's browser window, not a projector:
				// normal mode only.
				continue
			}
			g, err := New(Options{Config: c, Scene: "prompt", Width: size[0], Height: size[1], Presenter: presenter, Screenshot: "-"})
			if err != nil {
				t.Fatal(err)
			}
			img := ebiten.NewImage(size[0], size[1])
			for si, s := range g.tour.scenes {
				for b := range s.Beats() {
					g.goTo(si, b)
					// The memory scene's picture and spotlight settle after
					// its fill and copy animations; the others are checked
					// half a second in.
					frames := 30
					if s.Name() == "kvcache" {
						frames = 220
					}
					for range frames {
						g.Frame(time.Second / 60)
					}
					g.tour.from = -1 // the slide is over
					var rec render.Recording
					g.kit.Record(&rec)
					g.Render(img)
					g.kit.Record(nil)
					name := fmt.Sprintf("%dx%d presenter=%v %s beat %d", size[0], size[1], presenter, s.Name(), b+1)
					checkTexts(t, name, rec, float64(size[0]), float64(size[1]), presenter, g.kit.Scale)
				}
			}
			// Free play split into a duel, with the longest labels.
			g.userDuel = "preemption=recompute,preemption=swap"
			g.goTo(len(g.tour.scenes)-1, beatFree)
			for range 240 {
				g.Frame(time.Second / 60)
			}
			g.tour.from = -1
			var rec render.Recording
			g.kit.Record(&rec)
			g.Render(img)
			g.kit.Record(nil)
			checkTexts(t, fmt.Sprintf("%dx%d presenter=%v duel", size[0], size[1], presenter), rec, float64(size[0]), float64(size[1]), presenter, g.kit.Scale)
			img.Deallocate()
		}
	}
}

func checkTexts(t *testing.T, name string, rec render.Recording, w, h float64, presenter bool, scale float64) {
	t.Helper()
	const slack = 1.5
	errs := 0
	report := func(format string, args ...any) {
		if errs < 4 {
			t.Errorf(name+": "+format, args...)
		}
		errs++
	}
	hidden := func(i int) bool {
		for _, c := range rec.Covers {
			b := rec.Texts[i].Box
			if i < c.After && b.X < c.Box.X+c.Box.W && c.Box.X < b.X+b.W && b.Y < c.Box.Y+c.Box.H && c.Box.Y < b.Y+b.H {
				return true
			}
		}
		return false
	}
	for i, tx := range rec.Texts {
		if hidden(i) {
			continue // under an opaque card or tag drawn later
		}
		minSize, minPx := 18.0, 14.0
		if presenter {
			minSize, minPx = 24, 20
		}
		if tx.Size < minSize || float64(tx.Px) < minPx-0.5 {
			report("%q drawn at size %.0f (%d px), below %.0f", tx.S, tx.Size, tx.Px, minSize)
		}
		b := tx.Box
		// The innermost box the text starts in must hold all of it.
		var in *render.Rect
		for j := range rec.Boxes {
			r := &rec.Boxes[j]
			if r.Contains(b.X+1, b.Y+1) && (in == nil || r.W*r.H < in.W*in.H) {
				in = r
			}
		}
		outer := render.Rect{W: w, H: h}
		if in == nil {
			in = &outer
		}
		if b.X < in.X-slack || b.Y < in.Y-slack || b.X+b.W > in.X+in.W+slack || b.Y+b.H > in.Y+in.H+slack {
			report("%q at %v runs out of its panel %v", tx.S, b, *in)
		}
		for j, o := range rec.Texts[i+1:] {
			if hidden(i + 1 + j) {
				continue
			}
			ob := o.Box
			dx := min(b.X+b.W, ob.X+ob.W) - max(b.X, ob.X)
			dy := min(b.Y+b.H, ob.Y+ob.H) - max(b.Y, ob.Y)
			if dx > 2 && dy > 2 && !(o.S == tx.S && ob == b) {
				report("%q at %v overlaps %q at %v", tx.S, b, o.S, ob)
			}
		}
	}
	if errs > 4 {
		t.Errorf("%s: %d more", name, errs-4)
	}
	_ = scale
}

// The least type size is what a viewer sees: on a screen of two device
// pixels a point (a HiDPI browser), twice as many device pixels.
func TestLeastTypeFollowsTheDeviceScale(t *testing.T) {
	c, _ := settings.BaseConfig("mixed")
	g, err := New(Options{Config: c, Scene: "prompt", Width: 1280, Height: 577, Screenshot: "-"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scale     float64
		presenter bool
		want      float64
	}{{1, false, normalPx}, {2, false, 2 * normalPx}, {2, true, 2 * presenterPx}, {1, true, presenterPx}} {
		g.deviceScale = tc.scale
		g.setPresenter(tc.presenter)
		g.setLeastType()
		if g.kit.MinPx != tc.want {
			t.Errorf("device scale %g, presenter %v: least type %g px, want %g", tc.scale, tc.presenter, g.kit.MinPx, tc.want)
		}
	}
}
