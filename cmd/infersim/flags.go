package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"inferplay/sim"
)

type options struct {
	scenario, scenarioFile, pattern                           string
	presets                                                   sim.Overrides // the settings shared with the visual simulator
	requests, blockSize, maxTicks, seeds                      int
	rate, interactiveShare                                    float64
	trace, requestsOut, eventsOut, seriesOut, format, compare string
	list                                                      bool
	serving
	set map[string]bool // flags given on the command line
}

// serving holds the flags for batching, the CPU memory for swapped KV and
// SLOs.
type serving struct {
	maxBatchTokens, maxRunning int
	chunkedPrefill             bool
	cpuKVGB                    float64
	sloMs                      [2][2]float64 // [class][TTFT, TBT]
}

const usageHead = `infersim runs an Inference Playground simulation headless and prints its metrics.

A run starts from a scenario; every other flag overrides one of its settings.
Same flags and seed, same numbers, on every machine.

Usage:
  infersim [flags]

Examples:
  infersim                                   # the default scenario (mixed), FCFS
  infersim -scenario mixed -scheduler mlfq   # the same traffic under MLFQ
  infersim -compare all -seed 7              # every scheduler on the same workload
  infersim -compare fcfs,mlfq -seeds 20      # ... over 20 workloads: mean (lowest–highest)
  infersim -timing roofline -gpu a100        # physically grounded iteration times
  infersim -model llama3-70b -tp 4 -timing roofline   # a 70B model over 4 GPUs
  infersim -format json -seed 7              # machine-readable summary
  infersim -trace my.csv -gpu a100           # replay a trace file
  infersim -scenario-file my.scenario        # start from a scenario file of one's own
  infersim -list                             # every preset and policy

Flags:
`

func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	fs := flag.NewFlagSet("infersim", flag.ContinueOnError)
	fs.StringVar(&o.scenario, "scenario", sim.DefaultScenario, "scenario to start from (see -list)")
	fs.StringVar(&o.scenarioFile, "scenario-file", "", "scenario file of one's own to start from instead (key = value lines, as in the README)")
	o.presets.Define(fs) // model, gpu, precision, scheduler, timing, seed, preemption, tp
	fs.IntVar(&o.requests, "requests", 0, "number of requests, overriding the scenario's")
	fs.Float64Var(&o.rate, "rate", 0, "mean arrivals per second, overriding the scenario's")
	fs.Float64Var(&o.interactiveShare, "interactive-share", 0, "fraction of interactive requests, 0 to 1")
	fs.StringVar(&o.pattern, "pattern", "", "arrival pattern: poisson, fixed or burst")
	fs.IntVar(&o.blockSize, "block-size", sim.DefaultBlockSize, "tokens per KV block (1 reproduces the classic model token for token)")
	fs.StringVar(&o.trace, "trace", "", "CSV trace to replay instead of the generated workload (columns: arrival_ms or arrival_tick, input_tokens, output_tokens[, class])")
	fs.StringVar(&o.requestsOut, "requests-out", "", "write one CSV row per request to this file; its first columns replay as a trace")
	fs.StringVar(&o.eventsOut, "events-out", "", "write every engine event, one per line, to this file")
	fs.StringVar(&o.seriesOut, "series-out", "", "write one CSV row per tick (queue lengths, KV blocks held, tokens, evictions) to this file")
	fs.StringVar(&o.format, "format", "table", "output format: table or json")
	fs.IntVar(&o.maxTicks, "max-ticks", 0, "stop after this many ticks (0: run until every request is finished)")
	fs.StringVar(&o.compare, "compare", "", "run the same workload under several schedulers, comma-separated or \"all\", and print a row per scheduler")
	fs.IntVar(&o.seeds, "seeds", 1, "run this many consecutive seeds from -seed and print each metric's mean and range (a JSON document per run with -format json)")
	fs.BoolVar(&o.list, "list", false, "list scenarios, models, GPUs, precisions, policies and timing models")
	fs.IntVar(&o.maxBatchTokens, "max-batch-tokens", sim.DefaultMaxBatchTokens, "roofline: tokens per iteration, prompt chunks plus one per decode")
	fs.IntVar(&o.maxRunning, "max-running", sim.DefaultMaxRunning, "roofline: most requests in one iteration")
	fs.BoolVar(&o.chunkedPrefill, "chunked-prefill", true, "roofline: split long prompts to share iterations with decodes (false: a prompt runs whole)")
	fs.Float64Var(&o.cpuKVGB, "cpu-kv-gb", 0, "CPU memory for swapped KV in GB (0: no limit); when full, victims are recomputed")
	for _, cl := range sim.Classes {
		for i, metric := range []string{"ttft", "tbt"} {
			fs.Float64Var(&o.sloMs[cl][i], fmt.Sprintf("slo-%s-%s", metric, cl), 0,
				fmt.Sprintf("%s target for %s requests in ms, overriding the scenario's (0: none)", strings.ToUpper(metric), cl))
		}
	}
	// The flag package prints errors followed by the whole usage; we print
	// one line instead, and the usage only when asked for.
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stdout, usageHead)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fmt.Fprint(stdout, usageTail)
			return nil, err
		}
		return nil, fmt.Errorf("%v (see infersim -h)", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every setting is a flag (see infersim -h)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.format != "table" && o.format != "json" {
		return nil, fmt.Errorf("format: %q is not valid (valid: table, json)", o.format)
	}
	if o.set["scenario-file"] && o.set["scenario"] {
		return nil, fmt.Errorf("scenario-file: cannot be combined with -scenario: both name the scenario to start from")
	}
	if o.set["compare"] && o.set["scheduler"] {
		return nil, fmt.Errorf("scheduler: cannot be combined with -compare, which names the schedulers")
	}
	if o.seeds < 1 || o.seeds > maxSeeds {
		return nil, fmt.Errorf("seeds: %d is not valid (runs per scheduler, 1..%d)", o.seeds, maxSeeds)
	}
	if o.seeds > 1 && o.set["trace"] {
		return nil, fmt.Errorf("seeds: a trace fixes every request, so every seed would give the same run")
	}
	if o.set["compare"] || o.seeds > 1 {
		for _, f := range []string{"requests-out", "events-out", "series-out", "max-ticks"} {
			if o.set[f] {
				return nil, fmt.Errorf("%s: writes one run, but -compare and -seeds make several", f)
			}
		}
	}
	return o, nil
}

