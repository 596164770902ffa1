package render

import (
	"image/color"
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// LineChart is curves against a numeric axis, drawn with the kit in the
// theme's colours and type: the visual simulator's charts. (The command
// line's are drawn with gonum/plot; its fonts would add megabytes to the
// browser build.)
type LineChart struct {
	Title, XLabel, YLabel string
	Log                   bool    // a logarithmic y axis of milliseconds, labelled 10 ms, 1 s
	YMin, YMax            float64 // a fixed y range when YMax > YMin
	XLog2                 bool    // a logarithmic x axis, ticks at powers of two
	Series                []LineSeries
	Ring                  *Point // a point marked as a ring, if any
}

// LineSeries is one curve, in its colour.
type LineSeries struct {
	Label  string
	Color  color.RGBA
	Points []Point
}

// Point is a place in a chart's data.
type Point struct{ X, Y float64 }

// chartText is the charts' type size: ticks and legend; titles are larger.
const chartText = 18

// ChartFrame is where a chart drew its data: the plot's rectangle and the
// mapping of data to the screen, for pointing at a part of it.
type ChartFrame struct {
	Plot Rect
	X, Y func(float64) float64
}

// DrawLineChart draws c in the rectangle: the title and the legend in a
// row above, the y axis's title over its ticks, the x axis's under them.
// It returns where the data went.
func (k *Kit) DrawLineChart(dst *ebiten.Image, c LineChart, r Rect) ChartFrame {
	t := k.Theme
	lh := k.LineHeight(chartText)
	k.Text(dst, k.Fit(c.Title, r.W, 22, true), r.X, r.Y, 22, true, t.Text, Left)
	y := r.Y + k.LineHeight(22)
	lx := r.X
	for _, s := range c.Series {
		sw := k.Px(28)
		w := sw + k.Px(8) + k.TextWidth(s.Label, chartText, false)
		if lx > r.X && lx+w > r.X+r.W {
			lx, y = r.X, y+lh // the legend wraps
		}
		k.Rect(dst, lx, y+lh/2-k.Px(3), sw, k.Px(6), s.Color)
		k.Text(dst, k.Fit(s.Label, r.X+r.W-lx-sw-k.Px(8), chartText, false), lx+sw+k.Px(8), y, chartText, false, t.Text, Left)
		lx += w + k.Px(24)
	}
	k.Text(dst, c.YLabel, r.X, y+lh, chartText, false, t.TextDim, Left)
	top := y + 2.5*lh + k.Px(8) // half a line for the top tick's label
	bottom := r.Y + r.H - 2*lh - k.Px(8)
	if bottom-top < k.Px(40) || len(c.Series) == 0 {
		return ChartFrame{}
	}
	xlo, xhi, ylo, yhi := c.bounds()
	yt := yTicks(ylo, yhi, c.Log)
	left := r.X
	for _, tk := range yt {
		left = max(left, r.X+k.TextWidth(tk.label, chartText, false)+k.Px(10))
	}
	right := r.X + r.W - k.Px(12)
	plot := Rect{X: left, Y: top, W: right - left, H: bottom - top}
	fy := func(v float64) float64 {
		if c.Log {
			v, ylo, yhi := math.Log10(v), math.Log10(ylo), math.Log10(yhi)
			return plot.Y + plot.H*(1-(v-ylo)/(yhi-ylo))
		}
		return plot.Y + plot.H*(1-(v-ylo)/(yhi-ylo))
	}
	fx := func(v float64) float64 { return plot.X + plot.W*(v-xlo)/(xhi-xlo) }
	xt := linearTicks(xlo, xhi)
	if c.XLog2 {
		lo, hi := math.Log2(xlo), math.Log2(xhi)
		fx = func(v float64) float64 { return plot.X + plot.W*(math.Log2(v)-lo)/(hi-lo) }
		xt = xt[:0]
		for v := xlo; v <= xhi*1.0001; v *= 2 {
			xt = append(xt, tick{v, strconv.FormatFloat(v, 'f', -1, 64)})
		}
		// Every other power when their labels would touch.
		for len(xt) > 2 && float64(len(xt))*(k.TextWidth("8192", chartText, false)+k.Px(12)) > plot.W {
			thin := xt[:0]
			for i, tk := range xt {
				if i%2 == 0 {
					thin = append(thin, tk)
				}
			}
			xt = thin
		}
	}
	grid := blend(t.Panel, t.Text, 0.15)
	for _, tk := range yt {
		py := fy(tk.v)
		k.Rect(dst, plot.X, py, plot.W, max(1, k.Px(1)), grid)
		k.Text(dst, tk.label, plot.X-k.Px(8), py-lh/2, chartText, false, t.Text, Right)
	}
	for _, tk := range xt {
		px := fx(tk.v)
		k.Rect(dst, px, plot.Y, max(1, k.Px(1)), plot.H, grid)
		k.Text(dst, tk.label, px, plot.Y+plot.H+k.Px(6), chartText, false, t.Text, Center)
	}
	k.Rect(dst, plot.X, plot.Y, max(1, k.Px(2)), plot.H, t.Text)
	k.Rect(dst, plot.X, plot.Y+plot.H, plot.W, max(1, k.Px(2)), t.Text)
	k.Text(dst, c.XLabel, plot.X+plot.W/2, plot.Y+plot.H+k.Px(6)+lh, chartText, false, t.TextDim, Center)
	width := float32(max(3, k.Px(4)))
	for _, s := range c.Series {
		// One path a curve, stroked once: a line per segment would be a
		// draw (and a path) per segment, every frame.
		var path vector.Path
		for i, p := range s.Points {
			if i == 0 {
				path.MoveTo(float32(fx(p.X)), float32(fy(p.Y)))
			} else {
				path.LineTo(float32(fx(p.X)), float32(fy(p.Y)))
			}
		}
		op := &vector.DrawPathOptions{AntiAlias: true}
		op.ColorScale.ScaleWithColor(s.Color)
		vector.StrokePath(dst, &path, &vector.StrokeOptions{Width: width, LineJoin: vector.LineJoinRound}, op)
		for _, p := range s.Points {
			d := 2.6 * float64(width)
			k.Disc(dst, fx(p.X)-d/2, fy(p.Y)-d/2, d, s.Color)
		}
	}
	if c.Ring != nil && c.Ring.X >= xlo && c.Ring.X <= xhi && c.Ring.Y >= ylo && c.Ring.Y <= yhi {
		x, y, d := fx(c.Ring.X), fy(c.Ring.Y), 7*float64(width)
		k.Disc(dst, x-d/2, y-d/2, d, t.Text)
		d2 := d - 2.4*float64(width)
		k.Disc(dst, x-d2/2, y-d2/2, d2, t.Panel)
	}
	return ChartFrame{Plot: plot, X: fx, Y: fy}
}

// bounds is the data's range, with the fixed y range if set and the ring
// inside it.
func (c LineChart) bounds() (xlo, xhi, ylo, yhi float64) {
	xlo, ylo = math.Inf(1), math.Inf(1)
	xhi, yhi = math.Inf(-1), math.Inf(-1)
	take := func(p Point) {
		xlo, xhi = min(xlo, p.X), max(xhi, p.X)
		ylo, yhi = min(ylo, p.Y), max(yhi, p.Y)
	}
	for _, s := range c.Series {
		for _, p := range s.Points {
			take(p)
		}
	}
	if c.Ring != nil {
		take(*c.Ring)
	}
	if c.YMax > c.YMin {
		ylo, yhi = c.YMin, c.YMax
	}
	if math.IsInf(xlo, 0) {
		xlo, xhi, ylo, yhi = 1, 2, 1, 2
	}
	if c.XLog2 {
		xlo = math.Pow(2, math.Floor(math.Log2(max(xlo, 1))))
		xhi = math.Pow(2, math.Ceil(math.Log2(max(xhi, xlo*2))))
	}
	if xhi <= xlo {
		xlo, xhi = xlo-1, xhi+1
	}
	if c.Log {
		ylo = math.Pow(10, math.Floor(math.Log10(max(ylo, 1e-9))))
		yhi = math.Pow(10, math.Ceil(math.Log10(max(yhi, ylo*10))))
	} else if yhi <= ylo {
		ylo, yhi = ylo-1, yhi+1
	}
	return xlo, xhi, ylo, yhi
}

type tick struct {
	v     float64
	label string
}

// linearTicks puts five to ten ticks at round numbers.
func linearTicks(lo, hi float64) []tick {
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if (hi-lo)/(step*f) <= 10 {
			step *= f
			break
		}
	}
	var ticks []tick
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		v = math.Round(v/step) * step
		ticks = append(ticks, tick{v, strconv.FormatFloat(v, 'g', 6, 64)})
	}
	return ticks
}

// yTicks are round numbers, or on a log axis each power of ten, written
// as durations read (1 s, not 1000).
func yTicks(lo, hi float64, log bool) []tick {
	if !log {
		return linearTicks(lo, hi)
	}
	var ticks []tick
	for v := lo; v <= hi*1.0001; v *= 10 {
		ticks = append(ticks, tick{v, msLabel(v)})
	}
	return ticks
}

func msLabel(ms float64) string {
	if ms >= 1000 {
		return strconv.FormatFloat(ms/1000, 'g', 6, 64) + " s"
	}
	return strconv.FormatFloat(ms, 'g', 6, 64) + " ms"
}

// blend is a between b and c: f of the way from b.
func blend(b, c color.RGBA, f float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return color.RGBA{l(b.R, c.R), l(b.G, c.G), l(b.B, c.B), 255}
}
