package sim

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func runResult(t testing.TB, c Config) (*Engine, Result) {
	t.Helper()
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.Run()
	return e, e.Result()
}

func requestsCSV(t testing.TB, e *Engine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteRequests(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameSeedSameRun(t *testing.T) {
	for _, sc := range Scenarios() {
		c := sc.Config()
		c.Scheduler = "mlfq"
		e1, r1 := runResult(t, c)
		e2, r2 := runResult(t, c)
		if !reflect.DeepEqual(r1, r2) || !bytes.Equal(requestsCSV(t, e1), requestsCSV(t, e2)) {
			t.Errorf("%s: two runs with seed %d differ", sc.ID, c.Seed)
		}
	}
}

func TestDifferentSeedDifferentWorkload(t *testing.T) {
	c, _ := ScenarioConfig("chatbot")
	a, _ := c.Workload.Generate(1)
	b, _ := c.Workload.Generate(2)
	if reflect.DeepEqual(a, b) {
		t.Fatal("seeds 1 and 2 generated the same workload")
	}
	again, _ := c.Workload.Generate(1)
	if !reflect.DeepEqual(a, again) {
		t.Fatal("seed 1 generated two different workloads")
	}
}

// A clone continues exactly like the original, and stepping it leaves the
// original untouched: the basis of rewinding.
func TestCloneIsIndependentAndExact(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Scheduler = "mlfq"
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	for range 1500 {
		e.Step()
	}
	snap := e.Clone()
	before := requestsCSV(t, snap)
	e.Run()
	if !bytes.Equal(before, requestsCSV(t, snap)) {
		t.Fatal("running the original changed the clone")
	}
	snap.Run()
	if err := snap.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Result(), snap.Result()) || !bytes.Equal(requestsCSV(t, e), requestsCSV(t, snap)) {
		t.Fatal("clone finished differently from the original")
	}
}

// The requests file replays as a trace and reproduces the run exactly.
func TestRequestsFileReplaysTheRun(t *testing.T) {
	for _, pol := range policyNames() {
		for _, timing := range []string{"classic", "roofline"} {
			c, _ := ScenarioConfig("mixed")
			c.Scheduler, c.Timing = pol, timing
			replays(t, c)
		}
	}
}

func replays(t *testing.T, c Config) {
	t.Helper()
	e, res := runResult(t, c)
	specs, err := ParseTrace(bytes.NewReader(requestsCSV(t, e)))
	if err != nil {
		t.Fatal(err)
	}
	c.Trace = specs
	e2, res2 := runResult(t, c)
	if !reflect.DeepEqual(res, res2) || !bytes.Equal(requestsCSV(t, e), requestsCSV(t, e2)) {
		t.Fatalf("%s/%s: replay differs from the run", c.Scheduler, c.Timing)
	}
}

// Golden results: one file per scenario and policy. Regenerate with
// go test ./sim -run Golden -update, and review the diff.
// The roofline model's files end in _roofline and add the iteration counts.
func TestGolden(t *testing.T) {
	for _, sc := range Scenarios() {
		for _, pol := range policyNames() {
			for _, timing := range []string{"classic", "roofline"} {
				c := sc.Config()
				c.Scheduler, c.Timing = pol, timing
				name := sc.ID + "_" + pol
				if timing != "classic" {
					name += "_" + timing
				}
				checkGolden(t, c, name)
			}
		}
	}
}

// Golden runs of shared system prompts, cached and not, on both timing
// models: the same results on every platform (WebAssembly included).
func TestGoldenPrefixCache(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		for _, off := range []bool{false, true} {
			c, _ := ScenarioConfig("mixed")
			_ = c.SetGPU("constrained")
			c.Timing, c.Scheduler, c.NoPrefixCaching = timing, "mlfq", off
			c.Workload.System = SystemPrompts{Count: 3, Tokens: 2000, Share: 0.75}
			name := "prefix_mixed_mlfq_" + timing
			if off {
				name += "_off"
			}
			checkGolden(t, c, name)
		}
	}
}

// A requests file of a run with shared prefixes replays it exactly: the
// groups are in the file.
func TestRequestsFileReplaysPrefixes(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Timing = "roofline"
	c.Workload.System = SystemPrompts{Count: 2, Tokens: 1000, Share: 0.5}
	replays(t, c)
}

func checkGolden(t *testing.T, c Config, name string) {
	t.Helper()
	_, res := runResult(t, c)
	classes := map[string]Summary{"interactive": res.Classes[Interactive], "batch": res.Classes[Batch]}
	var doc any = struct {
		Summary Summary
		Classes map[string]Summary
	}{res.Summary, classes}
	if c.Timing != "classic" {
		doc = struct {
			Summary    Summary
			Classes    map[string]Summary
			Iterations IterationStats
		}{res.Summary, classes, res.Iterations}
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), got) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}
