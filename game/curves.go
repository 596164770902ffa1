package game

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/scenes"
	"inferplay/sim"
	"inferplay/sweep"
)

// curveView shows how the playground's setup fares as its load grows: a
// sweep of the same configuration from a quarter of its load to twice it,
// under its policy and FCFS, computed a slice per frame so that frames
// never stall (a browser tab has one thread), with the run on screen
// marked against the curves.
type curveView struct {
	shown   bool
	plan    sweep.Plan
	stepper *sweep.Stepper
	err     string  // why this setup has no curves
	mark    float64 // the setup's own load, where the run on screen is marked

	// drawn are the charts as last built, for the runs finished and the
	// tick of the run on screen they were built at.
	drawn         []render.LineChart
	drawnRuns     int
	drawnLiveTick int
}

// curveRingTicks is how far the run on screen moves before its ring does:
// the ring needs a summary of every request, too much for every frame.
const curveRingTicks = 10

// curveSteps is how many engine iterations a frame spends on the curves:
// a few milliseconds, and the same every frame, so that a screenshot after
// N frames shows the same progress on every machine.
const curveSteps = 400

// curveFactors are the loads swept, as multiples of the setup's own.
var curveFactors = []float64{0.25, 0.5, 0.75, 1, 1.25, 1.5, 2}

// curveWindow is each open-loop point's span of arrivals, at least: long
// enough that the lightest load sends curveLeast requests.
const (
	curveWindow = 30 * time.Second
	curveLeast  = 120
)

// restart plans the curves for a configuration.
func (v *curveView) restart(cfg sim.Config) {
	*v = curveView{shown: v.shown}
	plan, mark, err := curvePlan(cfg)
	if err == nil {
		v.stepper, err = sweep.NewStepper(plan)
	}
	if err != nil {
		v.err = err.Error()
		return
	}
	v.plan, v.mark = plan, mark
}

// curvePlan is the sweep for a configuration: its load (arrival rate, or
// the closed loop's clients) scaled by curveFactors.
func curvePlan(cfg sim.Config) (sweep.Plan, float64, error) {
	if cfg.Trace != nil {
		return sweep.Plan{}, 0, fmt.Errorf("a trace fixes every arrival: there is no load to vary")
	}
	name, load := "rate", cfg.Workload.Rate
	if cfg.Workload.Clients > 0 {
		name, load = "clients", float64(cfg.Workload.Clients)
	}
	knob, err := sweep.LookupKnob(name)
	if err != nil {
		return sweep.Plan{}, 0, err
	}
	var values []sweep.Value
	for _, f := range curveFactors {
		x := load * f
		if name == "clients" {
			x = max(1, math.Round(x))
		} else {
			x = min(max(x, sim.MinRate), sim.MaxRate)
			x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
		}
		if n := len(values); n > 0 && values[n-1].X == x {
			continue // a small load rounds to the same value twice
		}
		values = append(values, sweep.Value{Text: strconv.FormatFloat(x, 'g', -1, 64), X: x})
	}
	policies := []string{cfg.Scheduler}
	if cfg.Scheduler != "fcfs" {
		policies = append(policies, "fcfs")
	}
	cfg.MaxTicks = 0
	window := curveWindow
	if lightest := values[0].X; name == "rate" && lightest > 0 {
		window = max(window, time.Duration(curveLeast/lightest*float64(time.Second)).Round(time.Second))
	}
	plan := sweep.Plan{Base: cfg, Knob: knob, Values: values, Policies: policies, Seeds: 1, Window: window}
	if name == "clients" {
		plan.Base.Workload.Requests = max(cfg.Workload.Requests, 300)
	}
	return plan, load, nil
}

// update spends the frame's slice on the curves.
func (v *curveView) update() {
	if v.shown && v.stepper != nil {
		v.stepper.Advance(curveSteps)
	}
}

// done reports whether every run of the curves has finished.
func (v *curveView) done() bool {
	if v.stepper == nil {
		return false
	}
	d, n := v.stepper.Progress()
	return d == n
}

