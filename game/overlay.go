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
	w, h := k.Px(560), k.Px(70)+float64(len(lines))*k.Px(32)
	x, y := (float64(g.width)-w)/2, (float64(g.height)-h)/2
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Prefill)
	k.Text(dst, "Keys", x+k.Px(20), y+k.Px(14), 28, true, t.Text, render.Left)
	for i, s := range lines {
		k.Text(dst, s, x+k.Px(20), y+k.Px(60)+float64(i)*k.Px(32), 22, false, t.Text, render.Left)
	}
}

// drawMessage shows a notice or a configuration error across the top.
func (g *Game) drawMessage(dst *ebiten.Image) {
	k := g.kit
	t := k.Theme
	w := float64(g.width) * 0.7
	h := k.Px(56)
	x, y := (float64(g.width)-w)/2, k.Px(70)
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Warning)
	k.Text(dst, k.Fit(g.message, w-k.Px(28), 22, false), x+k.Px(14), y+k.Px(14), 22, false, t.Text, render.Left)
}
