package scenes

import (
	"fmt"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

// figure is one of the duel's compared numbers: how to read it from a
// run's summary, how to write it, and whether less is better.
type figure struct {
	name  string
	value func(sim.Result) float64
	text  func(float64) string
	lower bool // less is better (latencies); else more is (throughput)
}

// duelFigures are what the strip compares, most telling first; a narrow
// strip shows the first few.
var duelFigures = []figure{
	{"chat TTFT p99", func(r sim.Result) float64 { return r.Classes[sim.Interactive].TTFT.P99 }, render.Ms, true},
	{"chat TTFT p50", func(r sim.Result) float64 { return r.Classes[sim.Interactive].TTFT.P50 }, render.Ms, true},
	{"TBT p99", func(r sim.Result) float64 { return r.Summary.TBT.P99 }, render.Ms, true},
	{"throughput", func(r sim.Result) float64 { return r.Summary.Throughput }, func(v float64) string { return fmt.Sprintf("%.0f tok/s", v) }, false},
	{"met SLO", func(r sim.Result) float64 { return float64(r.Summary.SLOMet) }, func(v float64) string { return fmt.Sprintf("%.0f", v) }, false},
	{"preemptions", func(r sim.Result) float64 { return float64(r.Summary.Preemptions) }, func(v float64) string { return fmt.Sprintf("%.0f", v) }, false},
}

// compareCell is a figure's words for both sides: "585 ms vs 60 ms" and
// the difference, "9.8× lower with srpt".
type compareCell struct{ name, values, verdict string }

// compareFigure words one figure of the two sides' results. A latency no
// request has had yet is a dash, and no verdict.
func compareFigure(f figure, a, b sim.Result, right string) compareCell {
	va, vb := f.value(a), f.value(b)
	c := compareCell{name: f.name}
	text := func(v float64) string {
		if f.lower && !(v > 0) { // NaN or 0: none yet
			return "–"
		}
		return f.text(v)
	}
	c.values = text(va) + " vs " + text(vb)
	if f.lower && (!(va > 0) || !(vb > 0)) {
		return c
	}
	if va <= 0 && vb > 0 {
		// From none: how many more, not how many times.
		c.verdict = text(vb) + " more with " + right
		return c
	}
	c.verdict = verdict(va, vb, right)
	return c
}

// verdict says how the right side's value compares with the left's:
// "9.8× lower with srpt", "+12% with srpt", or "the same".
func verdict(a, b float64, right string) string {
	switch {
	case a == b || (a > 0 && math.Abs(b-a)/a < 0.02):
		return sameVerdict
	case b <= 0:
		return "none with " + right
	}
	ratio, word := b/a, "higher"
	if ratio < 1 {
		ratio, word = a/b, "lower"
	}
	if ratio < 1.5 {
		// Small differences read better as a percentage.
		return fmt.Sprintf("%+.0f%% with %s", (b/a-1)*100, right)
	}
	return fmt.Sprintf("%.1f× %s with %s", ratio, word, right)
}

const sameVerdict = "the same"

// Type sizes of the comparison strip, at 1920×1080.
const (
	compareName    = 18
	compareValues  = 22
	compareVerdict = 20
)

// compareHeight is the strip's height.
func compareHeight(k *render.Kit) float64 {
	return k.PanelTitle() + k.LineHeight(compareName) + k.LineHeight(compareValues) + k.LineHeight(compareVerdict) + k.Px(10)
}

// compareColumns is how many figures fit across a width.
func compareColumns(k *render.Kit, w float64) int {
	return max(2, min(len(duelFigures), int(w/k.Px(300))))
}

// drawCompare draws the strip: each figure's name, both sides' values in
// the order of the halves, and the difference.
func drawCompare(dst *ebiten.Image, k *render.Kit, r Rect, title string, cells []compareCell) {
	t := k.Theme
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(title, r.W-k.Px(28), 22, true))
	pad := k.Px(14)
	n := len(cells)
	cw := (r.W - 2*pad) / float64(max(1, n))
	for i, c := range cells {
		x, w := r.X+pad+float64(i)*cw, cw-k.Px(12)
		y := top
		k.Text(dst, k.Fit(c.name, w, compareName, false), x, y, compareName, false, t.TextDim, render.Left)
		y += k.LineHeight(compareName)
		k.Text(dst, k.Fit(c.values, w, compareValues, true), x, y, compareValues, true, t.Text, render.Left)
		y += k.LineHeight(compareValues)
		// The eye goes to a difference; "the same" is quieter.
		vc := t.Accent
		if c.verdict == sameVerdict {
			vc = t.TextDim
		}
		k.Text(dst, k.Fit(c.verdict, w, compareVerdict, true), x, y, compareVerdict, true, vc, render.Left)
	}
}
