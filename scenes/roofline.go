package scenes

import (
	"fmt"
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Roofline is the tour's scene on batch size and the roofline: what one
// iteration costs as it carries more tokens, prompt tokens and decodes,
// on one GPU and model, with the knee where reading the weights stops
// being the bound and arithmetic starts.
type Roofline struct {
	about
	kit    *render.Kit
	seed   uint64
	setup  lesson.RooflineSetup
	cfg    sim.Config
	curves lesson.Roofline
	err    string
	beat   int

	spot      []Callout
	spotlight Spotlight
	chrome    Chrome
	charts    [2]Rect
	frames    [2]render.ChartFrame
	// lines are the two charts' data as last built, for the setup and the
	// theme (builtFor) they were built in: they change only with those.
	lines    [2]render.LineChart
	builtFor string
}

// NewRoofline builds the scene at its first beat.
func NewRoofline(kit *render.Kit, seed uint64) *Roofline {
	r := &Roofline{kit: kit, seed: seed, about: about{name: "roofline", title: "Batch size and the roofline",
		intro: "Every iteration reads all the model's weights from memory, however many tokens it carries; its arithmetic grows with the tokens. Below the knee the reads bound it, above it the arithmetic: the roofline."}}
	r.SetSetup(lesson.DefaultRooflineSetup)
	return r
}

// Setup is the model, GPU and precision the curves are priced for.
func (r *Roofline) Setup() lesson.RooflineSetup { return r.setup }

// SetSetup prices the curves for another model, GPU or precision; a setup
// that cannot run says why in place of the charts.
func (r *Roofline) SetSetup(s lesson.RooflineSetup) {
	r.setup, r.err, r.builtFor = s, "", ""
	c, err := lesson.RooflineConfig(s, r.seed)
	if err != nil {
		r.err = err.Error()
		return
	}
	r.cfg, r.curves = c, lesson.RooflineCurves(c)
	if r.curves.Knee == 0 {
		r.err = "On this GPU an iteration of up to 8,192 prompt tokens never turns compute-bound: reading the weights bounds every one."
	}
}

func (r *Roofline) point(curve []lesson.RooflinePoint, tokens int) lesson.RooflinePoint {
	for _, p := range curve {
		if p.Tokens == tokens {
			return p
		}
	}
	return curve[len(curve)-1]
}

func (r *Roofline) Beats() []string {
	if r.err != "" {
		return []string{r.err, r.err, r.err}
	}
	pr, de := r.curves.Prompt, r.curves.Decode
	one, knee, top := pr[0], r.point(pr, r.curves.Knee), pr[0]
	for _, p := range pr {
		if p.Throughput > top.Throughput {
			top = p
		}
	}
	below := r.point(pr, r.curves.Knee/2)
	return []string{
		fmt.Sprintf("%s on an %s: an iteration reads %s of weights. One prompt token takes %s, %d take %s: below the knee the GPU waits on memory, and throughput grows with the batch almost for free.",
			r.cfg.Model.Name, r.cfg.GPU.Name, sim.FormatBytes(r.curves.Weights), fmtDur(one.Iteration), below.Tokens, fmtDur(below.Iteration)),
		fmt.Sprintf("From %d tokens on, the arithmetic takes longer than the reads: compute-bound. Each doubling about doubles the iteration's time, so throughput levels off, at most %s tokens/s (%s for %s tokens).",
			knee.Tokens, thousands(int(top.Throughput)), fmtDur(top.Iteration), thousands(top.Tokens)),
		fmt.Sprintf("Decodes each read their own KV cache as well, %s tokens of it: a batch of decodes stays memory-bound, every token in it waits out the whole iteration (%s at 256 requests), and throughput levels off near %s tokens/s.",
			thousands(lesson.RooflineContext), fmtDur(r.point(de, 256).Iteration), thousands(int(de[len(de)-1].Throughput))),
	}
}

func (r *Roofline) Beat() int { return r.beat }

// SetBeat enters a beat from scratch: on the setup the captions are
// written for.
func (r *Roofline) SetBeat(i int) {
	r.beat = max(0, min(i, 2))
	if r.setup != lesson.DefaultRooflineSetup {
		r.SetSetup(lesson.DefaultRooflineSetup)
	}
}

// Transport: nothing plays; the curves are the timing model's prices.
func (r *Roofline) Transport() Transport { return nil }

func (r *Roofline) Status() string {
	return fmt.Sprintf("seed %d · %s on %s · timing roofline", r.seed, r.cfg.Model.Name, r.cfg.GPU.Name)
}

// Curves are the scene's prices, for tests.
func (r *Roofline) Curves() lesson.Roofline { return r.curves }

// Callouts are what the beat points at, for tests.
func (r *Roofline) Callouts() []Callout { return r.spot }

func (r *Roofline) Update(time.Duration) {}

func (r *Roofline) Layout(area Rect) {
	k := r.kit
	r.chrome = layoutChrome(k, r, area)
	b := r.chrome.Body
	gap := k.Px(40)
	w := (b.W - gap) / 2
	r.charts = [2]Rect{{b.X, b.Y, w, b.H}, {b.X + w + gap, b.Y, w, b.H}}
}

func (r *Roofline) Draw(dst *ebiten.Image) {
	drawTeaching(dst, r.kit, r, r.chrome, r.err, r.draw)
}

// lineCharts builds the two charts' data in the theme's colours.
func (r *Roofline) lineCharts(t *render.Theme) [2]render.LineChart {
	series := func(curve []lesson.RooflinePoint, label string, c color.RGBA, y func(lesson.RooflinePoint) float64) render.LineSeries {
		s := render.LineSeries{Label: label, Color: c}
		for _, p := range curve {
			s.Points = append(s.Points, render.Point{X: float64(p.Tokens), Y: y(p)})
		}
		return s
	}
	ms := func(p lesson.RooflinePoint) float64 { return float64(p.Iteration) / float64(time.Millisecond) }
	tps := func(p lesson.RooflinePoint) float64 { return p.Throughput }
	promptLabel := "prompt tokens"
	decodeLabel := fmt.Sprintf("decodes, %s tokens of context each", thousands(lesson.RooflineContext))
	knee := r.point(r.curves.Prompt, r.curves.Knee)
	return [2]render.LineChart{
		{Title: "Time per iteration", XLabel: "tokens in the iteration", YLabel: "iteration time", Log: true, XLog2: true,
			Series: []render.LineSeries{series(r.curves.Prompt, promptLabel, t.Prefill, ms), series(r.curves.Decode, decodeLabel, t.Decode, ms)},
			Ring:   &render.Point{X: float64(knee.Tokens), Y: ms(knee)}},
		{Title: "Throughput", XLabel: "tokens in the iteration", YLabel: "tokens per second", XLog2: true, YMin: 0, YMax: r.curves.Prompt[len(r.curves.Prompt)-1].Throughput * 1.15,
			Series: []render.LineSeries{series(r.curves.Prompt, promptLabel, t.Prefill, tps), series(r.curves.Decode, decodeLabel, t.Decode, tps)},
			Ring:   &render.Point{X: float64(knee.Tokens), Y: tps(knee)}},
	}
}

func (r *Roofline) draw(dst *ebiten.Image) {
	k := r.kit
	t := k.Theme
	if r.builtFor != t.Name {
		r.lines, r.builtFor = r.lineCharts(t), t.Name
	}
	for i, c := range r.lines {
		k.Rect(dst, r.charts[i].X, r.charts[i].Y, r.charts[i].W, r.charts[i].H, t.Panel)
		inner := grow(r.charts[i], -k.Px(14))
		r.frames[i] = k.DrawLineChart(dst, c, render.Rect(inner))
	}
	r.spot = r.callouts()
	r.spotlight.Draw(dst, k, r.chrome.Body, r.spot)
}

// callouts: the flat part below the knee, the knee and past it, the
// decode curve.
func (r *Roofline) callouts() []Callout {
	f := r.frames[0]
	if f.X == nil {
		return nil
	}
	knee := float64(r.curves.Knee)
	// The boxes start a tag's height into the plot, so that their tags
	// sit on the plot's top, not over the legend above it.
	tag := r.kit.LineHeight(22) + r.kit.Px(16)
	y0, y1 := f.Plot.Y+tag, f.Plot.Y+f.Plot.H
	switch r.beat {
	case 0:
		x0, x1 := f.X(1), f.X(knee/2)
		return []Callout{{Box: Rect{x0, y0, x1 - x0, y1 - y0}, Label: "memory-bound: flat"}}
	case 1:
		x0, x1 := f.X(knee/2), f.Plot.X+f.Plot.W
		t := r.frames[1]
		return []Callout{{Box: Rect{x0, y0, x1 - x0, y1 - y0}, Label: "compute-bound"},
			{Box: Rect{t.X(knee), t.Plot.Y + tag, t.Plot.X + t.Plot.W - t.X(knee), t.Plot.H - tag}, Label: "levels off"}}
	}
	t := r.frames[1]
	return []Callout{{Box: Rect{t.Plot.X, t.Plot.Y + tag, t.Plot.W, t.Plot.H - tag}, Label: "decodes: far below the roof"}}
}
