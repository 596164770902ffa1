package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Scenario files describe one scenario each, as lines of key = value. The
// built-in scenarios are such files (assets/scenarios), and a lecturer's own
// is read by the same code (-scenario-file):
//
//	# Chat and batch jobs on one small GPU.
//	id = mixed
//	title = Mixed traffic
//	description = Chat and heavy batch jobs share a GPU with 9.5 GB left
//	  for KV cache.
//	model = llama3-8b
//	gpu = constrained
//	precision = fp16
//	requests = 60
//	interactive-share = 0.6
//	rate-per-tick = 0.04
//	interactive-prompt = 100..500
//	...
//
// Blank lines are skipped, and so are lines whose first character other
// than a space is #. A line that starts with a space or a tab continues
// the value of the line just above it, joined to it by one space. Each key
// appears at most once; a key the format does not have is refused, so a
// misspelt one is never silently ignored. The keys:
//
//	id                 required: lower-case letters, digits and -; what -scenario calls it
//	title              required: a short name
//	description        the story the scenario tells
//	model, gpu, precision
//	                   required: preset IDs (infersim -list shows them)
//	scheduler          the scheduling policy (fcfs when not given)
//	requests           required: how many, 1 to 1000000
//	interactive-share  required: the fraction of the requests that are chats, 0 to 1
//	rate               mean arrivals per second, 0.001 to 1000000, or
//	rate-per-tick      mean arrivals per classic 15 ms tick: one of the two is required
//	pattern            poisson (when not given), gamma, fixed (also called
//	                   constant) or burst
//	arrival-cv         the gamma pattern's coefficient of variation of the
//	                   gaps, 0.01 to 10 (2 when not given; 1 is Poisson)
//	system-prompts, system-prompt-tokens, system-prompt-share
//	                   shared system prompts: how many, how long, and the
//	                   fraction of requests that start with one (picked
//	                   uniformly); none when not given
//	interactive-prompt, interactive-output, batch-prompt, batch-output
//	                   token counts: one count N, uniform MIN..MAX, or
//	                   lognormal:mean=M,p99=P or lognormal:mu=MU,sigma=S,
//	                   each with optional ,min=A,max=B; required for a
//	                   class with a share above 0, and the other class's
//	                   when its share is 0
//	slo-ttft-interactive, slo-tbt-interactive, slo-ttft-batch, slo-tbt-batch
//	                   latency targets in ms (0: none), each replacing the
//	                   default one
//
// The whole scenario must then make a valid configuration: the model must
// fit the GPU at that precision, for one.

// ScenarioError locates a problem in a scenario file: the file, the line
// (0 when the problem is not on one line, such as a missing key) and a
// message that starts with the key.
type ScenarioError struct {
	File string
	Line int
	Msg  string
}

