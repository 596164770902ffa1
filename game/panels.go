package game

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ebitengine/debugui"

	"inferplay/scenes"
	"inferplay/settings"
	"inferplay/sim"
)

// panelWidth is the panels' width at UI scale 1.
const panelWidth = scenes.PanelWidth

// panelState is what the setup panel edits before Apply.
type panelState struct {
	scenario, model, gpu, precision, scheduler, timing int
	batcher, preemption, tp                            int
	seed, requests                                     int
	rate, share                                        float64
	duel                                               int // an entry of duelOptions
	// cpuCache is an entry of cpuCacheOptions, the CPU tier's sizes.
	cpuCache        int
	cpuCacheOptions []string
}

// cpuCacheSizes are the CPU tier sizes the panel offers, in GB (0: none).
var cpuCacheSizes = []float64{0, 4, 16, 64}

// cacheLabel names a CPU tier size as the panel shows it.
func cacheLabel(gb float64) string {
	if gb == 0 {
		return "none"
	}
	return strconv.FormatFloat(gb, 'g', -1, 64) + " GB"
}

var tpOptions = []string{"1", "2", "4", "8"}

var (
	scenarioIDs  = scenes.IDs(sim.Scenarios(), func(s sim.Scenario) string { return s.ID })
	modelIDs     = scenes.ModelIDs
	gpuIDs       = scenes.GPUIDs
	precisionIDs = scenes.PrecisionIDs
	schedulerIDs = scenes.IDs(sim.Policies(), func(p sim.PolicyInfo) string { return p.Name })
	timingIDs    = scenes.IDs(sim.Timings(), func(t sim.TimingInfo) string { return t.Name })
	// batcherIDs starts with the timing model's own batcher, so that
	// switching the timing model brings its batching along by default.
	batcherIDs = append([]string{timingsOwn}, scenes.IDs(sim.Batchers(), func(b sim.BatcherInfo) string { return b.Name })...)
)

const timingsOwn = "timing's own"

var entry = scenes.Entry

func (s *panelState) fromConfig(c sim.Config) {
	s.scenario = entry(scenarioIDs, c.Scenario)
	s.model = entry(modelIDs, c.Model.ID)
	s.gpu = entry(gpuIDs, c.GPU.ID)
	s.precision = entry(precisionIDs, c.Precision.ID)
	s.scheduler = entry(schedulerIDs, c.Scheduler)
	s.timing = entry(timingIDs, c.Timing)
	s.batcher = 0
	if c.Batcher != "" {
		s.batcher = entry(batcherIDs, c.Batcher)
	}
	s.preemption = entry(sim.PreemptionModes, c.Preemption)
	s.tp = entry(tpOptions, fmt.Sprint(c.GPUs()))
	s.seed = int(c.Seed)
	s.requests = c.Workload.Requests
	s.rate = c.Workload.Rate
	s.share = c.Workload.InteractiveShare
	// The sizes offered, and the run's own if it is another.
	gb := float64(c.CPUCacheBytes) / sim.GB
	s.cpuCacheOptions = s.cpuCacheOptions[:0]
	s.cpuCache = -1
	for i, size := range cpuCacheSizes {
		s.cpuCacheOptions = append(s.cpuCacheOptions, cacheLabel(size))
		if size == gb {
			s.cpuCache = i
		}
	}
	if s.cpuCache < 0 {
		s.cpuCache = len(s.cpuCacheOptions)
		s.cpuCacheOptions = append(s.cpuCacheOptions, cacheLabel(gb))
	}
}

// cpuCacheBytes is the CPU tier the panel's entry names.
func (s *panelState) cpuCacheBytes() int64 {
	if s.cpuCache < 0 || s.cpuCache >= len(s.cpuCacheOptions) {
		return 0
	}
	if s.cpuCache < len(cpuCacheSizes) {
		return int64(cpuCacheSizes[s.cpuCache] * sim.GB)
	}
	gb, _ := strconv.ParseFloat(strings.TrimSuffix(s.cpuCacheOptions[s.cpuCache], " GB"), 64)
	return int64(math.Round(gb * sim.GB))
}

// config builds the configuration the panel describes, starting from the
// chosen scenario.
func (s *panelState) config() (sim.Config, error) {
	c, err := settings.BaseConfig(scenarioIDs[s.scenario])
	if err != nil {
		return c, err
	}
	if err := c.SetModel(modelIDs[s.model]); err != nil {
		return c, err
	}
	if err := c.SetGPU(gpuIDs[s.gpu]); err != nil {
		return c, err
	}
	if err := c.SetPrecision(precisionIDs[s.precision]); err != nil {
		return c, err
	}
	c.Scheduler, c.Timing = schedulerIDs[s.scheduler], timingIDs[s.timing]
	c.Batcher = ""
	if s.batcher > 0 {
		c.Batcher = batcherIDs[s.batcher]
	}
	c.Preemption = sim.PreemptionModes[s.preemption]
	c.TP = 1 << s.tp
	if s.seed < 0 {
		return c, fmt.Errorf("seed: %d is not valid (0 or more)", s.seed)
	}
	c.Seed = uint64(s.seed)
	c.Workload.Requests, c.Workload.Rate, c.Workload.InteractiveShare = s.requests, s.rate, s.share
	c.CPUCacheBytes = s.cpuCacheBytes()
	return c, c.Validate()
}

