package main

import (
	"errors"
	"flag"
	"fmt"
	"inferplay/cluster"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"inferplay/sim"
)

type options struct {
	scenario, scenarioFile, pattern                           string
	presets                                                   sim.Overrides // the settings shared with the visual simulator
	requests, blockSize, maxTicks, seeds                      int
	rate, interactiveShare                                    float64
	cluster                                                   clusterFlags
	trace, requestsOut, eventsOut, seriesOut, format, compare string
	list                                                      bool
	serving
	sweep *sweepOptions // the sweep subcommand's own flags; nil for a run
	shape shapeFlags
	set   map[string]bool // flags given on the command line
}

// clusterFlags are the flags of replicas behind a router.
type clusterFlags struct {
	replicas      int
	router        string
	routerDelayMs float64
	// prefill and decode are -pd's replicas: prompts on the first,
	// tokens on the second; interconnect links them.
	prefill, decode int
	interconnect    string
}

// serving holds the flags for batching, the CPU memory for swapped KV and
// SLOs.
type serving struct {
	maxBatchTokens, maxRunning int
	chunkedPrefill             bool
	prefixCaching              string
	cpuKVGB                    float64
	sloMs                      [2][2]float64 // [class][TTFT, TBT]
}

const usageHead = `infersim runs an Inference Playground simulation headless and prints its metrics.

A run starts from a scenario; every other flag overrides one of its settings.
Same flags and seed, same numbers, on every machine.

Usage:
  infersim [flags]
  infersim sweep -vary knob=values [flags]

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
  infersim sweep -vary rate=5..100/20 -compare all -out DIR   # over a range, with charts (infersim sweep -h)

Flags:
`

func parseFlags(args []string, stdout io.Writer) (*options, error) {
	return parseCommand(args, stdout, false)
}

