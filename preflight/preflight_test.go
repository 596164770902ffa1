package preflight

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestHeadless(t *testing.T) {
	for _, c := range []struct {
		args         []string
		code         int
		stdout, line string // what stdout contains; what the one stderr line contains
	}{
		{[]string{"-h"}, 0, "-scene", ""},
		{[]string{"-help"}, 0, "-scenario-file", ""},
		{[]string{"-frobnicate"}, 2, "", "inferplay: flag provided but not defined: -frobnicate"},
		{[]string{"-speed", "abc"}, 2, "", `inferplay: invalid value "abc" for flag -speed`},
		{[]string{"-window", "0x0"}, 2, "", `inferplay: window: "0x0" is not valid`},
		{[]string{"-scene", "lobby"}, 2, "", `inferplay: scene: "lobby" is not valid (valid: prompt, kvcache, contention, batching, chunking, roofline, sharing, cluster, playground)`},
		{[]string{"-scene", "kvcache", "-screenshot", "my shot.png"}, 1, "",
			"inferplay: needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; for screenshots run it under a virtual one " +
				"(xvfb-run -a inferplay -scene kvcache -screenshot 'my shot.png'), and for numbers without a window use infersim"},
	} {
		var out, errs bytes.Buffer
		code := Headless(c.args, &out, &errs)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
		if c.stdout != "" && !strings.Contains(out.String(), c.stdout) {
			t.Errorf("%v: usage lacks %s:\n%s", c.args, c.stdout, out.String())
		}
		if c.line == "" {
			if errs.Len() > 0 {
				t.Errorf("%v: stderr %q", c.args, errs.String())
			}
			continue
		}
		if out.Len() > 0 || strings.Count(errs.String(), "\n") != 1 || !strings.Contains(errs.String(), c.line) {
			t.Errorf("%v: stdout %q, stderr %q; want one line with %q", c.args, out.String(), errs.String(), c.line)
		}
	}
}

func TestShellLine(t *testing.T) {
	got := shellLine([]string{"inferplay", "-screenshot", "a b.png", "it's", "", "-seed=7"})
	if want := `inferplay -screenshot 'a b.png' 'it'\''s' '' -seed=7`; got != want {
		t.Errorf("%s, want %s", got, want)
	}
}

// The app itself, built and run without a display: what it prints must
// come from here, before Ebitengine's initialisation, which would panic.
func TestAppWithoutDisplay(t *testing.T) {
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly":
	default:
		t.Skip("only X11 systems need a display server")
	}
	if testing.Short() {
		t.Skip("builds the app")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "inferplay")
	build := exec.Command("go", "build", "-buildvcs=false", "-o", bin, "inferplay")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	badFile := filepath.Join(dir, "bad.scenario")
	os.WriteFile(badFile, []byte("id = mine\ntitle = Mine\nrate = abc\n"), 0o644)
	for _, c := range []struct {
		args         []string
		code         int
		stdout, line string
	}{
		{[]string{"-h"}, 0, "-scene", ""},
		{[]string{"-frobnicate"}, 2, "", "inferplay: flag provided but not defined: -frobnicate"},
		{[]string{"-speed", "abc"}, 2, "", `inferplay: invalid value "abc" for flag -speed`},
		{[]string{"-window", "0x0"}, 2, "", `inferplay: window: "0x0" is not valid`},
		{[]string{"-scene", "lobby"}, 2, "", `inferplay: scene: "lobby" is not valid`},
		{[]string{"-scenario-file", badFile}, 2, "", "inferplay: " + badFile + `:3: rate: "abc" is not a number`},
		{[]string{"-scene", "contention", "-beat", "2"}, 1, "", "inferplay: needs a display"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
		var out, errs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errs.String())
		}
		if strings.Contains(errs.String(), "goroutine") || strings.Contains(errs.String(), "panic") {
			t.Errorf("%v: Ebitengine's initialisation ran:\n%s", c.args, errs.String())
		}
		if c.stdout != "" && !strings.Contains(out.String(), c.stdout) {
			t.Errorf("%v: usage lacks %s:\n%s", c.args, c.stdout, out.String())
		}
		if c.line == "" {
			continue
		}
		if out.Len() > 0 || strings.Count(errs.String(), "\n") != 1 || !strings.Contains(errs.String(), c.line) {
			t.Errorf("%v: stdout %q, stderr %q; want one line with %q", c.args, out.String(), errs.String(), c.line)
		}
	}
}
