// Package chart draws a sweep's curves as PNG and SVG files with
// gonum/plot. It is for the command line: the plotting library and its
// fonts would add megabytes to the browser build, whose own charts the
// visual simulator draws with its drawing kit.
package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"inferplay/sweep"
)

// Chart is one figure of a sweep, drawn with gonum/plot.
type Chart struct {
	Name string // the file's name, without extension
	plot *plot.Plot
}

// Chart sizes: 10 × 6.25 inches, 1600 × 1000 pixels as PNG, so that a
// chart fills a slide and its type reads from the back of a hall.
const (
	chartW   = 10 * vg.Inch
	chartH   = 6.25 * vg.Inch
	chartDPI = 160
)

// Style is how a chart looks: its colours, and its sizes in points.
type Style struct {
	Background, Text, Grid, Mark color.Color
	Title, Label, Tick           float64 // text sizes
	Line                         float64 // a curve's width
}

// printStyle is a chart for a file: black on white, sizes in points for
// 1600 × 1000 pixels.
var printStyle = Style{Background: color.White, Text: color.Black, Grid: color.Gray{Y: 225}, Mark: color.Black,
	Title: 20, Label: 18, Tick: 15, Line: 3}

// WritePNG draws the chart as a PNG image.
func (c Chart) WritePNG(w io.Writer) error {
	canvas := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	c.draw(canvas)
	_, err := vgimg.PngCanvas{Canvas: canvas}.WriteTo(w)
	return err
}

// WriteSVG draws the chart as SVG, with its typeface inside, so that it
// looks the same wherever it is opened.
func (c Chart) WriteSVG(w io.Writer) error {
	canvas := vgsvg.NewWith(vgsvg.UseWH(chartW, chartH), vgsvg.EmbedFonts(true))
	c.draw(canvas)
	_, err := canvas.WriteTo(w)
	return err
}

// draw lays the chart out with a margin, so that the last tick's label
// is not cut at the edge.
func (c Chart) draw(canvas vg.CanvasSizer) {
	m := vg.Points(14)
	c.plot.Draw(draw.Crop(draw.New(canvas), m, -2*m, m, -m))
}