// parseCommand reads a run's flags, or with sweep the sweep subcommand's:
// the same flags for the configuration, and its own for what to vary.
func parseCommand(args []string, stdout io.Writer, sweep bool) (*options, error) {
	o := &options{set: map[string]bool{}}
	name, head, tail := "infersim", usageHead, usageTail
	if sweep {
		o.sweep = &sweepOptions{}
		name, head, tail = "infersim sweep", sweepUsageHead, sweepUsageTail
	}
	fs := newFlagSet(name)
	if sweep {
		o.sweep.define(fs)
	}
	fs.StringVar(&o.scenario, "scenario", sim.DefaultScenario, "scenario to start from (see -list)")
	fs.StringVar(&o.scenarioFile, "scenario-file", "", "scenario file of one's own to start from instead (key = value lines, as in the README)")
	o.presets.Define(fs.FlagSet) // model, gpu, precision, scheduler, timing, seed, preemption, tp
	fs.wholeVar(&o.requests, "requests", 0, "number of requests, overriding the scenario's", "a whole number", 1, sim.MaxRequests)
	fs.realVar(&o.rate, "rate", 0, "mean arrivals per second, overriding the scenario's", "arrivals per second", sim.MinRate, sim.MaxRate)
	fs.realVar(&o.interactiveShare, "interactive-share", 0, "fraction of interactive requests, 0 to 1", "a fraction", 0, 1)
	fs.StringVar(&o.pattern, "pattern", "", "arrival pattern: poisson, gamma, fixed (also called constant) or burst")
	o.shape.define(fs) // arrival-cv and the classes' token counts
	fs.wholeVar(&o.blockSize, "block-size", sim.DefaultBlockSize, "tokens per KV block (1 reproduces the classic model token for token)",
		"tokens per KV block, a whole number", 1, sim.MaxBlockSize)
	fs.StringVar(&o.trace, "trace", "", "CSV trace to replay instead of the generated workload (columns: arrival_ms or arrival_tick, input_tokens, output_tokens[, class])")
	fs.StringVar(&o.requestsOut, "requests-out", "", "write one CSV row per request to this file; its first columns replay as a trace")
	fs.StringVar(&o.eventsOut, "events-out", "", "write every engine event, one per line, to this file")
	fs.StringVar(&o.seriesOut, "series-out", "", "write one CSV row per tick (queue lengths, KV blocks held, tokens, evictions) to this file")
	fs.StringVar(&o.format, "format", "table", "output format: table or json")
	fs.wholeVar(&o.maxTicks, "max-ticks", 0, "stop after this many ticks (0: run until every request is finished)",
		"ticks (0: no limit), a whole number", 0, math.MaxInt)
	fs.StringVar(&o.compare, "compare", "", "run the same workload under several schedulers, comma-separated or \"all\", and print a row per scheduler")
	fs.wholeVar(&o.seeds, "seeds", 1, "run this many consecutive seeds from -seed and print each metric's mean and range (a JSON document per run with -format json)",
		"runs per scheduler, a whole number", 1, maxSeeds)
	fs.boolVar(&o.list, "list", false, "list scenarios, models, GPUs, precisions, policies and timing models")
	fs.wholeVar(&o.maxBatchTokens, "max-batch-tokens", sim.DefaultMaxBatchTokens, "roofline: tokens per iteration, prompt chunks plus one per decode",
		"tokens per iteration, a whole number", 1, sim.MaxBatchTokensLimit)
	fs.wholeVar(&o.maxRunning, "max-running", sim.DefaultMaxRunning, "roofline: most requests in one iteration",
		"requests per iteration, a whole number", 1, sim.MaxRunningLimit)
	fs.boolVar(&o.chunkedPrefill, "chunked-prefill", true, "roofline: split long prompts to share iterations with decodes (false: a prompt runs whole)")
	fs.wholeVar(&o.cluster.replicas, "replicas", 1, "serve the traffic with this many copies of the configured instance (each its own GPUs, VRAM, queue and policy) behind -router",
		"replicas, a whole number", 1, cluster.MaxReplicas)
	fs.StringVar(&o.cluster.router, "router", cluster.DefaultRouter, "with -replicas: which replica gets each request ("+routerNames()+"; infersim -list describes them)")
	fs.amountVar(&o.cluster.routerDelayMs, "router-delay-ms", 0, "with -replicas: how old, in ms, the router's view of the replicas' load may be (0: fresh at every arrival)",
		"milliseconds", "fresh", 1e-6, 3.6e6)
	fs.define("pd", "disaggregate: P replicas prefill every prompt and send its KV over -interconnect to D replicas that make its tokens, e.g. 2:2 (instead of -replicas)", "", "P:D",
		fmt.Sprintf("prefill:decode replicas, as 2:2, each at least 1 and %d in all at most", cluster.MaxReplicas), func(s string) bool {
			p, d, ok := cluster.ParsePD(s)
			if ok {
				o.cluster.prefill, o.cluster.decode = p, d
			}
			return ok
		})
	fs.StringVar(&o.cluster.interconnect, "interconnect", sim.DefaultInterconnect, "with -pd: the link from prefill to decode replicas ("+interconnectNames()+"; infersim -list describes them)")
	fs.StringVar(&o.prefixCaching, "prefix-caching", "on", "on or off: keep the KV of shared prompt prefixes (system prompts) and reuse it instead of prefilling it again")
	// The least amounts are a byte and a nanosecond: less would round to
	// 0, which means none. (A CPU limit below one KV block is meaningful:
	// nothing can be swapped, so every victim is recomputed.)
	fs.amountVar(&o.cpuKVGB, "cpu-kv-gb", 0, "CPU memory for swapped KV in GB (0: no limit); when full, victims are recomputed",
		"GB of CPU memory", "no limit", 1/sim.GB, maxCPUKVGB)
	for _, cl := range sim.Classes {
		for i, metric := range []string{"ttft", "tbt"} {
			fs.amountVar(&o.sloMs[cl][i], sloFlag(cl, i), 0,
				fmt.Sprintf("%s target for %s requests in ms, overriding the scenario's (0: none)", strings.ToUpper(metric), cl),
				"milliseconds", "no target", 1e-6, maxSLOMs)
		}
	}
	if err := fs.parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stdout, head)
			fs.printDefaults(stdout)
			fmt.Fprint(stdout, tail)
			return nil, err
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every setting is a flag (see infersim -h)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.format != "table" && o.format != "json" {
		return nil, fmt.Errorf("format: %q is not valid (valid: table, json)", o.format)
	}
	if o.set["compare"] && o.compare == "" {
		return nil, fmt.Errorf("compare: \"\" is not valid (schedulers, comma-separated, or all)")
	}
	if o.set["scenario-file"] && o.set["scenario"] {
		return nil, fmt.Errorf("scenario-file: cannot be combined with -scenario: both name the scenario to start from")
	}
	if o.set["compare"] && o.set["scheduler"] {
		return nil, fmt.Errorf("scheduler: cannot be combined with -compare, which names the schedulers")
	}
	if o.seeds > 1 && o.set["trace"] {
		return nil, fmt.Errorf("seeds: a trace fixes every request, so every seed would give the same run")
	}
	if sweep {
		return o, o.sweep.check(o)
	}
	if o.set["compare"] || o.seeds > 1 {
		several := "-compare"
		if !o.set["compare"] {
			several = "-seeds"
		}
		for _, f := range []string{"requests-out", "events-out", "series-out"} {
			if o.set[f] {
				return nil, fmt.Errorf("%s: writes one run, and %s makes several", f, several)
			}
		}
		if o.set["max-ticks"] {
			return nil, fmt.Errorf("max-ticks: cannot be combined with %s, which compares finished runs", several)
		}
	}
	if err := o.checkOutputs(); err != nil {
		return nil, err
	}
	return o, nil
}

