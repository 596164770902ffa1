package sim

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"inferplay/assets"
)

// originalScenarios are the built-in scenarios as they were written in Go
// before they became files: the files must give exactly these values, to
// the last bit of every rate, or the golden runs would change.
var originalScenarios = []Scenario{
	{
		ID:    "chatbot",
		Title: "Chatbot service",
		Description: "Short prompts at a steady rate on an H100: continuous batching keeps the GPU busy " +
			"and the KV cache stays far below VRAM. The happy path.",
		Model: "llama3-8b", GPU: "h100", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 50, InteractiveShare: 0.9, Rate: PerTick(0.04), Pattern: Poisson,
			Interactive: Shape{Prompt: Between(100, 500), Output: Between(50, 200)},
			Batch:       Shape{Prompt: Between(1000, 3000), Output: Between(200, 500)}},
	},
	{
		ID:    "mixed",
		Title: "Mixed traffic",
		Description: "Chat and heavy batch jobs share a GPU with 9.5 GB left for KV cache. Under FCFS a " +
			"20,000-token prompt blocks every chat behind it (head-of-line blocking), and the batch " +
			"decodes fill VRAM until requests are swapped to CPU memory.",
		Model: "llama3-8b", GPU: "constrained", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 60, InteractiveShare: 0.6, Rate: PerTick(0.04), Pattern: Poisson,
			Interactive: Shape{Prompt: Between(100, 500), Output: Between(50, 300)},
			Batch:       Shape{Prompt: Between(5000, 20000), Output: Between(300, 1500)}},
	},
	{
		ID:    "docprocessing",
		Title: "Document processing",
		Description: "Long documents (8k–30k tokens) on Llama 3 70B. Its 141.2 GB of FP16 weights cannot fit " +
			"an 80 GB H100, so it is served 4-bit quantized (35.3 GB of weights, 44.7 GB left for KV cache " +
			"at 320 KiB per token): a few long contexts fill VRAM and evictions cascade.",
		Model: "llama3-70b", GPU: "h100", Precision: "int4", Scheduler: "fcfs",
		Workload: Workload{Requests: 30, InteractiveShare: 0.1, Rate: PerTick(0.01), Pattern: Poisson,
			Interactive: Shape{Prompt: Between(200, 800), Output: Between(100, 300)},
			Batch:       Shape{Prompt: Between(8000, 30000), Output: Between(1000, 5000)}},
	},
	{
		ID:    "rag",
		Title: "Retrieval-augmented chat",
		Description: "Every prompt carries 2k–16k tokens of retrieved documents and every answer is short, so " +
			"prefill is the bottleneck (about 80% busy). Compare schedulers: SRPT and SJF cut the median " +
			"TTFT sharply, but the longest prompts wait behind every shorter one and the p99 doubles or " +
			"triples; MLFQ only round-robins prompts that are all long. Fairness has a price.",
		Model: "llama3-8b", GPU: "h100", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 120, InteractiveShare: 1, Rate: PerTick(0.05), Pattern: Poisson,
			Interactive: Shape{Prompt: Between(2000, 16000), Output: Between(50, 200)},
			Batch:       Shape{Prompt: Between(2000, 16000), Output: Between(50, 200)}},
		SLO: [2]SLO{Interactive: {TTFT: 2 * time.Second, TBT: 100 * time.Millisecond}},
	},
	{
		// Not one of the original simulator's: the prefix-caching scenario.
		ID:    "assistant",
		Title: "Assistant app",
		Description: "Chats that all start with the same 2,000-token system prompt on an H100: with prefix caching " +
			"its KV is computed once and shared, so each chat prefills only its own words and VRAM holds one " +
			"copy of the prompt, not one per chat.",
		Model: "llama3-8b", GPU: "h100", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 60, InteractiveShare: 1, Rate: 4, Pattern: Poisson,
			Interactive: Shape{Prompt: Between(50, 300), Output: Between(50, 200)},
			Batch:       Shape{Prompt: Between(50, 300), Output: Between(50, 200)}, // a class of no share takes the other's
			System:      SystemPrompts{Count: 1, Tokens: 2000, Share: 1}},
	},
}

func TestBuiltinScenariosAreTheOriginals(t *testing.T) {
	got := Scenarios()
	if len(got) != len(originalScenarios) {
		t.Fatalf("%d built-in scenarios, want %d", len(got), len(originalScenarios))
	}
	for _, want := range originalScenarios {
		s, err := LookupScenario(want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("%s.scenario gives\n%+v\nwant\n%+v", want.ID, s, want)
		}
		if c1, c2 := s.Config(), want.Config(); !reflect.DeepEqual(c1, c2) {
			t.Errorf("%s: configurations differ", want.ID)
		}
	}
}