// apply starts the run the panel describes, or shows why it cannot.
func (g *Game) apply() {
	c, err := g.panel.config()
	if err == nil {
		err = g.load(c)
	}
	if err != nil {
		g.notify("Cannot run this: " + err.Error())
		return
	}
	g.player.SetPaused(false)
	// The playground's beats and links start from this run now; it is
	// free play.
	g.opts.Config = c
	g.pg.beat = len(g.pg.Beats()) - 1
	if g.panel.duel > 0 {
		// The duel goes on, over the new setup.
		g.chooseDuel(g.panel.duel)
	} else {
		g.endDuel()
	}
	g.notify(fmt.Sprintf("Running %s, %s on %s, %s, seed %d", c.Scenario, c.Model.Name, c.GPU.Name, c.Scheduler, c.Seed))
}

// drawPanels is the debugui layout: the current scene's setup, then
// playback.
func (g *Game) drawPanels(ctx *debugui.Context) error {
	ctx.SetScale(g.uiScale)
	if p, ok := g.stops[g.tour.cur].scene.(scenes.Paneled); ok {
		p.Panel(ctx)
	}
	g.playbackPanel(ctx)
	return nil
}

// setupPanel sets up the playground's run.
func (g *Game) setupPanel(ctx *debugui.Context) {
	s := &g.panel
	ctx.Window("Setup", image.Rect(0, 0, panelWidth, scenes.PanelHeight), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		row := func(label string, idx *int, options []string, onScenario bool) {
			ctx.Text(label)
			ctx.Dropdown(idx, options).On(func() {
				if onScenario {
					// A scenario brings its own model, GPU and traffic.
					if c, err := settings.BaseConfig(scenarioIDs[*idx]); err == nil {
						seed := s.seed
						s.fromConfig(c)
						s.seed = seed
					}
				}
			})
		}
		row("Scenario", &s.scenario, scenarioIDs, true)
		row("Model", &s.model, modelIDs, false)
		row("GPU", &s.gpu, gpuIDs, false)
		row("Precision", &s.precision, precisionIDs, false)
		row("Scheduler", &s.scheduler, schedulerIDs, false)
		row("Timing", &s.timing, timingIDs, false)
		row("Batcher", &s.batcher, batcherIDs, false)
		row("Preemption", &s.preemption, sim.PreemptionModes, false)
		row("GPUs (TP)", &s.tp, tpOptions, false)
		row("CPU cache", &s.cpuCache, s.cpuCacheOptions, false)
		ctx.Text("Seed")
		ctx.NumberField(&s.seed, 1)
		ctx.Text("Requests")
		ctx.Slider(&s.requests, 1, 2000, 1)
		ctx.Text("Rate /s")
		ctx.SliderF(&s.rate, 0.01, 50, 0.01, 2)
		ctx.Text("Interactive")
		ctx.SliderF(&s.share, 0, 1, 0.05, 2)
		ctx.SetGridLayout([]int{-1}, nil)
		ctx.Button("Apply").On(g.apply)
		ctx.SetGridLayout([]int{78, -1}, nil)
		ctx.Text("Duel vs")
		ctx.Dropdown(&s.duel, duelOptions).On(func() { g.chooseDuel(s.duel) })
	})
}

// scrubber is a player the playback panel scrubs: one run, or a duel.
type scrubber interface {
	SpeedLabel() string
	Position() int
	Seen() int
	TimeAt(position int) time.Duration
	PositionAt(d time.Duration) int
	Seek(position int)
}

// playbackPanel drives the current scene's playback; on the playground it
// also scrubs through the run.
func (g *Game) playbackPanel(ctx *debugui.Context) {
	tr := g.tour.scene().Transport()
	if tr == nil {
		return
	}
	ctx.Window("Playback", image.Rect(0, scenes.PanelHeight+4, panelWidth, scenes.PanelHeight+199), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{-1, -1, -1}, nil)
		ctx.Button("|<").On(func() { g.do(Restart) })
		ctx.Button("<").On(func() { g.do(StepBack) })
		ctx.Button(">").On(func() { g.do(StepForward) })
		label := "Pause"
		if tr.Paused() {
			label = "Play"
		}
		ctx.Button(label).On(func() { g.do(PlayPause) })
		ctx.Button("Slower").On(func() { g.do(Slower) })
		ctx.Button("Faster").On(func() { g.do(Faster) })
		ctx.SetGridLayout([]int{-1}, nil)
		if !g.onPlayground() {
			ctx.Text(tr.Label())
			return
		}
		// Scrub anywhere already seen, in simulated seconds: snapshots
		// and replay (of both halves of a duel).
		var p scrubber = g.player
		reset, ticks := g.playground.Reset, fmt.Sprintf("tick %d", g.player.Engine().Tick())
		if d := g.duel; d != nil {
			p, reset = d.player, d.view.Reset
			ticks = fmt.Sprintf("ticks %d · %d", d.player.Engine(0).Tick(), d.player.Engine(1).Tick())
		}
		if st := g.stage; st != nil {
			p, reset = st.Player(), st.Reset
			ticks = fmt.Sprintf("%d GPUs", len(st.Player().Side(0).Engines))
		}
		ctx.Text(fmt.Sprintf("%s · %s · seconds:", p.SpeedLabel(), ticks))
		g.scrub = p.TimeAt(p.Position()).Seconds()
		end := max(0.01, p.TimeAt(p.Seen()).Seconds())
		ctx.SliderF(&g.scrub, 0, end, 0.01, 2).On(func() {
			p.Seek(p.PositionAt(time.Duration(g.scrub * float64(time.Second))))
			reset()
		})
		curves := "Curves for this setup (C)"
		if g.curves.shown {
			curves = "Hide the curves (C)"
		}
		ctx.Button(curves).On(func() { g.do(ToggleCurves) })
	})
}
