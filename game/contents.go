package game

import (
	"fmt"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/scenes"
)

// stripHeight leaves room in each tab for its label and, under it, the
// beat marks: at small sizes the least type size makes the label taller
// than the scale alone would.
func (g *Game) stripHeight() float64 {
	k := g.kit
	return max(k.Px(60), k.Px(32)+k.LineHeight(22))
}

// fmtStatus is the seed and policy line every scene shows.
func fmtStatus(seed uint64, policy, timing string) string {
	return fmt.Sprintf("seed %d · %s · timing %s", seed, policy, timing)
}

// drawStrip draws the contents strip: every scene, numbered as its key,
// the current one marked with its beats; then the seed, the policy and
// where playback stands.
func (g *Game) drawStrip(dst *ebiten.Image) {
	k, t := g.kit, g.kit.Theme
	a := g.screenArea()
	h := g.stripHeight()
	k.Rect(dst, a.X, a.Y, a.W, h, t.Panel)
	k.Rect(dst, a.X, a.Y+h-max(1, k.Px(2)), a.W, max(1, k.Px(2)), t.Edge)
	x := a.X + k.Px(12)
	g.tabs = g.tabs[:0]
	// When every tab's words do not fit beside a useful status line, the
	// other scenes' tabs shrink to their keys' numbers: the tour stays one
	// line, and the scene on screen keeps its name.
	full := k.Px(12)
	for i := range g.tour.scenes {
		full += k.TextWidth(g.stops[i].tab, 22, i == g.tour.cur) + k.Px(36)
	}
	compact := full+k.Px(420) > a.W
	// Compact, the tour reads by chapter: each chapter's name before its
	// scenes' numbers, where there is room for the names.
	chapters := false
	if compact {
		need := k.Px(12)
		for i := range g.tour.scenes {
			label, _, _ := strings.Cut(g.stops[i].tab, "  ")
			if i == g.tour.cur {
				label = g.stops[i].tab
			}
			need += k.TextWidth(label, 22, i == g.tour.cur) + k.Px(36)
			if i == 0 || g.stops[i].chapter != g.stops[i-1].chapter {
				need += k.TextWidth(g.stops[i].chapter, 20, false) + k.Px(16)
			}
		}
		chapters = need+k.Px(420) <= a.W
	}
	for i, s := range g.tour.scenes {
		if chapters && (i == 0 || g.stops[i].chapter != g.stops[i-1].chapter) {
			if i > 0 {
				x += k.Px(8)
			}
			// A chapter whose name its scene's tab already shows, in full
			// because it is on screen, is not named twice.
			if name := g.stops[i].chapter; !(i == g.tour.cur && strings.HasSuffix(g.stops[i].tab, "  "+name)) {
				k.Text(dst, name, x, a.Y+k.Px(17), 20, false, t.TextDim, render.Left)
				x += k.TextWidth(name, 20, false) + k.Px(8)
			}
		}
		label := g.stops[i].tab
		if compact && i != g.tour.cur {
			label, _, _ = strings.Cut(label, "  ")
		}
		w := k.TextWidth(label, 22, i == g.tour.cur) + k.Px(28)
		r := scenes.Rect{X: x, Y: a.Y + k.Px(6), W: w, H: h - k.Px(14)}
		g.tabs = append(g.tabs, r)
		ink := t.TextDim
		if i == g.tour.cur {
			k.Rect(dst, r.X, r.Y, r.W, r.H, t.Background)
			k.Frame(dst, r.X, r.Y, r.W, r.H, max(1, k.Px(2)), t.Accent)
			ink = t.Text
			// One mark per beat, the ones passed filled.
			n := len(s.Beats())
			dot, gap := k.Px(10), k.Px(6)
			dx := r.X + (r.W-float64(n)*(dot+gap)+gap)/2
			for b := range n {
				c := t.Free
				if b <= s.Beat() {
					c = t.Accent
				}
				k.Rect(dst, dx+float64(b)*(dot+gap), r.Y+r.H-dot-k.Px(4), dot, k.Px(5), c)
			}
		}
		k.Text(dst, label, r.X+k.Px(14), r.Y+k.Px(6), 22, i == g.tour.cur, ink, render.Left)
		x += w + k.Px(8)
	}
	status := g.tour.scene().Status()
	if tr := g.tour.scene().Transport(); tr != nil {
		status += " · " + tr.Label()
	}
	if !g.presenter {
		status += " · ? keys"
	}
	room := a.X + a.W - x - k.Px(16)
	k.Text(dst, k.Fit(status, room, 20, false), a.X+a.W-k.Px(14), a.Y+k.Px(17), 20, false, t.Text, render.Right)
}

// contentsHit is the scene whose tab is at a point, or -1.
func (g *Game) contentsHit(x, y float64) int {
	for i, r := range g.tabs {
		if r.Contains(x, y) {
			return i
		}
	}
	return -1
}

// drawScene draws the strip and the scene; during a scene change, the old
// scene slides out as the new one slides in.
func (g *Game) drawScene(dst *ebiten.Image) {
	bg := g.kit.Theme.Background
	dst.Fill(bg)
	t := &g.tour
	if t.from < 0 {
		t.scene().Draw(dst)
		g.drawStrip(dst)
		return
	}
	b := dst.Bounds()
	g.slideA = offscreen(g.slideA, b.Dx(), b.Dy())
	g.slideB = offscreen(g.slideB, b.Dx(), b.Dy())
	g.slideA.Fill(bg)
	g.slideB.Fill(bg)
	// The scene leaving is laid out again, in case the window changed.
	t.scenes[t.from].Layout(g.sceneArea())
	t.scenes[t.from].Draw(g.slideA)
	t.scene().Draw(g.slideB)
	f := render.Smoothstep(t.slide)
	w := float64(b.Dx())
	var op ebiten.DrawImageOptions
	op.GeoM.Translate(-t.dir*f*w, 0)
	dst.DrawImage(g.slideA, &op)
	op.GeoM.Reset()
	op.GeoM.Translate(t.dir*(1-f)*w, 0)
	dst.DrawImage(g.slideB, &op)
	g.drawStrip(dst)
}

// offscreen returns img if it has the size, or a new image that has.
func offscreen(img *ebiten.Image, w, h int) *ebiten.Image {
	if img != nil {
		if b := img.Bounds(); b.Dx() == w && b.Dy() == h {
			return img
		}
		img.Deallocate()
	}
	return ebiten.NewImage(w, h)
}
