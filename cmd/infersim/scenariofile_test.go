package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example in the engine's testdata is the file the README points a
// lecturer to.
const exampleScenario = "../../sim/testdata/lecture.scenario"

// -scenario-file starts from a scenario file of one's own, and the other
// flags override it as they override a built-in scenario.
func TestScenarioFile(t *testing.T) {
	code, out, errs := runCLI(t, "-scenario-file", exampleScenario)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Scenario lecture", "Llama 3 8B", "A100", "mlfq"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(t, "-scenario-file", exampleScenario, "-scheduler", "fcfs", "-requests", "20", "-format", "json")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{`"scenario": "lecture"`, `"scheduler": "fcfs"`, `"requests": 20`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	code, out, _ = runCLI(t, "-h")
	if code != 0 || !strings.Contains(out, "-scenario-file") {
		t.Errorf("-h does not document -scenario-file")
	}
}

// A bad scenario file is one line naming the file, the line and the key,
// with exit status 2, as a bad flag is.
func TestBadScenarioFile(t *testing.T) {
	example, err := os.ReadFile(exampleScenario)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, from, to string) string {
		t.Helper()
		text := strings.Replace(string(example), from, to, 1)
		if text == string(example) {
			t.Fatalf("%q is not in the example", from)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	rate := write("rate.scenario", "rate = 4", "rate = abc")
	key := write("key.scenario", "pattern = burst", "patern = burst")
	builtin := write("builtin.scenario", "id = lecture", "id = mixed")
	fit := write("fit.scenario", "model = llama3-8b", "model = llama3-70b")
	for _, c := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"-scenario-file", rate}, []string{rate + ":20: rate: \"abc\" is not a number"}},
		{[]string{"-scenario-file", key}, []string{key + ":21: \"patern\" is not a key (keys: id, title"}},
		{[]string{"-scenario-file", builtin}, []string{builtin + ":5: id: \"mixed\" is a built-in scenario's"}},
		{[]string{"-scenario-file", fit}, []string{fit + ":12: model: Llama 3 70B at fp16", "would fit"}},
		{[]string{"-scenario-file", filepath.Join(dir, "missing.scenario")}, []string{"missing.scenario: cannot be read: no such file or directory"}},
		{[]string{"-scenario-file", exampleScenario, "-scenario", "rag"}, []string{"scenario-file: cannot be combined with -scenario"}},
	} {
		code, out, errs := runCLI(t, c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "infersim: ") {
			t.Errorf("%v: want one line on stderr, got stdout %q stderr %q", c.args, out, errs)
		}
		for _, w := range c.wants {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: %q does not mention %q", c.args, errs, w)
			}
		}
	}
}