// Charts draws a sweep: TTFT and TBT (p50 dashed, p99 solid) against the
// knob, SLO attainment with the target and each policy's capacity, goodput
// (against the offered load, for a rate), and p99 TTFT against throughput,
// the latency a policy pays for what it serves. Each policy keeps its
// colour in every chart; a band shows the range over seeds.
func Charts(p sweep.Plan, curves []sweep.Curve, caps []sweep.Capacity, target float64) ([]Chart, error) {
	k := p.Knob
	seeds := ""
	if p.Seeds > 1 {
		seeds = fmt.Sprintf(" · band: range over %d seeds", p.Seeds)
	}
	var charts []Chart
	add := func(name string, build func() (*plot.Plot, error)) error {
		pl, err := build()
		if err != nil {
			return fmt.Errorf("chart %s: %w", name, err)
		}
		charts = append(charts, Chart{Name: name, plot: pl})
		return nil
	}
	latency := func(title string, lo, hi sweep.Metric) func() (*plot.Plot, error) {
		return func() (*plot.Plot, error) {
			pl := newPlot(p, printStyle, title+"\nsolid p99, dashed p50"+seeds, k.Label, "ms")
			pl.Y.Scale, pl.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
			for _, c := range curves {
				col := sweep.PolicyColor(c.Policy)
				if err := addCurve(pl, printStyle, c, knobX, hi, col, false, p.Seeds > 1); err != nil {
					return nil, err
				}
				if err := addCurve(pl, printStyle, c, knobX, lo, col, true, p.Seeds > 1); err != nil {
					return nil, err
				}
			}
			legend(pl, printStyle, curves)
			return pl, nil
		}
	}
	steps := []struct {
		name  string
		build func() (*plot.Plot, error)
	}{
		{"ttft", latency("Time to first token", sweep.TTFTP50, sweep.TTFTP99)},
		{"tbt", latency("Time between tokens", sweep.TBTP50, sweep.TBTP99)},
		{"slo", func() (*plot.Plot, error) {
			title := "SLO attainment\n" + strings.TrimPrefix(seeds, " · ")
			if len(caps) > 0 {
				title = fmt.Sprintf("SLO attainment\ntarget %g %% dotted · triangles: capacity at SLO%s", 100*target, seeds)
			}
			pl := newPlot(p, printStyle, title, k.Label, "% of requests within SLO")
			pl.Y.Min, pl.Y.Max = 0, 100
			for _, c := range curves {
				if err := addCurve(pl, printStyle, c, knobX, sweep.Attainment.Percent(), sweep.PolicyColor(c.Policy), false, p.Seeds > 1); err != nil {
					return nil, err
				}
			}
			if len(caps) > 0 {
				rule, err := plotter.NewLine(plotter.XYs{{X: minX(p), Y: 100 * target}, {X: maxX(p), Y: 100 * target}})
				if err != nil {
					return nil, err
				}
				rule.Color, rule.Width, rule.Dashes = color.Gray{Y: 90}, vg.Points(2), []vg.Length{vg.Points(2), vg.Points(4)}
				pl.Add(rule)
				for _, cp := range caps {
					if !cp.Met {
						continue
					}
					mark, err := plotter.NewScatter(plotter.XYs{{X: cp.Load, Y: 100 * target}})
					if err != nil {
						return nil, err
					}
					mark.Shape, mark.Radius, mark.Color = draw.PyramidGlyph{}, vg.Points(10), sweep.PolicyColor(cp.Policy)
					pl.Add(mark)
				}
			}
			legend(pl, printStyle, curves)
			pl.Legend.Top = false // attainment starts high on the left
			return pl, nil
		}},
		{"goodput", func() (*plot.Plot, error) {
			title := "Goodput: requests per second within SLO\n" + strings.TrimPrefix(seeds, " · ")
			if k.Name == "rate" {
				title = "Goodput: requests per second within SLO\noffered load dotted" + seeds
			}
			pl := newPlot(p, printStyle, title, k.Label, "requests/s within SLO")
			pl.Y.Min = 0
			if k.Name == "rate" {
				offered, err := plotter.NewLine(plotter.XYs{{X: minX(p), Y: minX(p)}, {X: maxX(p), Y: maxX(p)}})
				if err != nil {
					return nil, err
				}
				offered.Color, offered.Width, offered.Dashes = color.Gray{Y: 110}, vg.Points(2), []vg.Length{vg.Points(1), vg.Points(4)}
				pl.Add(offered)
			}
			for _, c := range curves {
				if err := addCurve(pl, printStyle, c, knobX, sweep.Goodput, sweep.PolicyColor(c.Policy), false, p.Seeds > 1); err != nil {
					return nil, err
				}
			}
			legend(pl, printStyle, curves)
			return pl, nil
		}},
		{"ttft-throughput", func() (*plot.Plot, error) {
			pl := newPlot(p, printStyle, "p99 time to first token against throughput\none point per "+k.Name+" swept, means over seeds", sweep.Throughput.Label, "TTFT p99 (ms)")
			pl.Y.Scale, pl.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
			for _, c := range curves {
				if err := addCurve(pl, printStyle, c, metricX(sweep.Throughput), sweep.TTFTP99, sweep.PolicyColor(c.Policy), false, false); err != nil {
					return nil, err
				}
			}
			legend(pl, printStyle, curves)
			return pl, nil
		}},
	}
	for _, s := range steps {
		if err := add(s.name, s.build); err != nil {
			return nil, err
		}
	}
	return charts, nil
}