// The example file in testdata is a lecturer's own scenario: it is what the
// documentation points to, so it must stay valid and use the format's
// shortcuts.
func TestExampleScenarioFile(t *testing.T) {
	s, err := LoadScenarioFile(filepath.Join("testdata", "lecture.scenario"))
	if err != nil {
		t.Fatal(err)
	}
	w := s.Workload
	if s.ID != "lecture" || s.Scheduler != "mlfq" || w.Pattern != Burst || w.Rate != 4 || w.Requests != 80 {
		t.Errorf("example: %+v", s)
	}
	if !reflect.DeepEqual(w.Interactive.Output, Between(64, 64)) {
		t.Errorf("a single count is a range of one: %v", w.Interactive.Output)
	}
	want := SLO{TTFT: 1500 * time.Millisecond, TBT: DefaultSLOs[Interactive].TBT}
	if c := s.Config(); c.SLO[Interactive] != want || c.SLO[Batch] != DefaultSLOs[Batch] {
		t.Errorf("SLOs %v, want %v and the batch default", c.SLO, want)
	}
}

// A scenario with every chat (or every batch job) may leave the empty
// class's ranges out.
func TestEmptyClassTakesTheOthersRanges(t *testing.T) {
	s, err := ParseScenario("chat.scenario", strings.NewReader(minimalScenario))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Workload.Batch, s.Workload.Interactive) || s.Scheduler != "fcfs" || s.Workload.Pattern != Poisson {
		t.Errorf("defaults: %+v", s)
	}
}

const minimalScenario = `id = chat
title = Chat only
model = llama3-8b
gpu = h100
precision = fp16
requests = 10
interactive-share = 1
rate = 2
interactive-prompt = 100..200
interactive-output = 10..20
`

// with returns the minimal scenario with one line replaced (or added, when
// the key is not in it).
func with(key, line string) string {
	lines := strings.Split(strings.TrimSuffix(minimalScenario, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+" =") {
			lines[i] = line
			return strings.Join(lines, "\n") + "\n"
		}
	}
	return strings.Join(append(lines, line), "\n") + "\n"
}

// A bad file is refused with one line that names the file, the line and
// the key, and says what is valid.
func TestBadScenarioFiles(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
	}{
		{"bad number", with("rate", "rate = abc"), `s.scenario:8: rate: "abc" is not a number`},
		{"out of range", with("rate", "rate = 0"), `s.scenario:8: rate: 0 is out of range (arrivals per second, from 0.001 to 1e+06)`},
		{"per tick out of range", with("rate", "rate-per-tick = 1e9"), `s.scenario:8: rate-per-tick: 1e9 is out of range (arrivals per 15 ms tick`},
		{"both rates", with("rate", "rate = 1\nrate-per-tick = 0.01"), `s.scenario:9: rate-per-tick: give rate or rate-per-tick, not both`},
		{"no rate", with("rate", ""), `s.scenario: rate: missing`},
		{"not whole", with("requests", "requests = 2.5"), `s.scenario:6: requests: "2.5" is not a whole number`},
		{"too many", with("requests", "requests = 2000000"), `s.scenario:6: requests: 2000000 is out of range (1 to 1000000)`},
		{"share", with("interactive-share", "interactive-share = 1.5"), `s.scenario:7: interactive-share: 1.5 is out of range (a fraction, from 0 to 1)`},
		{"unknown key", with("colour", "colour = red"), `s.scenario:11: "colour" is not a key (keys: id, title,`},
		{"misspelt key", with("rate", "rates = 2"), `s.scenario:8: "rates" is not a key`},
		{"duplicate key", with("colour", "title = Again"), `s.scenario:11: title: given twice (first on line 2)`},
		{"missing required", with("model", ""), `s.scenario: model: missing (a model preset)`},
		{"missing range", with("interactive-share", "interactive-share = 0.5"), `s.scenario: batch-prompt: missing (prompt tokens of a batch request, MIN..MAX)`},
		{"bad range", with("interactive-prompt", "interactive-prompt = 200..100"), `s.scenario:9: interactive-prompt: "200..100" is out of range (tokens, 1 <= MIN <= MAX <= 10000000)`},
		{"range syntax", with("interactive-prompt", "interactive-prompt = 100-200"), `s.scenario:9: interactive-prompt: "100-200" is not a token count or range (valid: ` + LengthsSyntax + `)`},
		{"unknown preset", with("gpu", "gpu = b200"), `s.scenario:4: gpu: "b200" is not valid (valid: `},
		{"unknown scheduler", with("colour", "scheduler = lifo"), `s.scenario:11: scheduler: "lifo" is not valid (valid: fcfs, `},
		{"unknown pattern", with("colour", "pattern = wave"), `s.scenario:11: pattern: "wave" is not valid (valid: poisson, gamma, fixed, burst, or constant for fixed)`},
		{"bad id", with("id", "id = My Scenario"), `s.scenario:1: id: "My Scenario" is not valid`},
		{"no value", with("title", "title ="), `s.scenario:2: title: has no value`},
		{"not key value", with("colour", "just words"), `s.scenario:11: "just words" is not key = value`},
		{"orphan continuation", "  continued\n" + minimalScenario, `s.scenario:1: an indented line continues the value above it, and there is none`},
		{"no targets", with("colour", "slo-ttft-batch = 0\nslo-tbt-batch = 0"), `s.scenario:12: slo-tbt-batch: the batch class needs a target`},
		{"bad slo", with("colour", "slo-ttft-interactive = -1"), `s.scenario:11: slo-ttft-interactive: -1 is out of range (milliseconds, 0 for none, from 0 to 1e+09)`},
		{"does not fit", with("model", "model = llama3-70b"), `s.scenario:3: model: Llama 3 70B at fp16 is not valid (needs 141.2 GB of weights`},
		{"not utf-8", with("title", "title = \xff"), `s.scenario:2: is not UTF-8 text`},
		{"empty", "", `s.scenario: id: missing`},
	} {
		_, err := ParseScenario("s.scenario", strings.NewReader(c.file))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		var se *ScenarioError
		if !errors.As(err, &se) {
			t.Errorf("%s: %T is not a ScenarioError", c.name, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want it to start with %q", c.name, msg, c.want)
		}
	}
}

