package game

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"inferplay/render"
)

func inpututilMouseJustPressed() bool {
	return inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
}

// drawKeys shows every key and what it does.
func (g *Game) drawKeys(dst *ebiten.Image) {
	k := g.kit
	t := k.Theme
	var lines []string
	for _, b := range keymap {
		if b.label != "" {
			lines = append(lines, b.label)
		}
	}
	lines = append(lines, "click a request or a timeline row to inspect it")
	w := k.Px(400)
	for _, l := range lines {
		w = max(w, k.TextWidth(l, 22, false)+k.Px(40))
	}
	h := k.Px(70) + float64(len(lines))*k.Px(32)
	a := g.screenArea() // beside the panels, which are drawn over the scene
	x, y := a.X+(a.W-w)/2, (a.H-h)/2
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Accent)
	k.Text(dst, "Keys", x+k.Px(20), y+k.Px(14), 28, true, t.Text, render.Left)
	for i, s := range lines {
		k.Text(dst, s, x+k.Px(20), y+k.Px(60)+float64(i)*k.Px(32), 22, false, t.Text, render.Left)
	}
}

// drawLink shows the link that reopens this view, to paste into slides:
// the web address, or on the desktop the command line and the query.
func (g *Game) drawLink(dst *ebiten.Image) {
	k := g.kit
	t := k.Theme
	lines := []string{g.opts.LinkBase + "?" + g.Link()}
	if g.opts.LinkBase == "" {
		lines = []string{g.LinkFlags(), "web: ?" + g.Link()}
	}
	a := g.screenArea()
	w := a.W * 0.9
	h := k.Px(70) + float64(len(lines))*k.LineHeight(24)
	x, y := a.X+(a.W-w)/2, a.H-h-k.Px(170)
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Accent)
	k.Text(dst, "The link to this view (L hides it)", x+k.Px(20), y+k.Px(12), 24, true, t.Text, render.Left)
	for i, l := range lines {
		k.Text(dst, k.Fit(l, w-k.Px(40), 24, false), x+k.Px(20), y+k.Px(52)+float64(i)*k.LineHeight(24), 24, false, t.Text, render.Left)
	}
}

// drawMessage shows a notice or a configuration error across the top.
func (g *Game) drawMessage(dst *ebiten.Image) {
	k := g.kit
	t := k.Theme
	a := g.screenArea()
	w := a.W * 0.8
	h := k.Px(56)
	x, y := a.X+(a.W-w)/2, k.Px(70)
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Warning)
	k.Text(dst, k.Fit(g.message, w-k.Px(28), 22, false), x+k.Px(14), y+k.Px(14), 22, false, t.Text, render.Left)
}