// sloFlag names the flag of a class's TTFT (i 0) or TBT (i 1) target.
func sloFlag(cl sim.Class, i int) string {
	return fmt.Sprintf("slo-%s-%s", []string{"ttft", "tbt"}[i], cl)
}

// Bounds of the float flags: 1 PB of CPU memory (as the configuration
// allows), and SLO targets of up to about eleven days.
const (
	maxCPUKVGB = 1e6
	maxSLOMs   = 1e9
)

// checkOutputs refuses an output file named by no path, or by two flags:
// written twice at once, it would hold neither. Paths compare cleaned and
// absolute, so ./a.csv and a.csv are one file, and existing files compare
// as files, so links are too.
func (o *options) checkOutputs() error {
	outs := []struct{ flag, path string }{{"requests-out", o.requestsOut}, {"events-out", o.eventsOut}, {"series-out", o.seriesOut}}
	for i, a := range outs {
		if !o.set[a.flag] {
			continue
		}
		if a.path == "" {
			return fmt.Errorf("%s: \"\" is not valid (the path of a file to write)", a.flag)
		}
		for _, b := range outs[:i] {
			if o.set[b.flag] && sameFile(a.path, b.path) {
				return fmt.Errorf("%s: %q is the file -%s writes too; give each output a file of its own", a.flag, a.path, b.flag)
			}
		}
	}
	return nil
}