// maxSeeds bounds a sweep to what finishes in reasonable time.
const maxSeeds = 10_000

const usageTail = `
Output:
  -format table prints a summary per class; -format json prints
  {"config": {...}, "summary": S, "classes": {"interactive": S, "batch": S}}
  (fields documented in the README); with -compare or -seeds, a JSON array
  of such documents, one per run. Times are simulated milliseconds;
  percentiles use the nearest-rank method.

Exit status: 0 on success, 1 when -max-ticks stopped the run with requests
unfinished, 2 on a bad flag, configuration, trace or scenario file.
`

// config resolves the scenario and applies every flag that was given.
func (o *options) config() (sim.Config, error) {
	cfg, err := sim.ScenarioConfig(o.scenario)
	if o.set["scenario-file"] {
		var s sim.Scenario
		s, err = sim.LoadScenarioFile(o.scenarioFile)
		cfg = s.Config()
	}
	if err != nil {
		return cfg, err
	}
	if o.set["trace"] {
		for _, f := range []string{"requests", "rate", "interactive-share", "pattern"} {
			if o.set[f] {
				return cfg, fmt.Errorf("%s: cannot be combined with -trace, which fixes every request", f)
			}
		}
	}
	if err := o.presets.Apply(&cfg); err != nil {
		return cfg, err
	}
	steps := []struct {
		flag  string
		apply func() error
	}{
		{"requests", func() error { cfg.Workload.Requests = o.requests; return nil }},
		{"rate", func() error { cfg.Workload.Rate = o.rate; return nil }},
		{"interactive-share", func() error { cfg.Workload.InteractiveShare = o.interactiveShare; return nil }},
		{"pattern", func() error { cfg.Workload.Pattern = o.pattern; return nil }},
		{"block-size", func() error { cfg.BlockSize = o.blockSize; return nil }},
		{"max-ticks", func() error { cfg.MaxTicks = o.maxTicks; return nil }},
		{"max-batch-tokens", func() error { cfg.MaxBatchTokens = o.maxBatchTokens; return nil }},
		{"max-running", func() error { cfg.MaxRunning = o.maxRunning; return nil }},
		{"chunked-prefill", func() error { cfg.WholePrompts = !o.chunkedPrefill; return nil }},
		{"cpu-kv-gb", func() error { return setCPUKV(&cfg, o.cpuKVGB) }},
		{"trace", o.loadTrace(&cfg)},
	}
	for _, s := range steps {
		if o.set[s.flag] {
			if err := s.apply(); err != nil {
				return cfg, err
			}
		}
	}
	if tim, err := sim.LookupTiming(cfg.Timing); err == nil && !tim.Continuous {
		for _, f := range []string{"max-batch-tokens", "max-running", "chunked-prefill"} {
			if o.set[f] {
				return cfg, fmt.Errorf("%s: the %s timing model has a fixed batch (one 512-token prompt chunk per tick); add -timing roofline", f, cfg.Timing)
			}
		}
	}
	for _, cl := range sim.Classes {
		for i, metric := range []string{"ttft", "tbt"} {
			name := fmt.Sprintf("slo-%s-%s", metric, cl)
			if !o.set[name] {
				continue
			}
			v := o.sloMs[cl][i]
			if !(v >= 0 && v <= 1e9) {
				return cfg, fmt.Errorf("%s: %g is not valid (milliseconds, 0 for no target)", name, v)
			}
			d := time.Duration(v * float64(time.Millisecond))
			if i == 0 {
				cfg.SLO[cl].TTFT = d
			} else {
				cfg.SLO[cl].TBT = d
			}
		}
	}
	return cfg, nil
}

