package settings

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inferplay/sim"
)

func TestDefaults(t *testing.T) {
	opts, win, fullscreen, err := ParseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Scene != Scenes[0] || opts.Beat != 0 || opts.Speed != 1 || opts.Config.Scenario != sim.DefaultScenario ||
		win != (Window{1600, 900}) || fullscreen || opts.Width != 1600 || opts.Height != 900 {
		t.Errorf("defaults: %+v, %v, %v", opts, win, fullscreen)
	}
}

func TestFlags(t *testing.T) {
	opts, win, fullscreen, err := ParseFlags(strings.Fields("-scene contention -beat 3 -scheduler mlfq -seed 7 -window 1920x1080 -fullscreen -presenter -light -speed 2"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Scene != "contention" || opts.Beat != 2 || opts.Policy != "mlfq" || opts.Config.Seed != 7 || opts.Config.Scheduler != "mlfq" ||
		win != (Window{1920, 1080}) || !fullscreen || !opts.Presenter || !opts.Light || opts.Speed != 2 {
		t.Errorf("%+v, %v, %v", opts, win, fullscreen)
	}
}

func TestHelp(t *testing.T) {
	var b bytes.Buffer
	_, _, _, err := ParseFlags([]string{"-h"}, &b)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, f := range []string{"-scene", "-beat", "-scenario", "-scenario-file", "-speed", "-window", "-fullscreen", "-screenshot", "-model", "-seed"} {
		if u := b.String(); !strings.Contains(u, "  "+f+" ") && !strings.Contains(u, "  "+f+"\n") {
			t.Errorf("usage lacks %s", f)
		}
	}
}

func TestBadFlagsAreOneLine(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"-frobnicate", "flag provided but not defined: -frobnicate"},
		{"-speed abc", `invalid value "abc" for flag -speed`},
		{"-speed 20", "speed: 20 is not valid"},
		{"-window 0x0", `window: "0x0" is not valid`},
		{"-scene lobby", `scene: "lobby" is not valid (valid: prompt, kvcache, contention, batching, chunking, roofline, sharing, cluster, playground)`},
		{"-beat 0", "beat: 0 is not valid"},
		{"-frames -1", "frames: -1 is not valid"},
		{"-ticks -1", "ticks: -1 is not valid"},
		{"-scenario nope", `scenario: "nope" is not valid`},
		{"extra", `unexpected argument "extra"`},
		{"-scenario-file x.scenario -scenario rag", "scenario-file: cannot be combined with -scenario"},
	} {
		_, _, _, err := ParseFlags(strings.Fields(c.args), io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", c.args, err, c.want)
		}
	}
}

func TestScenarioFile(t *testing.T) {
	example := filepath.Join("..", "sim", "testdata", "lecture.scenario")
	opts, _, _, err := ParseFlags([]string{"-scenario-file", example, "-seed", "9"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c := opts.Config; c.Scenario != "lecture" || c.Scheduler != "mlfq" || c.GPU.ID != "a100" || c.Seed != 9 {
		t.Errorf("config %+v", c)
	}
	bad := filepath.Join(t.TempDir(), "bad.scenario")
	os.WriteFile(bad, []byte("id = mine\nrequests = many\n"), 0o644)
	_, _, _, err = ParseFlags([]string{"-scenario-file", bad}, io.Discard)
	if err == nil || err.Error() != bad+`:2: requests: "many" is not a whole number` {
		t.Errorf("bad file: %v", err)
	}
	// A page has no files: the address refuses the parameter by name.
	_, err = ParseQuery("scenario-file=" + example)
	if err == nil || !strings.HasPrefix(err.Error(), "scenario-file: is not a parameter here") {
		t.Errorf("query: %v", err)
	}
}

func TestQuery(t *testing.T) {
	opts, err := ParseQuery("?scene=contention&scheduler=mlfq&seed=7&presenter=1")
	if err != nil || opts.Scene != "contention" || opts.Policy != "mlfq" || opts.Config.Seed != 7 || !opts.Presenter {
		t.Errorf("%+v, %v", opts, err)
	}
	for _, q := range []string{"window=800x600", "fullscreen=1", "screenshot=a.png", "colour=red"} {
		_, err := ParseQuery(q)
		name, _, _ := strings.Cut(q, "=")
		if err == nil || !strings.HasPrefix(err.Error(), name+": is not a parameter here") || strings.Contains(err.Error(), "window,") {
			t.Errorf("%q: %v", q, err)
		}
	}
	_, qerr := ParseQuery("speed=abc")
	_, _, _, ferr := ParseFlags([]string{"-speed=abc"}, io.Discard)
	if qerr == nil || ferr == nil || qerr.Error() != ferr.Error() {
		t.Errorf("query %v, flags %v", qerr, ferr)
	}
}