func (e *ScenarioError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ScenarioExt is the extension of scenario files.
const ScenarioExt = ".scenario"

// maxScenarioBytes bounds what is read of a scenario file: far above any
// real scenario, far below anything that could strain the app.
const maxScenarioBytes = 1 << 20

// A scenarioKey is one key of the format: how to read its value into a
// scenario. The error a set returns is the message after "key: ".
type scenarioKey struct {
	name     string
	required string // what to give, when the key is required
	set      func(s *Scenario, v string) error
}

// classShape points at a class's range for a range key.
func classShape(s *Scenario, cl Class, output bool) *Lengths {
	sh := &s.Workload.Interactive
	if cl == Batch {
		sh = &s.Workload.Batch
	}
	if output {
		return &sh.Output
	}
	return &sh.Prompt
}

var scenarioKeys = []scenarioKey{
	{"id", "lower-case letters, digits and -", func(s *Scenario, v string) error {
		if !validScenarioID(v) {
			return fmt.Errorf("%q is not valid (lower-case letters, digits and -, up to 40, starting with a letter or digit)", v)
		}
		s.ID = v
		return nil
	}},
	{"title", "a short name", func(s *Scenario, v string) error { s.Title = v; return nil }},
	{"description", "", func(s *Scenario, v string) error { s.Description = v; return nil }},
	{"model", "a model preset", func(s *Scenario, v string) error { s.Model = v; return presetErr(LookupModel(v)) }},
	{"gpu", "a GPU preset", func(s *Scenario, v string) error { s.GPU = v; return presetErr(LookupGPU(v)) }},
	{"precision", "fp16, fp8 or int4", func(s *Scenario, v string) error {
		s.Precision = v
		return presetErr(LookupPrecision(v))
	}},
	{"scheduler", "", func(s *Scenario, v string) error { s.Scheduler = v; return presetErr(LookupPolicy(v)) }},
	{"requests", fmt.Sprintf("how many, 1 to %d", MaxRequests), func(s *Scenario, v string) (err error) {
		s.Workload.Requests, err = wholeValue(v, 1, MaxRequests)
		return err
	}},
	{"interactive-share", "the fraction of requests that are chats, 0 to 1", func(s *Scenario, v string) (err error) {
		s.Workload.InteractiveShare, err = numberValue(v, 0, 1, "a fraction")
		return err
	}},
	{"rate", "", func(s *Scenario, v string) (err error) {
		s.Workload.Rate, err = numberValue(v, MinRate, MaxRate, "arrivals per second")
		return err
	}},
	{"rate-per-tick", "", func(s *Scenario, v string) error {
		n, err := numberValue(v, 0, math.MaxFloat64, "arrivals per 15 ms tick")
		if err != nil {
			return err
		}
		// PerTick is how the original scenarios were stated; the rate
		// must be the same float, to the bit, as it always was.
		if s.Workload.Rate = PerTick(n); !(s.Workload.Rate >= MinRate && s.Workload.Rate <= MaxRate) {
			return fmt.Errorf("%s is out of range (arrivals per 15 ms tick, from %g to %g)", v, MinRate*ClassicTick.Seconds(), MaxRate*ClassicTick.Seconds())
		}
		return nil
	}},
	{"pattern", "", func(s *Scenario, v string) error {
		p, err := LookupPattern(v)
		if err != nil {
			return fmt.Errorf("%q is not valid (valid: %s, or constant for fixed)", v, strings.Join(Patterns(), ", "))
		}
		s.Workload.Pattern = p
		return nil
	}},
	{"arrival-cv", "", func(s *Scenario, v string) (err error) {
		s.Workload.ArrivalCV, err = numberValue(v, MinArrivalCV, MaxArrivalCV, "the gamma pattern's CV of the gaps between arrivals, 1 for Poisson")
		return err
	}},
	{"system-prompts", "", func(s *Scenario, v string) (err error) {
		s.Workload.System.Count, err = wholeValue(v, 0, MaxSystemPrompts)
		return err
	}},
	{"system-prompt-tokens", "", func(s *Scenario, v string) (err error) {
		s.Workload.System.Tokens, err = wholeValue(v, 0, MaxSystemPromptTokens)
		return err
	}},
	{"system-prompt-share", "", func(s *Scenario, v string) (err error) {
		s.Workload.System.Share, err = numberValue(v, 0, 1, "a fraction")
		return err
	}},
	rangeKey("interactive-prompt", Interactive, false),
	rangeKey("interactive-output", Interactive, true),
	rangeKey("batch-prompt", Batch, false),
	rangeKey("batch-output", Batch, true),
	sloKey("slo-ttft-interactive", Interactive, false),
	sloKey("slo-tbt-interactive", Interactive, true),
	sloKey("slo-ttft-batch", Batch, false),
	sloKey("slo-tbt-batch", Batch, true),
}

func rangeKey(name string, cl Class, output bool) scenarioKey {
	return scenarioKey{name, "", func(s *Scenario, v string) (err error) {
		*classShape(s, cl, output), err = ParseLengths(v)
		return err
	}}
}

func sloKey(name string, cl Class, tbt bool) scenarioKey {
	return scenarioKey{name, "", func(s *Scenario, v string) error {
		n, err := numberValue(v, 0, 1e9, "milliseconds, 0 for none")
		if err != nil {
			return err
		}
		d := time.Duration(math.Round(n * float64(time.Millisecond)))
		if tbt {
			s.SLO[cl].TBT = d
		} else {
			s.SLO[cl].TTFT = d
		}
		return nil
	}}
}

func lookupScenarioKey(name string) (scenarioKey, bool) {
	for _, k := range scenarioKeys {
		if k.name == name {
			return k, true
		}
	}
	return scenarioKey{}, false
}

func scenarioKeyNames() string {
	names := make([]string, len(scenarioKeys))
	for i, k := range scenarioKeys {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}

func validScenarioID(id string) bool {
	if id == "" || len(id) > 40 || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// presetErr turns a catalog's error, which starts with its field, into the
// message after the key.
func presetErr[T any](_ T, err error) error {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return errors.New(strings.TrimPrefix(ce.Error(), ce.Field+": "))
	}
	return err
}

func wholeValue(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", v)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range (%d to %d)", n, lo, hi)
	}
	return n, nil
}

