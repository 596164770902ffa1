// Package settings reads the app's settings, from a command line or from a
// web address's query, with one flag set: the same names, values and
// errors either way. It links no Ebitengine, so the desktop app can answer
// -h and refuse a bad flag before Ebitengine starts, which on Linux without
// a display it cannot do.
package settings

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"inferplay/duel"
	"inferplay/sim"
)

// Scenes are the -scene values, in tour order.
var Scenes = []string{"prompt", "kvcache", "contention", "batching", "chunking", "roofline", "sharing", "cluster", "playground"}

// desktopOnly are the flags that mean nothing in a browser tab: the web
// address refuses them rather than ignore them. A page has no files to
// read a scenario from, nor a window of its own.
var desktopOnly = []string{"window", "fullscreen", "screenshot", "scenario-file"}

// parse is one parse of the app's settings.
type parse struct {
	fs           *flag.FlagSet
	opts         Options
	scenario     string
	scenarioFile string
	presets      sim.Overrides
	scene        string
	beat         int
	window       string
	fullscreen   bool
	cluster      clusterFlags
}

func newParse() *parse {
	s := &parse{fs: flag.NewFlagSet("inferplay", flag.ContinueOnError)}
	fs, o := s.fs, &s.opts
	// Errors are one line from the caller; the usage only when asked.
	fs.SetOutput(io.Discard)
	fs.StringVar(&s.scene, "scene", Scenes[0], "scene to open: "+strings.Join(Scenes, ", "))
	fs.IntVar(&s.beat, "beat", 1, "beat of the scene to open at, from 1")
	fs.BoolVar(&o.Presenter, "presenter", false, "start in presenter mode: no panels, large type, the projector theme")
	fs.StringVar(&s.scenario, "scenario", sim.DefaultScenario, "scenario the playground starts from (infersim -list shows them all)")
	fs.StringVar(&s.scenarioFile, "scenario-file", "", "scenario file of one's own for the playground to start from instead (key = value lines, as in the README)")
	s.presets.Define(fs) // model, gpu, precision, scheduler, timing, seed, preemption, tp
	fs.Float64Var(&o.Speed, "speed", 1, "ticks per frame: 0.25 to 16")
	fs.IntVar(&o.Ticks, "ticks", 0, "playground: run this many ticks before the first frame")
	fs.IntVar(&o.Frames, "frames", 0, "play this many frames (60 a second) of the scene before the first one shown")
	fs.StringVar(&o.Screenshot, "screenshot", "", "render the first frame (after -ticks or -frames) to this PNG file and exit")
	fs.StringVar(&s.window, "window", "1600x900", "window size, WxH")
	fs.BoolVar(&s.fullscreen, "fullscreen", false, "start fullscreen")
	fs.BoolVar(&o.Light, "light", false, "start in the light theme")
	fs.StringVar(&o.Duel, "duel", "", "playground: two halves, the same traffic under two settings A,B: schedulers (fcfs,srpt) or one setting each as key=value (gpu=h100,gpu=a100; tp, preemption, timing, max-batch-tokens, ...)")
	s.cluster.define(fs)
	fs.BoolVar(&o.Curves, "curves", false, "playground: open with the curves of its setup shown, from a quarter to twice its load (C)")
	return s
}

// ParseFlags reads the command line into options, the window size and
// whether to start fullscreen. Errors name the flag, the value and what is
// valid; -h writes the usage to usage and returns flag.ErrHelp.
func ParseFlags(args []string, usage io.Writer) (Options, Window, bool, error) {
	s := newParse()
	if err := s.fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintln(usage, "inferplay opens the guided tour of LLM serving, ending in the full simulator (the playground). Flags:")
			s.fs.SetOutput(usage)
			s.fs.PrintDefaults()
		}
		return s.opts, Window{}, false, err
	}
	if s.fs.NArg() > 0 {
		return s.opts, Window{}, false, fmt.Errorf("unexpected argument %q: every setting is a flag", s.fs.Arg(0))
	}
	win, err := parseWindow(s.window)
	if err != nil {
		return s.opts, win, false, err
	}
	s.opts.Width, s.opts.Height = win.W, win.H
	if err := s.finish(); err != nil {
		return s.opts, win, false, err
	}
	return s.opts, win, s.fullscreen, nil
}

