package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDefaultRunPrintsTable(t *testing.T) {
	code, out, errs := runCLI(t)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"Scenario mixed", "Llama 3 8B", "fcfs", "interactive", "batch", "TTFT p99", "4549 blocks"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// The JSON document is a public interface; these are its documented fields.
func TestJSONShape(t *testing.T) {
	code, out, _ := runCLI(t, "-scenario", "chatbot", "-format", "json", "-seed", "3")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	cfg := doc["config"].(map[string]any)
	for _, k := range []string{"scenario", "model", "gpu", "precision", "scheduler", "timing", "seed", "block_size", "kv_capacity_blocks", "workload"} {
		if _, ok := cfg[k]; !ok {
			t.Errorf("config lacks %q", k)
		}
	}
	if cfg["seed"].(float64) != 3 || cfg["scheduler"] != "fcfs" {
		t.Errorf("config %v", cfg)
	}
	summaries := []any{doc["summary"]}
	classes := doc["classes"].(map[string]any)
	summaries = append(summaries, classes["interactive"], classes["batch"])
	for _, s := range summaries {
		m := s.(map[string]any)
		for _, k := range []string{"requests", "completed", "rejected", "ticks", "sim_ms", "throughput_tok_s", "evictions", "peak_kv_utilization"} {
			if _, ok := m[k]; !ok {
				t.Errorf("summary lacks %q", k)
			}
		}
		for _, k := range []string{"ttft_ms", "tbt_ms", "e2e_ms"} {
			d := m[k].(map[string]any)
			for _, q := range []string{"mean", "p50", "p90", "p99"} {
				if _, ok := d[q]; !ok {
					t.Errorf("%s lacks %q", k, q)
				}
			}
		}
	}
	if doc["summary"].(map[string]any)["requests"].(float64) != 50 {
		t.Errorf("chatbot has 50 requests")
	}
}

// The roofline model's JSON adds the batch limits, the iterations and what
// bounded them; every summary has SLO attainment and goodput, and the flags
// reach the configuration.
func TestRooflineJSON(t *testing.T) {
	code, out, errs := runCLI(t, "-scenario", "chatbot", "-model", "llama3-70b", "-tp", "2", "-timing", "roofline",
		"-max-batch-tokens", "4096", "-max-running", "64", "-chunked-prefill=false", "-preemption", "recompute",
		"-cpu-kv-gb", "8", "-slo-ttft-interactive", "250", "-slo-tbt-batch", "40", "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Config struct {
			TP         int     `json:"tp"`
			Preemption string  `json:"preemption"`
			CPUKV      float64 `json:"cpu_kv_bytes"`
			TickMs     float64 `json:"tick_ms"`
			Batching   *struct {
				MaxBatchTokens int  `json:"max_batch_tokens"`
				MaxRunning     int  `json:"max_running"`
				ChunkedPrefill bool `json:"chunked_prefill"`
			} `json:"batching"`
			SLO map[string]map[string]float64 `json:"slo"`
		} `json:"config"`
		Summary    map[string]any            `json:"summary"`
		Classes    map[string]map[string]any `json:"classes"`
		Iterations map[string]float64        `json:"iterations"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Config
	if c.TP != 2 || c.Preemption != "recompute" || c.CPUKV != 8e9 || c.TickMs != 0 || c.Batching == nil ||
		c.Batching.MaxBatchTokens != 4096 || c.Batching.MaxRunning != 64 || c.Batching.ChunkedPrefill {
		t.Fatalf("config %+v, batching %+v", c, c.Batching)
	}
	if c.SLO["interactive"]["ttft_ms"] != 250 || c.SLO["batch"]["tbt_ms"] != 40 || c.SLO["interactive"]["tbt_ms"] != 100 {
		t.Fatalf("slo %v", c.SLO)
	}
	for _, s := range []map[string]any{doc.Summary, doc.Classes["interactive"], doc.Classes["batch"]} {
		for _, k := range []string{"slo_attainment", "goodput_req_s", "slo_met", "preemptions", "link_bytes", "transfer_wait_ms", "recomputed_tokens"} {
			if _, ok := s[k]; !ok {
				t.Errorf("summary lacks %q", k)
			}
		}
	}
	if a := doc.Summary["slo_attainment"].(float64); !(a > 0 && a <= 1) {
		t.Errorf("slo_attainment %v", a)
	}
	it := doc.Iterations
	if it["count"] == 0 || it["compute_bound"]+it["memory_bound"] != it["count"] || it["mean_ms"] <= 0 {
		t.Errorf("iterations %v", it)
	}
}

// Bad input: exit status 2 and one line naming the field, the value and
// what is valid.
func TestBadInputIsOneClearLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("arrival_ms,input_tokens,output_tokens\n0,10,10\n5,-3,10\n"), 0o644)
	cases := [][]string{
		{"-scheduler", "lifo"}, {"lifo", "fcfs, mlfq, priority, sjf, skipjoin-mlfq, srpt"},
		{"-model", "gpt5"}, {"gpt5", "llama3-8b"},
		{"-gpu", "b200"}, {"b200", "h100"},
		{"-scenario", "nope"}, {"nope", "chatbot"},
		{"-precision", "fp4"}, {"fp4", "int4"},
		{"-seed", "abc"}, {"seed", "abc", "a whole number"},
		{"-format", "xml"}, {"xml", "table, json"},
		{"-block-size", "0"}, {"block-size", `"0"`, "from 1 to 4096"},
		{"-requests", "-1"}, {"requests", "-1"},
		{"-rate", "0"}, {"rate", "arrivals per second"},
		{"-frobnicate"}, {"frobnicate"},
		{"extra"}, {`"extra"`},
		{"-trace", filepath.Join(dir, "missing.csv")}, {"missing.csv"},
		{"-trace", bad}, {"line 3", "input_tokens", `"-3"`},
		{"-trace", bad, "-requests", "5"}, {"requests", "-trace"},
		{"-model", "llama3-70b", "-scenario", "chatbot"}, {"141.2 GB", "80 GB", "int4", "tp 2"},
		{"-max-batch-tokens", "4096"}, {"max-batch-tokens", "classic", "-timing roofline"},
		{"-timing", "roofline", "-max-batch-tokens", "8", "-max-running", "64"}, {"max-batch-tokens", "8", "max-running (64)"},
		{"-timing", "roofline", "-max-running", "0"}, {"max-running", "0"},
		{"-tp", "3"}, {"tp", "3", "1, 2, 4 or 8"},
		{"-preemption", "drop"}, {"preemption", `"drop"`, "recompute, swap"},
		{"-cpu-kv-gb", "-1"}, {"cpu-kv-gb", "-1"},
		{"-slo-ttft-interactive", "-5"}, {"slo-ttft-interactive", "-5"},
	}
	for i := 0; i < len(cases); i += 2 {
		args, wants := cases[i], cases[i+1]
		code, out, errs := runCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: want one line on stderr, got stdout %q stderr %q", args, out, errs)
		}
		for _, w := range wants {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: %q does not mention %q", args, errs, w)
			}
		}
	}
}

func TestHelpAndList(t *testing.T) {
	code, out, _ := runCLI(t, "-h")
	if code != 0 {
		t.Fatalf("-h exit %d", code)
	}
	for _, f := range []string{"-scenario", "-model", "-gpu", "-precision", "-scheduler", "-seed", "-requests", "-rate",
		"-block-size", "-trace", "-requests-out", "-format", "-list", "-max-ticks", "-timing", "-compare",
		"-events-out", "-series-out", "-pattern", "-interactive-share", "-seeds", "Exit status",
		"-tp", "-max-batch-tokens", "-max-running", "-chunked-prefill", "-preemption", "-cpu-kv-gb",
		"-slo-ttft-interactive", "-slo-tbt-interactive", "-slo-ttft-batch", "-slo-tbt-batch"} {
		if !strings.Contains(out, f) {
			t.Errorf("-h does not document %s", f)
		}
	}
	code, out, _ = runCLI(t, "-list")
	if code != 0 {
		t.Fatalf("-list exit %d", code)
	}
	for _, id := range []string{"chatbot", "mixed", "docprocessing", "rag", "llama3-8b", "llama3-70b", "mistral-7b", "qwen2.5-7b",
		"mixtral-8x7b", "h100", "a100", "h200", "l4", "rtx4090", "mi300x", "constrained", "fp16", "fp8", "int4",
		"fcfs", "mlfq", "sjf", "srpt", "classic"} {
		if !strings.Contains(out, id) {
			t.Errorf("-list lacks %s", id)
		}
	}
}

// -requests-out writes a file whose first columns replay the run exactly.
func TestRequestsOutReplays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reqs.csv")
	code, first, _ := runCLI(t, "-scheduler", "srpt", "-format", "json", "-requests-out", path)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	code, replay, errs := runCLI(t, "-scheduler", "srpt", "-format", "json", "-trace", path)
	if code != 0 {
		t.Fatalf("replay exit %d: %s", code, errs)
	}
	summary := func(doc string) string {
		var m map[string]json.RawMessage
		json.Unmarshal([]byte(doc), &m)
		return string(m["summary"]) + string(m["classes"])
	}
	if summary(first) != summary(replay) {
		t.Fatalf("replay differs:\n%s\n%s", summary(first), summary(replay))
	}
}

func TestMaxTicksSaysWhatIsLeft(t *testing.T) {
	code, out, errs := runCLI(t, "-max-ticks", "100")
	if code != 1 || !strings.Contains(errs, "tick 100") || !strings.Contains(errs, "unfinished") || out == "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestEventsOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.txt")
	if code, _, errs := runCLI(t, "-scenario", "chatbot", "-events-out", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(path)
	for _, w := range []string{"R0 arrived", "prefill-chunk", "first-token", "completed"} {
		if !bytes.Contains(data, []byte(w)) {
			t.Errorf("events lack %q", w)
		}
	}
}

// The CLI must run on machines without a display: no ebiten in its imports,
// and it builds without cgo.
func TestHeadlessBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	deps, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(deps, []byte("ebiten")) {
		t.Fatal("infersim depends on ebiten")
	}
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", filepath.Join(t.TempDir(), "infersim"), ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build: %v\n%s", err, out)
	}
}

// -compare runs one workload under several schedulers: one row (or JSON
// document) per scheduler, each identical to a single run of it.
func TestCompare(t *testing.T) {
	code, out, errs := runCLI(t, "-compare", "all", "-seed", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, p := range []string{"fcfs", "mlfq", "sjf", "srpt", "chat TTFT p99"} {
		if !strings.Contains(out, p) {
			t.Errorf("comparison lacks %q:\n%s", p, out)
		}
	}
	_, out, _ = runCLI(t, "-compare", "fcfs,srpt", "-seed", "5", "-format", "json")
	var docs []jsonReport
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 2 {
		t.Fatalf("want two documents: %v\n%s", err, out)
	}
	_, single, _ := runCLI(t, "-scheduler", "srpt", "-seed", "5", "-format", "json")
	var one jsonReport
	json.Unmarshal([]byte(single), &one)
	if docs[1].Config.Scheduler != "srpt" || docs[1].Summary != one.Summary {
		t.Fatalf("compared srpt differs from a single srpt run")
	}
	for _, bad := range [][]string{{"-compare", "fcfs,lifo"}, {"-compare", "all", "-scheduler", "mlfq"}} {
		if code, _, errs := runCLI(t, bad...); code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
}

func TestSeriesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "series.csv")
	code, out, errs := runCLI(t, "-series-out", path, "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc jsonReport
	json.Unmarshal([]byte(out), &doc)
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != seriesHeader {
		t.Fatalf("header %q", lines[0])
	}
	last := strings.Split(lines[len(lines)-1], ",")
	if last[0] != fmt.Sprint(doc.Summary.Ticks) || last[6] != fmt.Sprint(doc.Summary.Requests) || last[11] != fmt.Sprint(doc.Summary.Evictions) {
		t.Fatalf("last row %v, summary %+v", last, doc.Summary)
	}
}

// -seeds runs consecutive seeds: one JSON document per run, and a table of
// means with ranges.
func TestSeeds(t *testing.T) {
	code, out, errs := runCLI(t, "-seeds", "3", "-seed", "10", "-format", "json", "-scenario", "chatbot")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var docs []jsonReport
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 3 {
		t.Fatalf("want three documents: %v", err)
	}
	for i, d := range docs {
		if d.Config.Seed != uint64(10+i) {
			t.Errorf("document %d has seed %d", i, d.Config.Seed)
		}
	}
	_, out, _ = runCLI(t, "-seeds", "3", "-seed", "10", "-scenario", "chatbot")
	if !strings.Contains(out, "Seeds 10 to 12") || !strings.Contains(out, "–") {
		t.Errorf("table:\n%s", out)
	}
	trace := filepath.Join(t.TempDir(), "t.csv")
	os.WriteFile(trace, []byte("arrival_ms,input_tokens,output_tokens\n0,10,10\n"), 0o644)
	for _, bad := range [][]string{{"-seeds", "0"}, {"-seeds", "2", "-trace", trace}, {"-seeds", "2", "-requests-out", "x.csv"}} {
		if code, _, errs := runCLI(t, bad...); code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
}

// Every flag refuses bad values the same way: exit status 2, nothing on
// stdout, one line on stderr that starts with "infersim: " and quotes the
// value. The flags and their types come from -h, so a new flag is covered
// as soon as it is defined.
func TestEveryFlagRefusesBadValuesInOneLine(t *testing.T) {
	t.Chdir(t.TempDir()) // no file named by a bad value exists here
	_, help, _ := runCLI(t, "-h")
	missing := filepath.Join(t.TempDir(), "no\nsuch dir", "x.csv")
	byKind := map[string][]string{
		"int":   {"", "3\n4", "abc", "1.5", "-1", "99999999999999999999", "0x10", "1_000", " 7"},
		"float": {"", "3\n4", "abc", "-1", "1e400", "NaN", "Inf", "-Inf", "0x"},
		"":      {"", "3\n4", "maybe", "2"}, // booleans, as -name=value
		"value": {"", "3\n4", "abc"},
		"P:D":   {"", "3\n4", "abc", "2", "0:2", "2:0", "-1:2", "1.5:2", "2:2:2", "200:57", " 2:2"},
	}
	// Strings a flag of that name cannot take.
	byName := map[string][]string{
		"requests-out": {"", missing}, "events-out": {"", missing}, "series-out": {"", missing},
		"trace": {"", "3\n4", "abc"}, "scenario-file": {"", "3\n4", "abc"},
		"seed": {"", "3\n4", "abc", "-1", "1.5", "99999999999999999999", "0x10"},
		"tp":   {"", "3\n4", "two", "3", "16", "-1", "99999999999999999999"},
	}
	flags := 0
	for _, line := range strings.Split(help, "\n") {
		name, kind, ok := strings.Cut(strings.TrimPrefix(line, "  -"), " ")
		if !strings.HasPrefix(line, "  -") || strings.HasPrefix(line, "  -format table") {
			continue
		}
		if !ok {
			name, kind = strings.TrimSpace(name), ""
		}
		flags++
		values, named := byName[name]
		if !named {
			values = byKind[kind]
			if kind == "string" {
				values = byKind["value"]
			}
		}
		if values == nil {
			t.Fatalf("-%s: no bad values for kind %q", name, kind)
		}
		for _, v := range values {
			args := []string{"-" + name, v}
			if kind == "" {
				args = []string{"-" + name + "=" + v}
			}
			code, out, errs := runCLI(t, args...)
			if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") || !strings.HasPrefix(errs, "infersim: ") {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2, nothing, one line", args, code, out, errs)
				continue
			}
			// A path at the start of a line, as file:line, is quoted
			// only when it needs to be.
			if !strings.Contains(errs, strconv.Quote(v)) && !strings.HasPrefix(errs, "infersim: "+v+":") {
				t.Errorf("%q: %q does not quote the value", args, errs)
			}
		}
	}
	if flags < 30 {
		t.Fatalf("found %d flags in -h", flags)
	}
	// Syntax the flag package refuses, reworded.
	for _, c := range []struct{ arg, want string }{
		{"-no\nflag", `unknown flag "-no\nflag"`}, {"---x", `bad flag syntax "---x"`}, {"-=x", `bad flag syntax "-=x"`},
		{"-requests", "requests: needs a value (a whole number from 1 to 1000000)"},
	} {
		code, out, errs := runCLI(t, c.arg)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want one line with %q", c.arg, code, errs, c.want)
		}
	}
}

// Whole numbers are decimal everywhere, seeds and counts alike: a leading 0
// is not octal, and + is allowed.
func TestWholeNumbersAreDecimal(t *testing.T) {
	summary := func(args ...string) jsonReport {
		t.Helper()
		code, out, errs := runCLI(t, append([]string{"-scenario", "chatbot", "-format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var doc jsonReport
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	if d := summary("-requests", "010", "-seed", "010"); d.Summary.Requests != 10 || d.Config.Seed != 10 {
		t.Errorf("010 read as %d requests, seed %d", d.Summary.Requests, d.Config.Seed)
	}
	if d := summary("-requests", "+12", "-seed", "+12"); d.Summary.Requests != 12 || d.Config.Seed != 12 {
		t.Errorf("+12 read as %d requests, seed %d", d.Summary.Requests, d.Config.Seed)
	}
	if d := summary("-seed", "18446744073709551615"); d.Config.Seed != 1<<64-1 {
		t.Errorf("the largest seed read as %d", d.Config.Seed)
	}
}

// Limits that round to nothing are refused, not read as "no limit".
func TestAmountsTooSmallToMean(t *testing.T) {
	for _, c := range []struct{ flag, v, want string }{
		{"-cpu-kv-gb", "1e-10", `cpu-kv-gb: "1e-10" is not valid (0 (no limit), or GB of CPU memory from 0.000000001 to 1000000)`},
		{"-slo-ttft-batch", "1e-7", `slo-ttft-batch: "1e-7" is not valid (0 (no target), or milliseconds from 0.000001 to 1000000000)`},
	} {
		code, _, errs := runCLI(t, c.flag, c.v)
		if code != 2 || errs != "infersim: "+c.want+"\n" {
			t.Errorf("%s %s: exit %d, %q", c.flag, c.v, code, errs)
		}
	}
	code, out, errs := runCLI(t, "-timing", "roofline", "-cpu-kv-gb", "1e-9", "-slo-ttft-batch", "1e-6", "-scenario", "chatbot", "-format", "json")
	var doc struct {
		Config struct {
			CPUKV float64                       `json:"cpu_kv_bytes"`
			SLO   map[string]map[string]float64 `json:"slo"`
		} `json:"config"`
	}
	json.Unmarshal([]byte(out), &doc)
	if code != 0 || doc.Config.CPUKV != 1 || doc.Config.SLO["batch"]["ttft_ms"] != 1e-6 {
		t.Errorf("exit %d (%s): %+v", code, errs, doc.Config)
	}
}

// An output that cannot be written, at its creation or at any write, flush
// or close, fails the run with one line naming the flag; two outputs may
// not name one file.
func TestOutputErrors(t *testing.T) {
	dir := t.TempDir()
	var cases []struct {
		args []string
		want string
	}
	add := func(want string, args ...string) {
		cases = append(cases, struct {
			args []string
			want string
		}{args, want})
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		for _, f := range []string{"-requests-out", "-events-out", "-series-out"} {
			add("infersim: "+f+`: write "/dev/full": no space left on device`, "-scenario", "chatbot", f, "/dev/full")
		}
	}
	noDir := filepath.Join(dir, "missing", "x.csv")
	add(`infersim: -events-out: open "`+noDir+`": no such file or directory`, "-events-out", noDir)
	add(`infersim: -series-out: open "`+dir+`": is a directory`, "-series-out", dir)
	a := filepath.Join(dir, "a.csv")
	add(`infersim: series-out: "`+a+`" is the file -events-out writes too`, "-events-out", a, "-series-out", a)
	add(`infersim: events-out: "`+dir+`/sub/../a.csv" is the file -requests-out writes too`, "-requests-out", a, "-events-out", dir+"/sub/../a.csv")
	link := filepath.Join(dir, "link.csv")
	os.WriteFile(a, nil, 0o644)
	if err := os.Link(a, link); err == nil {
		add(`infersim: series-out: "`+link+`" is the file -requests-out writes too`, "-requests-out", a, "-series-out", link)
	}
	for _, c := range cases {
		code, out, errs := runCLI(t, c.args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, c.want) {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q; want 2 and %q", c.args, code, len(out), errs, c.want)
		}
	}
	// A relative path and its ./ spelling are one file.
	t.Chdir(dir)
	if code, _, errs := runCLI(t, "-events-out", "b.csv", "-requests-out", "./b.csv"); code != 2 || !strings.Contains(errs, `"b.csv" is the file -requests-out writes too`) {
		t.Errorf("b.csv and ./b.csv: exit %d, %q", code, errs)
	}
	// The report's own stream.
	var errb bytes.Buffer
	if code := run([]string{"-scenario", "chatbot"}, failingWriter{}, &errb); code != 2 || errb.String() != "infersim: standard output: no space left on device\n" {
		t.Errorf("stdout that fails: exit %d, %q", code, errb.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// A run replays exactly from its requests file however late its arrivals:
// past 52 days, float milliseconds would lose the microsecond.
func TestLateArrivalsReplayExactly(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "late.csv")
	arrivals := []string{"4492800000.000001", "17280000000.001", "17280000000.123456", "17280000000.123457", "31536000000.5"}
	text := "arrival_ms,input_tokens,output_tokens,class\n"
	for i, a := range arrivals {
		text += fmt.Sprintf("%s,%d,%d,%s\n", a, 100+50*i, 5+i, []string{"interactive", "batch"}[i%2])
	}
	os.WriteFile(trace, []byte(text), 0o644)
	first, replay := filepath.Join(dir, "first.csv"), filepath.Join(dir, "replay.csv")
	code, out1, errs := runCLI(t, "-timing", "roofline", "-trace", trace, "-requests-out", first, "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, out2, errs := runCLI(t, "-timing", "roofline", "-trace", first, "-requests-out", replay, "-format", "json")
	if code != 0 {
		t.Fatalf("replay exit %d: %s", code, errs)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(replay)
	if !bytes.Equal(a, b) || len(a) == 0 {
		t.Fatalf("replay differs:\n%s\n%s", a, b)
	}
	rows := strings.Split(strings.TrimSpace(string(a)), "\n")[1:]
	for i, row := range rows {
		if got, _, _ := strings.Cut(row, ","); got != arrivals[i] {
			t.Errorf("request %d arrives at %s ms, want %s", i, got, arrivals[i])
		}
	}
	var d1, d2 jsonReport
	json.Unmarshal([]byte(out1), &d1)
	json.Unmarshal([]byte(out2), &d2)
	if d1.Summary != d2.Summary || d1.Summary.Completed != len(arrivals) {
		t.Errorf("summaries differ: %+v\n%+v", d1.Summary, d2.Summary)
	}
}

// A trace without end, or binary, is refused in one line after a bounded
// read.
func TestTraceFromADevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	code, out, errs := runCLI(t, "-trace", "/dev/zero")
	if code != 2 || out != "" || errs != "infersim: /dev/zero: trace line 1: control byte 0x00: a trace is a text (CSV) file, and this one looks binary\n" {
		t.Errorf("exit %d, %q", code, errs)
	}
	long := filepath.Join(t.TempDir(), "long line.csv")
	os.WriteFile(long, []byte("arrival_ms,input_tokens,output_tokens\n0,1,"+strings.Repeat("1", 5000)+"\n"), 0o644)
	code, _, errs = runCLI(t, "-trace", long)
	if want := "infersim: " + strconv.Quote(long) + ": trace line 2: longer than 4096 bytes (4 KiB)"; code != 2 || !strings.HasPrefix(errs, want) {
		t.Errorf("exit %d, %q, want %q", code, errs, want)
	}
}