// draw shows the curves over the scene area, with live marking the run on
// screen.
func (v *curveView) draw(dst *ebiten.Image, k *render.Kit, area scenes.Rect, live *sim.Engine) {
	t := k.Theme
	pad := k.Px(24)
	x, y, w, h := area.X+pad, area.Y+pad, area.W-2*pad, area.H-2*pad
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(3), t.Accent)
	title := "Curves for this setup"
	if v.err == "" {
		title = fmt.Sprintf("Curves for this setup: its %s from ×¼ to ×2, %s", v.plan.Knob.Name, strings.Join(v.plan.Policies, " and "))
	}
	k.Text(dst, k.Fit(title, w-2*pad, 26, true), x+pad, y+pad*0.6, 26, true, t.Text, render.Left)
	line2 := y + pad*0.6 + k.LineHeight(26)
	if v.err != "" {
		k.Text(dst, k.Fit(v.err+" (C closes)", w-2*pad, 22, false), x+pad, line2, 22, false, t.TextDim, render.Left)
		return
	}
	done, total := v.stepper.Progress()
	ring := fmt.Sprintf("ring: this run so far, its %d requests", live.Len()+live.Unsent())
	note := fmt.Sprintf("each point %.0f s of arrivals, seed %d · %s · C closes", v.plan.Window.Seconds(), v.plan.Base.Seed, ring)
	if v.plan.Knob.Name == "clients" {
		note = fmt.Sprintf("each point %d requests, seed %d · %s · C closes", v.plan.Base.Workload.Requests, v.plan.Base.Seed, ring)
	}
	if done < total {
		note = fmt.Sprintf("computing run %d of %d · ", done+1, total) + note
		barW := (w - 2*pad) * float64(done) / float64(total)
		k.Rect(dst, x+pad, line2+k.LineHeight(22), w-2*pad, k.Px(6), t.Edge)
		k.Rect(dst, x+pad, line2+k.LineHeight(22), barW, k.Px(6), t.Accent)
	}
	k.Text(dst, k.Fit(note, w-2*pad, 22, false), x+pad, line2, 22, false, t.TextDim, render.Left)
	top := line2 + k.LineHeight(22) + k.Px(20)
	gap := k.Px(40)
	cw, ch := (w-2*pad-gap)/2, y+h-pad-top
	if moved := live.Tick() - v.drawnLiveTick; v.drawn == nil || v.drawnRuns != done || moved < 0 || moved >= curveRingTicks {
		v.drawn, v.drawnRuns, v.drawnLiveTick = v.charts(live), done, live.Tick()
	}
	for i, c := range v.drawn {
		k.DrawLineChart(dst, c, render.Rect{X: x + pad + float64(i)*(cw+gap), Y: top, W: cw, H: ch})
	}
}

// charts are SLO attainment and p99 TTFT against the load, each policy in
// its colour, from the runs finished so far; the run on screen is the ring
// (its attainment over the requests it has finished: the others have not
// met or missed their targets yet).
func (v *curveView) charts(live *sim.Engine) []render.LineChart {
	curves := sweep.Curves(v.plan, v.stepper.Finished())
	res := live.Result()
	slo := render.LineChart{Title: "SLO attainment", XLabel: v.plan.Knob.Label, YLabel: "% of requests within SLO", YMin: 0, YMax: 100}
	ttft := render.LineChart{Title: "TTFT p99", XLabel: v.plan.Knob.Label, YLabel: "time to first token, p99", Log: true}
	if res.Summary.Completed > 0 {
		slo.Ring = &render.Point{X: v.mark, Y: 100 * float64(res.Summary.SLOMet) / float64(res.Summary.Completed)}
	}
	if p99 := sweep.TTFTP99.Value(res); p99 > 0 {
		ttft.Ring = &render.Point{X: v.mark, Y: p99}
	}
	for _, cv := range curves {
		col := color.RGBAModel.Convert(sweep.PolicyColor(cv.Policy)).(color.RGBA)
		a, l := render.LineSeries{Label: cv.Policy, Color: col}, render.LineSeries{Label: cv.Policy, Color: col}
		for _, pt := range cv.Points {
			if s := pt.Stat(sweep.Attainment); s.N > 0 {
				a.Points = append(a.Points, render.Point{X: pt.Value.X, Y: 100 * s.Mean})
			}
			if s := pt.Stat(sweep.TTFTP99); s.N > 0 && s.Mean > 0 {
				l.Points = append(l.Points, render.Point{X: pt.Value.X, Y: s.Mean})
			}
		}
		slo.Series, ttft.Series = append(slo.Series, a), append(ttft.Series, l)
	}
	return []render.LineChart{slo, ttft}
}