// ParseQuery reads a web address's query into options: each parameter is
// the flag of the same name (?scene=contention&seed=7 is -scene contention
// -seed 7), parsed by the same code, with the same errors.
func ParseQuery(query string) (Options, error) {
	s := newParse()
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return s.opts, fmt.Errorf("the address's parameters cannot be read: %v", err)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var args []string
	for _, k := range keys {
		if slices.Contains(desktopOnly, k) || s.fs.Lookup(k) == nil {
			return s.opts, fmt.Errorf("%s: is not a parameter here (valid: %s)", k, strings.Join(webParams(s.fs), ", "))
		}
		vals := q[k]
		args = append(args, "-"+k+"="+vals[len(vals)-1])
	}
	if err := s.fs.Parse(args); err != nil {
		return s.opts, err
	}
	return s.opts, s.finish()
}

// webParams are the parameters a web address may carry.
func webParams(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(desktopOnly, f.Name) {
			names = append(names, f.Name)
		}
	})
	return names
}

// finish checks the values the flag set took and builds the configuration.
func (s *parse) finish() error {
	o := &s.opts
	if !slices.Contains(Scenes, s.scene) {
		return fmt.Errorf("scene: %q is not valid (valid: %s)", s.scene, strings.Join(Scenes, ", "))
	}
	o.Scene = s.scene
	set := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	cl, err := s.cluster.cluster(set)
	if err != nil {
		return err
	}
	if cl.On() && o.Duel != "" {
		return fmt.Errorf("duel: the playground splits in two or serves a cluster, not both; leave out -duel or -replicas and -pd")
	}
	o.Cluster = cl
	if s.beat < 1 || s.beat > 9 {
		return fmt.Errorf("beat: %d is not valid (from 1; past a scene's last beat opens its last)", s.beat)
	}
	o.Beat = s.beat - 1
	if !(o.Speed >= 0.25 && o.Speed <= 16) {
		return fmt.Errorf("speed: %g is not valid (ticks per frame, 0.25 to 16)", o.Speed)
	}
	if o.Frames < 0 || o.Frames > 1_000_000 {
		return fmt.Errorf("frames: %d is not valid (0 to 1000000)", o.Frames)
	}
	if o.Ticks < 0 {
		return fmt.Errorf("ticks: %d is not valid (0 or more)", o.Ticks)
	}
	c, err := s.scenarioConfig()
	if err != nil {
		return err
	}
	if err := s.presets.Apply(&c); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	o.Config = c
	o.Policy, _ = s.presets.Get("scheduler")
	if o.Duel != "" {
		if _, err := duel.ParseSides(c, o.Duel); err != nil {
			return err
		}
		if !s.set("scene") {
			// A duel is the playground's: it opens there, in free play,
			// unless told otherwise.
			o.Scene = "playground"
			if !s.set("beat") {
				o.Beat = 9
			}
		}
	}
	return nil
}

// set reports whether a flag was given.
func (s *parse) set(name string) bool {
	found := false
	s.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// Timing is the timing model the app runs unless -timing says otherwise:
// the roofline model, in every scene of the tour and in the playground, so
// that the decode time scene 1 teaches is the one the playground shows.
// (infersim keeps the scenarios' own default, the original simulator's
// classic model, for exact comparison with it.)
const Timing = "roofline"

// BaseConfig is a built-in scenario's configuration as the app starts it:
// the scenario's, on the app's timing model.
func BaseConfig(scenario string) (sim.Config, error) {
	c, err := sim.ScenarioConfig(scenario)
	c.Timing = Timing
	return c, err
}

// scenarioConfig is the configuration of the scenario asked for: a
// built-in one by name, or one read from a file, on the app's timing model.
func (s *parse) scenarioConfig() (sim.Config, error) {
	given := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["scenario-file"] {
		return BaseConfig(s.scenario)
	}
	if given["scenario"] {
		return sim.Config{}, fmt.Errorf("scenario-file: cannot be combined with -scenario: both name the scenario to start from")
	}
	sc, err := sim.LoadScenarioFile(s.scenarioFile)
	if err != nil {
		return sim.Config{}, err
	}
	c := sc.Config()
	c.Timing = Timing
	return c, nil
}

func parseWindow(v string) (Window, error) {
	w, h, ok := strings.Cut(v, "x")
	ww, err1 := strconv.Atoi(w)
	hh, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || ww < 320 || hh < 240 || ww > 16384 || hh > 16384 {
		return Window{}, fmt.Errorf("window: %q is not valid (WxH, e.g. 1920x1080, from 320x240)", v)
	}
	return Window{ww, hh}, nil
}
