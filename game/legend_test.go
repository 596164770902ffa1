package game

import (
	"fmt"
	"image"
	"image/color"
	"testing"
	"time"

	"inferplay/render"
	"inferplay/sim"
)

// The legend lists exactly what the playground draws: rendering the
// playground in several scenarios, on both timing models and in the middle
// of a swap, finds no filled area in a colour that is neither named by the
// legend nor one of the theme's neutrals (background, panels, edges, ink).
// Text is left out (its edges are blended), and so are pixels on an edge
// between two fills, which are blended too.
func TestLegendListsEveryFill(t *testing.T) {
	for _, tc := range []struct {
		scenario, timing string
		midSwap          bool
	}{
		{"mixed", "classic", true},
		{"mixed", "roofline", true},
		{"docprocessing", "roofline", false},
		{"rag", "classic", false},
		{"assistant", "roofline", false}, // cached prefix blocks
	} {
		t.Run(tc.scenario+"/"+tc.timing, func(t *testing.T) {
			c, err := sim.ScenarioConfig(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			c.Timing = tc.timing
			g := newGame(t, c, 400)
			g.panels = false
			g.player.SetPaused(false)
			if tc.midSwap {
				for range 20_000 {
					if g.Playground().Memory().Flights.Len() > 0 || g.player.Finished() {
						break
					}
					g.Frame(time.Second / 60)
				}
				if g.Playground().Memory().Flights.Len() == 0 {
					t.Fatal("no copy on the link: the run never swaps")
				}
			}
			var rec render.Recording
			g.Kit().Record(&rec)
			img := renderFrame(g, 1920, 1080)
			g.Kit().Record(nil)
			allowed := allowedFills(g.Kit().Theme)
			if bad := strayFills(img, rec.Texts, allowed); bad != "" {
				t.Error(bad)
			}
		})
	}
}

// allowedFills are the legend's colours and the theme's neutrals.
func allowedFills(th *render.Theme) []color.RGBA {
	out := []color.RGBA{th.Background, th.Panel, th.Edge, th.Text, th.TextDim, th.Accent, th.Free, th.Weights, th.Blocked, th.Cached}
	for _, m := range th.StateMeanings() {
		out = append(out, m.C)
	}
	return out
}

// strayFills describes the first few uniform 3×3 areas whose colour is not
// allowed, or is "".
func strayFills(img *image.RGBA, texts []render.DrawnText, allowed []color.RGBA) string {
	b := img.Bounds()
	inText := func(x, y int) bool {
		for _, t := range texts {
			r := t.Box
			if float64(x) >= r.X-3 && float64(x) < r.X+r.W+3 && float64(y) >= r.Y-3 && float64(y) < r.Y+r.H+3 {
				return true
			}
		}
		return false
	}
	ok := map[color.RGBA]bool{}
	for _, c := range allowed {
		ok[c] = true
	}
	seen := map[color.RGBA]bool{}
	msg := ""
	for y := b.Min.Y + 1; y < b.Max.Y-1; y += 2 {
		for x := b.Min.X + 1; x < b.Max.X-1; x += 2 {
			c := img.RGBAAt(x, y)
			if ok[c] || seen[c] || !uniform(img, x, y) || inText(x, y) {
				continue
			}
			if nearAny(c, allowed) {
				continue
			}
			seen[c] = true
			if len(seen) <= 5 {
				msg += fmt.Sprintf("fill %v at (%d, %d) is not in the legend; ", c, x, y)
			}
		}
	}
	return msg
}

func uniform(img *image.RGBA, x, y int) bool {
	c := img.RGBAAt(x, y)
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if img.RGBAAt(x+dx, y+dy) != c {
				return false
			}
		}
	}
	return true
}

func nearAny(c color.RGBA, list []color.RGBA) bool {
	for _, a := range list {
		if near(c, a) {
			return true
		}
	}
	return false
}