// newPlot is a chart in the house style: the UI's typeface, large type, a
// light grid.
func newPlot(p sweep.Plan, st Style, title, x, y string) *plot.Plot {
	useTypeface()
	pl := plot.New()
	pl.BackgroundColor = st.Background
	pl.Title.Text = title
	pl.Title.TextStyle.Color, pl.Title.TextStyle.Font.Size = st.Text, vg.Length(st.Title)
	pl.Title.Padding = vg.Length(st.Tick * 2 / 3)
	pl.X.Label.Text, pl.Y.Label.Text = x, y
	pl.X.Tick.Marker, pl.Y.Tick.Marker = niceTicks{}, niceTicks{}
	if p.Knob.Named {
		names := make([]string, len(p.Values))
		for i, v := range p.Values {
			names[i] = v.Text
		}
		pl.NominalX(names...)
	}
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		ax.Label.TextStyle.Color, ax.Label.TextStyle.Font.Size = st.Text, vg.Length(st.Label)
		ax.Tick.Label.Color, ax.Tick.Label.Font.Size = st.Text, vg.Length(st.Tick)
		ax.LineStyle.Color, ax.Tick.LineStyle.Color = st.Text, st.Text
		ax.LineStyle.Width = vg.Length(st.Line / 2)
		ax.Padding = vg.Length(st.Tick / 4)
	}
	pl.Legend.TextStyle.Color, pl.Legend.TextStyle.Font.Size = st.Text, vg.Length(st.Tick*16/15)
	pl.Legend.Top, pl.Legend.Left = true, true
	pl.Legend.ThumbnailWidth = vg.Length(st.Tick * 1.9)
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = st.Grid, st.Grid
	pl.Add(grid)
	return pl
}

// An xOf places a point along the chart's x axis.
type xOf func(pt sweep.Point) (float64, bool)

func knobX(pt sweep.Point) (float64, bool) { return pt.Value.X, true }

func metricX(m sweep.Metric) xOf {
	return func(pt sweep.Point) (float64, bool) {
		s := pt.Stat(m)
		return s.Mean, s.N > 0
	}
}

// addCurve draws a metric's mean over the seeds as a line with points,
// and, with band, the range over seeds behind it. Points that measured
// nothing are left out.
func addCurve(pl *plot.Plot, st Style, c sweep.Curve, x xOf, m sweep.Metric, col color.Color, dashed, band bool) error {
	var mean, lo, hi plotter.XYs
	for _, pt := range c.Points {
		px, ok := x(pt)
		s := pt.Stat(m)
		if !ok || s.N == 0 || math.IsNaN(px) {
			continue
		}
		mean = append(mean, plotter.XY{X: px, Y: s.Mean})
		lo = append(lo, plotter.XY{X: px, Y: s.Min})
		hi = append(hi, plotter.XY{X: px, Y: s.Max})
	}
	if len(mean) == 0 {
		return nil
	}
	if band && len(mean) > 1 {
		outline := append(plotter.XYs{}, hi...)
		for i := len(lo) - 1; i >= 0; i-- {
			outline = append(outline, lo[i])
		}
		poly, err := plotter.NewPolygon(outline)
		if err != nil {
			return err
		}
		r, g, b, _ := col.RGBA()
		poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 40}
		poly.LineStyle.Width = 0
		pl.Add(poly)
	}
	line, points, err := plotter.NewLinePoints(mean)
	if err != nil {
		return err
	}
	line.Color, line.Width = col, vg.Length(st.Line)
	if dashed {
		line.Dashes = []vg.Length{vg.Length(st.Line * 8 / 3), vg.Length(st.Line * 5 / 3)}
	}
	points.Shape, points.Color, points.Radius = draw.CircleGlyph{}, col, vg.Length(st.Line*7/6)
	pl.Add(line, points)
	return nil
}

// legend names each policy with a swatch of its colour.
func legend(pl *plot.Plot, st Style, curves []sweep.Curve) {
	for _, c := range curves {
		sw, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}})
		sw.Color, sw.Width = sweep.PolicyColor(c.Policy), vg.Length(st.Line*5/3)
		pl.Legend.Add(c.Policy, sw)
	}
}

func minX(p sweep.Plan) float64 {
	x := math.Inf(1)
	for _, v := range p.Values {
		x = min(x, v.X)
	}
	return x
}

func maxX(p sweep.Plan) float64 {
	x := math.Inf(-1)
	for _, v := range p.Values {
		x = max(x, v.X)
	}
	return x
}

// niceTicks puts five to ten labelled ticks at round numbers (steps of 1,
// 2, 2.5 or 5 times a power of ten): plot's default gives as few as two.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: formatTick(lo)}}
	}
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if (hi-lo)/(step*f) <= 10 {
			step *= f
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		v = math.Round(v/step) * step // no drift: 0.30000000000000004
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v)})
	}
	return ticks
}

func formatTick(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
