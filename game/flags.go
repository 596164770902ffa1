package game

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"inferplay/sim"
)

// Window is the window size asked for.
type Window struct{ W, H int }

// ParseFlags reads the command line into options. Errors name the flag, the
// value and what is valid.
func ParseFlags(args []string, usage io.Writer) (Options, Window, bool, error) {
	var opts Options
	win := Window{1600, 900}
	fs := flag.NewFlagSet("inferplay", flag.ContinueOnError)
	// Errors are one line from the caller; the usage only when asked.
	fs.SetOutput(io.Discard)
	scene := fs.String("scene", sceneNames[0], "scene to open: "+strings.Join(sceneNames, ", "))
	beat := fs.Int("beat", 1, "beat of the scene to open at, from 1")
	fs.BoolVar(&opts.Presenter, "presenter", false, "start in presenter mode: no panels, large type, the projector theme")
	scenario := fs.String("scenario", sim.DefaultScenario, "scenario to start from (infersim -list shows them all)")
	model := fs.String("model", "", "model preset, overriding the scenario's")
	gpu := fs.String("gpu", "", "GPU preset, overriding the scenario's")
	precision := fs.String("precision", "", "weight precision: fp16, fp8 or int4")
	scheduler := fs.String("scheduler", "", "scheduling policy")
	timing := fs.String("timing", "", "timing model: classic or roofline")
	seed := fs.Uint64("seed", sim.DefaultSeed, "random seed")
	preemption := fs.String("preemption", "", "what happens to a victim's KV when VRAM is full: swap or recompute")
	tp := fs.Int("tp", 1, "tensor parallelism: split the model over 1, 2, 4 or 8 GPUs of the preset")
	fs.Float64Var(&opts.Speed, "speed", 1, "ticks per frame: 0.25 to 16")
	fs.IntVar(&opts.Ticks, "ticks", 0, "playground: run this many ticks before the first frame")
	fs.IntVar(&opts.Frames, "frames", 0, "play this many frames (60 a second) of the scene before the first one shown")
	fs.StringVar(&opts.Screenshot, "screenshot", "", "render the first frame (after -ticks or -frames) to this PNG file and exit")
	window := fs.String("window", "1600x900", "window size, WxH")
	fullscreen := fs.Bool("fullscreen", false, "start fullscreen")
	fs.BoolVar(&opts.Light, "light", false, "start in the light theme (for projectors)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintln(usage, "inferplay opens the guided tour of LLM serving, ending in the full simulator (the playground). Flags:")
			fs.SetOutput(usage)
			fs.PrintDefaults()
		}
		return opts, win, false, err
	}
	if fs.NArg() > 0 {
		return opts, win, false, fmt.Errorf("unexpected argument %q: every setting is a flag", fs.Arg(0))
	}
	if !slices.Contains(sceneNames, *scene) {
		return opts, win, false, fmt.Errorf("scene: %q is not valid (valid: %s)", *scene, strings.Join(sceneNames, ", "))
	}
	opts.Scene = *scene
	if *beat < 1 || *beat > 9 {
		return opts, win, false, fmt.Errorf("beat: %d is not valid (from 1; past a scene's last beat opens its last)", *beat)
	}
	opts.Beat = *beat - 1
	w, h, ok := strings.Cut(*window, "x")
	ww, err1 := strconv.Atoi(w)
	hh, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || ww < 320 || hh < 240 || ww > 16384 || hh > 16384 {
		return opts, win, false, fmt.Errorf("window: %q is not valid (WxH, e.g. 1920x1080, from 320x240)", *window)
	}
	win = Window{ww, hh}
	opts.Width, opts.Height = ww, hh
	if !(opts.Speed >= 0.25 && opts.Speed <= 16) {
		return opts, win, false, fmt.Errorf("speed: %g is not valid (ticks per frame, 0.25 to 16)", opts.Speed)
	}
	if opts.Frames < 0 || opts.Frames > 1_000_000 {
		return opts, win, false, fmt.Errorf("frames: %d is not valid (0 to 1000000)", opts.Frames)
	}
	if opts.Ticks < 0 {
		return opts, win, false, fmt.Errorf("ticks: %d is not valid (0 or more)", opts.Ticks)
	}
	c, err := sim.ScenarioConfig(*scenario)
	if err != nil {
		return opts, win, false, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range []struct {
		name  string
		apply func() error
	}{
		{"model", func() error { return c.SetModel(*model) }},
		{"gpu", func() error { return c.SetGPU(*gpu) }},
		{"precision", func() error { return c.SetPrecision(*precision) }},
		{"scheduler", func() error { c.Scheduler = *scheduler; return nil }},
		{"timing", func() error { c.Timing = *timing; return nil }},
		{"seed", func() error { c.Seed = *seed; return nil }},
		{"preemption", func() error { c.Preemption = *preemption; return nil }},
		{"tp", func() error { c.TP = *tp; return nil }},
	} {
		if set[s.name] {
			if err := s.apply(); err != nil {
				return opts, win, false, err
			}
		}
	}
	if err := c.Validate(); err != nil {
		return opts, win, false, err
	}
	opts.Config = c
	return opts, win, *fullscreen, nil
}