func setCPUKV(cfg *sim.Config, gb float64) error {
	if !(gb >= 0 && gb <= 1e6) {
		return fmt.Errorf("cpu-kv-gb: %g is not valid (GB of CPU memory, 0 for no limit)", gb)
	}
	cfg.CPUKVBytes = int64(gb * sim.GB)
	return nil
}

func (o *options) loadTrace(cfg *sim.Config) func() error {
	return func() error {
		f, err := os.Open(o.trace)
		if err != nil {
			return fmt.Errorf("trace: %v", err)
		}
		defer f.Close()
		specs, err := sim.ParseTrace(f)
		if err != nil {
			return fmt.Errorf("%s: %v", o.trace, err)
		}
		cfg.Trace, cfg.TraceName = specs, o.trace
		return nil
	}
}

func writeList(w io.Writer) {
	section := func(title string) { fmt.Fprintf(w, "\n%s\n", title) }
	item := func(id, desc string) { fmt.Fprintf(w, "  %-14s %s\n", id, desc) }
	fmt.Fprint(w, "Presets and policies (use the IDs with the flags of the same name).\n")
	section("Scenarios (-scenario):")
	for _, s := range sim.Scenarios() {
		item(s.ID, fmt.Sprintf("%s: %s [%s, %s, %s]", s.Title, s.Description, s.Model, s.GPU, s.Precision))
	}
	section("Models (-model):")
	for _, m := range sim.Models() {
		item(m.ID, fmt.Sprintf("%s: %d layers, %d KV heads × %d dim, %.1fB params, KV %s per token",
			m.Name, m.Layers, m.KVHeads, m.HeadDim, m.Params/1e9, sim.FormatKiB(m.KVBytesPerToken())))
	}
	section("GPUs (-gpu):")
	for _, g := range sim.GPUs() {
		item(g.ID, fmt.Sprintf("%s: %s VRAM, %s/s memory, %.0f TFLOP/s FP16, %s at %s/s one way, %s at %s/s; MFU %.2f, MBU %.2f, %s per iteration",
			g.Name, sim.FormatBytes(g.VRAM), sim.FormatBytes(int64(g.MemBW)), g.FP16FLOPS/1e12, g.Link, sim.FormatBytes(g.PCIeBW),
			g.P2PLink, sim.FormatBytes(int64(g.P2PBW)), g.MFU, g.MBU, g.Overhead))
	}
	section("Weight precisions (-precision):")
	for _, p := range sim.Precisions() {
		item(p.ID, p.Description)
	}
	section("Scheduling policies (-scheduler):")
	for _, p := range sim.Policies() {
		item(p.Name, p.Description)
	}
	section("Timing models (-timing):")
	for _, t := range sim.Timings() {
		item(t.Name, t.Description)
	}
	fmt.Fprintln(w, "\nSizes are decimal: 1 GB = 10^9 bytes.")
}
