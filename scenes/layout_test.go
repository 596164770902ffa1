package scenes

import (
	"fmt"
	"testing"

	"inferplay/render"
	"inferplay/sim"
)

// Only layout arithmetic runs here, but the package links Ebitengine, which
// needs a display on Linux: make test runs the tests under Xvfb.

// At 1280×720, 1920×1080 and 3840×2160, with the panels beside the scene or
// hidden, every panel lies inside the area and none overlaps another.
func TestLayoutFitsWithoutOverlap(t *testing.T) {
	kit, err := render.NewKit(render.Dark())
	if err != nil {
		t.Fatal(err)
	}
	c, err := sim.ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(c)
	if err != nil {
		t.Fatal(err)
	}
	for range 1500 {
		e.Step()
	}
	for _, size := range [][2]float64{{1024, 768}, {1280, 720}, {1920, 1080}, {3840, 2160}} {
		for _, panels := range []float64{0, 210, 420} {
			area := Rect{X: panels, W: size[0] - panels, H: size[1]}
			kit.Scale = ScaleFor(area)
			l := computeLayout(kit, area, legendEntries(kit.Theme, nil), false, false)
			var m render.Memory
			planMemory(kit, e, &m, &l, false, false)
			rects := map[string]Rect{"top": l.top, "lanes": l.lanes, "gantt": l.gantt, "vram": l.vram, "link": l.link,
				"cpu": l.cpu, "metrics": l.metrics, "caption": l.caption, "legend": l.legend}
			name := fmt.Sprintf("%gx%g panels %g", size[0], size[1], panels)
			for n, r := range rects {
				if r.W <= 0 || r.H <= 0 || r.X < area.X || r.Y < area.Y || r.X+r.W > area.X+area.W+0.5 || r.Y+r.H > area.Y+area.H+0.5 {
					t.Errorf("%s: %s %+v outside %+v", name, n, r, area)
				}
				for m, q := range rects {
					if m < n && r.X < q.X+q.W && q.X < r.X+r.W && r.Y < q.Y+q.H && q.Y < r.Y+r.H {
						t.Errorf("%s: %s %+v overlaps %s %+v", name, n, r, m, q)
					}
				}
			}
			if m.VRAMCell() < kit.Px(10) {
				t.Errorf("%s: VRAM cells of %.1f px", name, m.VRAMCell())
			}
			if size[1] == 1080 && kit.Scale < 1 {
				t.Errorf("%s: scale %.2f, text under its 1080p size", name, kit.Scale)
			}
		}
	}
}