func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	infoA, errA := os.Stat(a)
	infoB, errB := os.Stat(b)
	// Only regular files: /dev/stdout and /dev/stderr are often one
	// terminal, and writing both there is fine.
	return errA == nil && errB == nil && infoA.Mode().IsRegular() && os.SameFile(infoA, infoB)
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
unfinished, 2 on a bad flag, configuration, trace or scenario file, or an
output (a file or the standard output) that cannot be written.
`

// config resolves the scenario and applies every flag that was given.
func (o *options) config() (sim.Config, error) {
	cfg, err := sim.ScenarioConfig(o.scenario)
	if o.set["scenario-file"] {
		var s sim.Scenario
		s, err = sim.LoadScenarioFile(o.scenarioFile)
		cfg = s.Config()
		var se *sim.ScenarioError
		if errors.As(err, &se) {
			// As file:line: (which editors follow), with a path that
			// needs it quoted.
			err = fmt.Errorf("%s: %s", location(se.File, se.Line), se.Msg)
		}
	}
	if err != nil {
		return cfg, err
	}
	if o.set["trace"] {
		for _, f := range append([]string{"requests", "rate", "interactive-share", "pattern"}, shapeFlagNames()...) {
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
		{"pattern", func() (err error) {
			if cfg.Workload.Pattern, err = sim.LookupPattern(o.pattern); err != nil {
				return fmt.Errorf("pattern: %q is not valid (poisson, gamma, fixed or constant, burst)", o.pattern)
			}
			if cfg.Workload.Pattern != sim.Gamma {
				cfg.Workload.ArrivalCV = 0 // a scenario's gamma CV does not carry over
			}
			return nil
		}},
		{"block-size", func() error { cfg.BlockSize = o.blockSize; return nil }},
		{"max-ticks", func() error { cfg.MaxTicks = o.maxTicks; return nil }},
		{"max-batch-tokens", func() error { cfg.MaxBatchTokens = o.maxBatchTokens; return nil }},
		{"max-running", func() error { cfg.MaxRunning = o.maxRunning; return nil }},
		{"chunked-prefill", func() error { cfg.WholePrompts = !o.chunkedPrefill; return nil }},
		{"prefix-caching", func() error {
			switch strings.TrimSpace(o.prefixCaching) {
			case "on", "true":
				cfg.NoPrefixCaching = false
			case "off", "false":
				cfg.NoPrefixCaching = true
			default:
				return fmt.Errorf("prefix-caching: %q is not valid (on or off)", o.prefixCaching)
			}
			return nil
		}},
		{"cpu-kv-gb", func() error { cfg.CPUKVBytes = int64(math.Round(o.cpuKVGB * sim.GB)); return nil }},
		{"trace", o.loadTrace(&cfg)},
	}
	for _, s := range steps {
		if o.set[s.flag] {
			if err := s.apply(); err != nil {
				return cfg, err
			}
		}
	}
	if err := o.shape.apply(&cfg, o.set); err != nil {
		return cfg, err
	}
	if b := cfg.BatcherInfo(); !b.Budgeted {
		for _, f := range []string{"max-batch-tokens", "max-running", "chunked-prefill"} {
			if !o.set[f] {
				continue
			}
			if cfg.Batcher == "" {
				return cfg, fmt.Errorf("%s: the %s timing model batches serially, a fixed batch (one 512-token prompt chunk per iteration); add -timing roofline or -batcher continuous", f, cfg.Timing)
			}
			return cfg, fmt.Errorf("%s: the %s batcher has a fixed batch (one 512-token prompt chunk per iteration); use -batcher continuous", f, b.Name)
		}
	}
	for _, cl := range sim.Classes {
		for i := range 2 {
			name := sloFlag(cl, i)
			if !o.set[name] {
				continue
			}
			// Rounded as a scenario file's targets are.
			d := time.Duration(math.Round(o.sloMs[cl][i] * float64(time.Millisecond)))
			if i == 0 {
				cfg.SLO[cl].TTFT = d
			} else {
				cfg.SLO[cl].TBT = d
			}
		}
	}
	return cfg, nil
}

func (o *options) loadTrace(cfg *sim.Config) func() error {
	return func() error {
		f, err := os.Open(o.trace)
		if err != nil {
			return fmt.Errorf("trace: %v", fileError(err))
		}
		defer f.Close()
		specs, err := sim.ParseTrace(f)
		var te *sim.TraceError
		if errors.As(err, &te) {
			return fmt.Errorf("%s: %v", location(o.trace, 0), te)
		}
		if err != nil {
			return fmt.Errorf("trace: %v", fileError(err)) // a read error
		}
		cfg.Trace, cfg.TraceName = specs, o.trace
		return nil
	}
}

func writeList(w io.Writer) {
	section := func(title string) { fmt.Fprintf(w, "\n%s\n", title) }
	item := func(id, desc string) { fmt.Fprintf(w, "  %-15s %s\n", id, desc) }
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
		item(g.ID, fmt.Sprintf("%s: %s VRAM, %s/s memory, %.0f TFLOP/s FP16, %s at %s/s one way, %s at %s/s; MFU %.2f (half at %.0f tokens), MBU %.2f, KV %.2f, %s per iteration, %s per layer when prefilling",
			g.Name, sim.FormatBytes(g.VRAM), sim.FormatBytes(int64(g.MemBW)), g.FP16FLOPS/1e12, g.Link, sim.FormatBytes(g.PCIeBW),
			g.P2PLink, sim.FormatBytes(int64(g.P2PBW)), g.MFU, g.MFUHalf, g.MBU, g.KVMBU, g.Overhead, g.EagerLayerCost))
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
	section("Batchers (-batcher):")
	for _, b := range sim.Batchers() {
		item(b.Name, b.Description)
	}
	section("Routers (-router, with -replicas):")
	for _, r := range cluster.Routers() {
		item(r.Name, r.Description)
	}
	section("Interconnects (-interconnect, with -pd):")
	for _, ic := range sim.Interconnects() {
		item(ic.Name, ic.Description)
	}
	fmt.Fprintln(w, "\nSizes are decimal: 1 GB = 10^9 bytes.")
}

// interconnectNames lists the interconnects' names.
func interconnectNames() string {
	var names []string
	for _, ic := range sim.Interconnects() {
		names = append(names, ic.Name)
	}
	return strings.Join(names, ", ")
}

// routerNames lists the routers' names.
func routerNames() string {
	var names []string
	for _, r := range cluster.Routers() {
		names = append(names, r.Name)
	}
	return strings.Join(names, ", ")
}
