package scenes

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// DrawComparison draws two whole runs' figures side by side, in a card over
// r: the same traffic under two policies, row by row.
func DrawComparison(dst *ebiten.Image, k *render.Kit, r Rect, runs [2]lesson.Outcome) {
	t := k.Theme
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Occlude(render.Rect(r))
	k.Frame(dst, r.X, r.Y, r.W, r.H, k.Px(3), t.Accent)
	pad := k.Px(14)
	k.Text(dst, k.Fit("The whole run, same traffic and seed", r.W-2*pad, 22, true), r.X+pad, r.Y+k.Px(8), 22, true, t.Text, render.Left)
	colW := (r.W - 2*pad) / 3
	y := r.Y + k.Px(10) + k.LineHeight(22)
	for i, o := range runs {
		k.Text(dst, o.Scheduler, r.X+pad+colW*float64(i+1)+colW-k.Px(8), y, 22, true, t.Text, render.Right)
	}
	y += k.LineHeight(22)
	row := func(name string, f func(lesson.Outcome) string) {
		if y+k.LineHeight(20) > r.Y+r.H-k.Px(6) {
			return
		}
		k.Text(dst, k.Fit(name, colW*1.2, 20, false), r.X+pad, y, 20, false, t.TextDim, render.Left)
		for i, o := range runs {
			k.Text(dst, f(o), r.X+pad+colW*float64(i+1)+colW-k.Px(8), y, 20, true, t.Text, render.Right)
		}
		y += k.LineHeight(20)
	}
	chat := func(o lesson.Outcome) sim.Summary { return o.Result.Classes[sim.Interactive] }
	batch := func(o lesson.Outcome) sim.Summary { return o.Result.Classes[sim.Batch] }
	row("chat TTFT, median", func(o lesson.Outcome) string { return render.Ms(chat(o).TTFT.P50) })
	row("chat TTFT, 99th pct", func(o lesson.Outcome) string { return render.Ms(chat(o).TTFT.P99) })
	row("batch TTFT, median", func(o lesson.Outcome) string { return render.Ms(batch(o).TTFT.P50) })
	row("swaps · drops", func(o lesson.Outcome) string { return fmt.Sprintf("%d · %d", o.Swaps, o.Drops) })
	row("met their SLO", func(o lesson.Outcome) string {
		s := o.Result.Summary
		return fmt.Sprintf("%.0f%% of %d", s.SLOAttainment*100, s.Completed)
	})
}