func TestScenarioFileFormatDetails(t *testing.T) {
	// Comments, blank lines, CRLF line ends, a byte-order mark and
	// continued values are all read.
	file := "\ufeff# a comment\r\n\r\n" + strings.ReplaceAll(with("title", "title = Chat\n\t  only,\n  really"), "\n", "\r\n")
	s, err := ParseScenario("s.scenario", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Chat only, really" {
		t.Errorf("title %q", s.Title)
	}
	// A comment ends a value: the indented line after it continues nothing.
	_, err = ParseScenario("s.scenario", strings.NewReader(with("title", "title = Chat\n# note\n  only")))
	if err == nil || !strings.Contains(err.Error(), "s.scenario:4: an indented line") {
		t.Errorf("continuation after a comment: %v", err)
	}
	// A file too large to be a scenario is refused without being read
	// whole.
	comment := "# " + strings.Repeat("x", 100) + "\n"
	big := minimalScenario + strings.Repeat(comment, maxScenarioBytes/len(comment)+1)
	if _, err := ParseScenario("s.scenario", strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("large file: %v", err)
	}
	long := with("description", "description = "+strings.Repeat("x", 100_000))
	if _, err := ParseScenario("s.scenario", strings.NewReader(long)); err == nil || !strings.Contains(err.Error(), "s.scenario:11: the line is longer") {
		t.Errorf("long line: %v", err)
	}
}

func TestLoadScenarios(t *testing.T) {
	good := fstest.MapFile{Data: []byte(minimalScenario)}
	list, err := LoadScenarios(fstest.MapFS{"chat.scenario": &good, "notes.txt": &fstest.MapFile{Data: []byte("x")}})
	if err != nil || len(list) != 1 || list[0].ID != "chat" {
		t.Errorf("%v, %v", list, err)
	}
	_, err = LoadScenarios(fstest.MapFS{"other.scenario": &good})
	if err == nil || err.Error() != `other.scenario:1: id: "chat" is not the file's name, other` {
		t.Errorf("id against the file name: %v", err)
	}
	if _, err := LoadScenarios(fstest.MapFS{}); err == nil {
		t.Error("no files: no error")
	}
	bad := fstest.MapFile{Data: []byte(with("rate", "rate = abc"))}
	if _, err := LoadScenarios(fstest.MapFS{"chat.scenario": &bad}); err == nil || !strings.HasPrefix(err.Error(), "chat.scenario:8: rate:") {
		t.Errorf("bad file: %v", err)
	}
}

func TestLoadScenarioFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.scenario")
	// The system's words for the reason differ (Node.js capitalises them).
	if _, err := LoadScenarioFile(path); err == nil || !strings.HasPrefix(err.Error(), path+": cannot be read: ") ||
		!strings.Contains(strings.ToLower(err.Error()), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(path, []byte(with("id", "id = mixed")), 0o644)
	if _, err := LoadScenarioFile(path); err == nil || err.Error() != path+`:1: id: "mixed" is a built-in scenario's; give this one an id of its own` {
		t.Errorf("built-in id: %v", err)
	}
}

// The built-in files are the fuzzer's seeds; whatever it makes of them, a
// scenario the parser accepts has a valid configuration.
func FuzzParseScenario(f *testing.F) {
	files, _ := fs.Glob(assets.Scenarios, "*.scenario")
	for _, name := range files {
		b, _ := fs.ReadFile(assets.Scenarios, name)
		f.Add(b)
	}
	f.Add([]byte(minimalScenario))
	f.Add([]byte(with("colour", "slo-ttft-batch = 0\nslo-tbt-batch = 5\n  continued")))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseScenario("f.scenario", strings.NewReader(string(b)))
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "f.scenario") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q is not one line naming the file", msg)
			}
			return
		}
		c := s.Config()
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted a scenario whose configuration is invalid: %v", err)
		}
		if _, err := c.Workload.Generate(c.Seed); err != nil {
			t.Fatalf("accepted a workload that cannot be drawn: %v", err)
		}
	})
}