func numberValue(v string, lo, hi float64, what string) (float64, error) {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	if !(n >= lo && n <= hi) {
		if hi == math.MaxFloat64 {
			return 0, fmt.Errorf("%s is out of range (%s, from %g)", v, what, lo)
		}
		return 0, fmt.Errorf("%s is out of range (%s, from %g to %g)", v, what, lo, hi)
	}
	return n, nil
}

// ParseScenario reads a scenario file; name is what errors call the file.
// A scenario it returns makes a valid configuration. Errors name the file,
// the line and the key.
func ParseScenario(name string, r io.Reader) (Scenario, error) {
	s, _, err := parseScenario(name, r)
	return s, err
}

// parseScenario is ParseScenario that also tells on which line each key
// was given.
func parseScenario(name string, r io.Reader) (Scenario, map[string]int, error) {
	fail := func(line int, format string, args ...any) (Scenario, map[string]int, error) {
		return Scenario{}, nil, &ScenarioError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	values, lines, err := scanScenario(name, r)
	if err != nil {
		return Scenario{}, nil, err
	}
	s := Scenario{Scheduler: "fcfs", Workload: Workload{Pattern: Poisson}}
	// The keys in the file's order, so that the first problem in it is
	// the one told.
	given := make([]string, 0, len(values))
	for k := range values {
		given = append(given, k)
	}
	slices.SortFunc(given, func(a, b string) int { return lines[a] - lines[b] })
	for _, k := range given {
		key, _ := lookupScenarioKey(k)
		if values[k] == "" {
			return fail(lines[k], "%s: has no value", k)
		}
		if err := key.set(&s, values[k]); err != nil {
			return fail(lines[k], "%s: %v", k, err)
		}
	}
	for _, key := range scenarioKeys {
		if _, ok := values[key.name]; !ok && key.required != "" {
			return fail(0, "%s: missing (%s)", key.name, key.required)
		}
	}
	_, perSecond := values["rate"]
	_, perTick := values["rate-per-tick"]
	switch {
	case perSecond && perTick:
		return fail(max(lines["rate"], lines["rate-per-tick"]), "%s: give rate or rate-per-tick, not both", later(lines, "rate", "rate-per-tick"))
	case !perSecond && !perTick:
		return fail(0, "rate: missing (mean arrivals per second; or rate-per-tick, per 15 ms tick)")
	}
	// A class with no traffic may leave out its token ranges: they are the
	// other class's, which keeps the workload valid.
	w := &s.Workload
	for _, cl := range Classes {
		share := w.InteractiveShare
		other := Batch
		if cl == Batch {
			share, other = 1-share, Interactive
		}
		for _, part := range []string{"prompt", "output"} {
			k, output := cl.String()+"-"+part, part == "output"
			if _, ok := values[k]; ok {
				continue
			}
			if share > 0 {
				return fail(0, "%s: missing (%s tokens of a %s request, MIN..MAX)", k, part, cl)
			}
			*classShape(&s, cl, output) = *classShape(&s, other, output)
		}
	}
	// An SLO key replaces one target; the class's other target stays the
	// default one.
	for _, cl := range Classes {
		ttft, tbt := "slo-ttft-"+cl.String(), "slo-tbt-"+cl.String()
		_, hasTTFT := values[ttft]
		_, hasTBT := values[tbt]
		if !hasTTFT && !hasTBT {
			continue
		}
		if !hasTTFT {
			s.SLO[cl].TTFT = DefaultSLOs[cl].TTFT
		}
		if !hasTBT {
			s.SLO[cl].TBT = DefaultSLOs[cl].TBT
		}
		if s.SLO[cl] == (SLO{}) {
			// A scenario's zero SLO means "the defaults".
			return fail(max(lines[ttft], lines[tbt]), "%s: the %s class needs a target (leave both keys out for the defaults)", later(lines, ttft, tbt), cl)
		}
	}
	c := s.Config()
	if err := c.Validate(); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) && lines[ce.Field] > 0 {
			return fail(lines[ce.Field], "%v", err)
		}
		return fail(0, "%v", err)
	}
	return s, lines, nil
}

// later is whichever of two keys was given further down.
func later(lines map[string]int, a, b string) string {
	if lines[a] > lines[b] {
		return a
	}
	return b
}

// scanScenario reads the lines of a scenario file into values by key,
// with the line each key is on.
func scanScenario(name string, r io.Reader) (map[string]string, map[string]int, error) {
	fail := func(line int, format string, args ...any) (map[string]string, map[string]int, error) {
		return nil, nil, &ScenarioError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	values, lines := map[string]string{}, map[string]int{}
	lr := &io.LimitedReader{R: r, N: maxScenarioBytes + 1}
	sc := bufio.NewScanner(lr)
	n := 0
	last := "" // the key an indented line continues
	for sc.Scan() {
		if lr.N == 0 {
			return fail(0, "is larger than %d bytes", maxScenarioBytes)
		}
		n++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return fail(n, "is not UTF-8 text")
		}
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			last = ""
		case text[0] == ' ' || text[0] == '\t':
			if last == "" {
				return fail(n, "an indented line continues the value above it, and there is none")
			}
			if values[last] == "" {
				values[last] = trimmed
			} else {
				values[last] += " " + trimmed
			}
		default:
			k, v, ok := strings.Cut(text, "=")
			if !ok {
				return fail(n, "%q is not key = value", clip(trimmed))
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if _, known := lookupScenarioKey(k); !known {
				return fail(n, "%q is not a key (keys: %s)", clip(k), scenarioKeyNames())
			}
			if first, dup := lines[k]; dup {
				return fail(n, "%s: given twice (first on line %d)", k, first)
			}
			values[k], lines[k], last = v, n, k
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fail(n+1, "the line is longer than %d bytes", bufio.MaxScanTokenSize)
		}
		return fail(0, "cannot be read: %v", err)
	}
	return values, lines, nil
}

// clip shortens what an error quotes from a line.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// LoadScenarios reads every NAME.scenario file at the root of fsys, in
// name order. Each file's id must be its NAME, so that the file a scenario
// comes from is the one named after it.
func LoadScenarios(fsys fs.FS) ([]Scenario, error) {
	names, err := fs.Glob(fsys, "*"+ScenarioExt)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no " + ScenarioExt + " files")
	}
	list := make([]Scenario, 0, len(names))
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		s, lines, err := parseScenario(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(name, ScenarioExt); s.ID != want {
			return nil, &ScenarioError{File: name, Line: lines["id"], Msg: fmt.Sprintf("id: %q is not the file's name, %s", s.ID, want)}
		}
		list = append(list, s)
	}
	return list, nil
}

// LoadScenarioFile reads a scenario file of one's own. Its id must not be
// a built-in scenario's, which the programs would otherwise take it for.
func LoadScenarioFile(path string) (Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Scenario{}, &ScenarioError{File: path, Msg: "cannot be read: " + err.Error()}
	}
	defer f.Close()
	s, lines, err := parseScenario(path, f)
	if err != nil {
		return Scenario{}, err
	}
	if _, err := LookupScenario(s.ID); err == nil {
		return Scenario{}, &ScenarioError{File: path, Line: lines["id"],
			Msg: fmt.Sprintf("id: %q is a built-in scenario's; give this one an id of its own", s.ID)}
	}
	return s, nil
}
