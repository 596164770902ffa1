package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"inferplay/sim"
	"inferplay/sweep"
	"inferplay/sweep/chart"
)

// sweepRequests is a closed loop's workload at each point unless
// -requests says otherwise.
const sweepRequests = 1000

// sweepOptions are the sweep subcommand's own flags.
type sweepOptions struct {
	vary, out                string
	target, forRate, windowS float64
	jobs                     int
}

func (s *sweepOptions) define(fs *flagSet) {
	fs.StringVar(&s.vary, "vary", "", "the knob and its values: rate, clients, max-batch-tokens, tp or gpu, e.g. rate=1,2,4,8 or rate=1..20/20 (20 points from 1 to 20)")
	fs.StringVar(&s.out, "out", "", "directory to write sweep.csv and the charts into, as PNG and SVG (created if missing)")
	fs.realVar(&s.target, "slo-target", 0.9, "SLO attainment the capacity at SLO must keep, a fraction", "a fraction above 0", 1e-9, 1)
	fs.realVar(&s.forRate, "for-rate", 0, "arrivals per second to size GPUs for, from each policy's capacity at SLO (a rate sweep)", "arrivals per second", sim.MinRate, 1e9)
	fs.realVar(&s.windowS, "window-s", 60, "open loop: each point sends what its rate brings in this many simulated seconds (unless -requests fixes a count)", "seconds", 1, 86_400)
	fs.wholeVar(&s.jobs, "jobs", 0, "simulations at once (0: one per core); the results do not depend on it", "a whole number", 0, 4096)
}

// check refuses the run flags that make no sense in a sweep.
func (s *sweepOptions) check(o *options) error {
	if s.vary == "" {
		return fmt.Errorf("vary: missing: name the knob and its values, e.g. -vary rate=1,2,4,8")
	}
	for _, f := range []string{"requests-out", "events-out", "series-out", "max-ticks", "format"} {
		if o.set[f] {
			return fmt.Errorf("%s: not for a sweep, which writes sweep.csv and charts with -out", f)
		}
	}
	if o.set["out"] && s.out == "" {
		return fmt.Errorf("out: \"\" is not valid (a directory to write into)")
	}
	return nil
}

const sweepUsageHead = `infersim sweep runs one configuration over a range of one setting, for one or
more schedulers and seeds, on every core, and writes a CSV and charts.

Usage:
  infersim sweep -vary knob=values [flags]

Examples:
  infersim sweep -scenario chatbot -timing roofline -vary rate=1..20/20 -compare fcfs,srpt -seeds 3 -out sweep
  infersim sweep -vary rate=2,4,8,16 -compare all -for-rate 40        # GPUs for 40 arrivals/s
  infersim sweep -clients 8 -think-ms 2000 -vary clients=8..64/8      # the closed loop
  infersim sweep -timing roofline -vary gpu=h100,a100,h200            # one GPU against another

Flags:
`

const sweepUsageTail = `
Output:
  A table per scheduler (means over seeds), then each scheduler's capacity
  at SLO for a rate or clients sweep: the most load whose SLO attainment,
  the mean over seeds, stays at -slo-target, found by bisection between the
  swept values. With -out, DIR/sweep.csv has a row per value, scheduler and
  seed, and DIR/{ttft,tbt,slo,goodput,ttft-throughput}.{png,svg} the charts.
  An open-loop point sends what its rate brings in -window-s (60 s), a
  closed loop 1,000 requests, unless -requests fixes a count: a scenario's
  own few requests are a demonstration, all in before a queue builds up,
  and would make a rate beyond capacity look served.
  Same flags, same files, on any machine and any number of cores.

Exit status: 0 on success, 2 on a bad flag, configuration or output.
`

// runSweep is the sweep subcommand.
func runSweep(args []string, out, stderr io.Writer) int {
	opts, err := parseCommand(args, out, true)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "infersim sweep: %v\n", err)
		return exitUsage
	}
	plan, err := opts.sweepPlan()
	if err != nil {
		fmt.Fprintf(stderr, "infersim sweep: %v\n", err)
		return exitUsage
	}
	if err := plan.Check(); err != nil {
		fmt.Fprintf(stderr, "infersim sweep: %v\n", err)
		return exitUsage
	}
	s := opts.sweep
	if s.forRate > 0 && plan.Knob.Name != "rate" {
		fmt.Fprintf(stderr, "infersim sweep: for-rate: sizes GPUs from a capacity in arrivals per second; vary rate\n")
		return exitUsage
	}
	started := time.Now()
	runs, err := sweep.Execute(plan, s.jobs)
	if err != nil {
		fmt.Fprintf(stderr, "infersim sweep: %v\n", err)
		return exitUsage
	}
	curves := sweep.Curves(plan, runs)
	var caps []sweep.Capacity
	capErr := error(nil)
	if plan.Knob.Load {
		caps, capErr = sweep.FindCapacity(plan, curves, s.target, s.jobs)
	}
	writeSweepTables(out, plan, curves)
	added := 0
	switch {
	case capErr != nil:
		fmt.Fprintf(out, "\nNo capacity at SLO: %v.\n", capErr)
	case caps != nil:
		added = writeCapacities(out, plan, caps, s)
	}
	for _, r := range runs {
		if r.Stuck != "" {
			fmt.Fprintf(out, "\n%s=%s, %s, seed %d stopped early: %s\n", plan.Knob.Name, r.Value.Text, r.Policy, r.Seed, r.Stuck)
		}
	}
	if s.out != "" {
		files, err := writeSweepFiles(s.out, plan, runs, curves, caps, s.target)
		if err != nil {
			fmt.Fprintf(stderr, "infersim sweep: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(out, "\nWrote %s.\n", strings.Join(files, ", "))
	}
	fmt.Fprintf(stderr, "infersim sweep: %d simulations in %.1f s on %d cores\n",
		len(runs)+added, time.Since(started).Seconds(), sweep.Workers(s.jobs))
	return exitOK
}

// sweepPlan builds the plan from the flags: the configuration as a run
// would have it, the knob, and the schedulers.
func (o *options) sweepPlan() (sweep.Plan, error) {
	cfg, err := o.config()
	if err != nil {
		return sweep.Plan{}, err
	}
	knob, values, err := sweep.ParseVary(o.sweep.vary)
	if err != nil {
		return sweep.Plan{}, err
	}
	// -clients may come with -vary clients: it makes the base a closed
	// loop (which -think-ms needs), and the sweep sets its count.
	if o.set[knob.Name] && knob.Name != "clients" {
		return sweep.Plan{}, fmt.Errorf("%s: also given by -vary, which sets it at every point", knob.Name)
	}
	names := []string{cfg.Scheduler}
	if o.compare != "" {
		if names, err = comparePolicies(o.compare); err != nil {
			return sweep.Plan{}, err
		}
	}
	window := time.Duration(0)
	if !o.set["requests"] && cfg.Trace == nil {
		// A scenario's few requests make a demonstration, not a load: at
		// a high rate they would all be in before a queue built up. An
		// open loop sends what its rate brings in the window; a closed
		// loop, whose clients hold back when answers are slow, a count.
		window = time.Duration(o.sweep.windowS * float64(time.Second))
		cfg.Workload.Requests = sweepRequests
	}
	if o.seeds > 1 && cfg.Trace != nil {
		return sweep.Plan{}, fmt.Errorf("seeds: a trace fixes every request, so every seed would give the same run")
	}
	return sweep.Plan{Base: cfg, Knob: knob, Values: values, Policies: names, Seeds: o.seeds, Window: window}, nil
}

// writeSweepTables prints, per scheduler, the means over seeds at each
// value.
func writeSweepTables(w io.Writer, p sweep.Plan, curves []sweep.Curve) {
	seeds := ""
	if p.Seeds > 1 {
		seeds = fmt.Sprintf(", means over %d seeds", p.Seeds)
	}
	cols := []struct {
		title string
		m     sweep.Metric
		scale float64
		unit  string
	}{
		{"TTFT p50", sweep.TTFTP50, 1, "ms"}, {"TTFT p99", sweep.TTFTP99, 1, "ms"},
		{"TBT p99", sweep.TBTP99, 1, "ms"}, {"E2E p50", sweep.E2EP50, 1, "ms"},
		{"tok/s", sweep.Throughput, 1, ""}, {"SLO met", sweep.Attainment, 100, "%"},
		{"goodput", sweep.Goodput, 1, "/s"}, {"preempt", sweep.Preemptions, 1, ""},
	}
	for i, c := range curves {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s, varying %s%s:\n", c.Policy, p.Knob.Name, seeds)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\t", p.Knob.Name)
		for _, col := range cols {
			fmt.Fprintf(tw, "%s\t", col.title)
		}
		fmt.Fprintln(tw)
		for _, pt := range c.Points {
			fmt.Fprintf(tw, "%s\t", pt.Value.Text)
			for _, col := range cols {
				fmt.Fprintf(tw, "%s\t", formatStat(pt.Stat(col.m).Mean*col.scale, col.unit))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
}

func formatStat(x float64, unit string) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case unit == "ms" && x >= 10_000:
		return fmt.Sprintf("%.1f s", x/1000)
	case unit == "ms":
		return fmt.Sprintf("%.0f ms", x)
	case unit == "%":
		return fmt.Sprintf("%.1f%%", x)
	case x >= 100:
		return fmt.Sprintf("%.0f%s", x, unit)
	}
	return fmt.Sprintf("%.2f%s", x, unit)
}

// writeCapacities prints each scheduler's capacity at SLO and, with
// -for-rate, the GPUs that rate needs. It returns the simulations the
// search added.
func writeCapacities(w io.Writer, p sweep.Plan, caps []sweep.Capacity, s *sweepOptions) int {
	unit := "arrivals/s"
	if p.Knob.Name == "clients" {
		unit = "clients"
	}
	fmt.Fprintf(w, "\nCapacity at SLO: the most %s with SLO attainment at least %g%%%s:\n", unit, 100*s.target, seedNote(p.Seeds))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "scheduler\tcapacity\t"
	if s.forRate > 0 {
		head += fmt.Sprintf("GPUs for %g arrivals/s\t", s.forRate)
	}
	fmt.Fprintln(tw, head)
	added := 0
	for _, c := range caps {
		added += c.Runs
		var text string
		switch {
		case !c.Met:
			text = fmt.Sprintf("below %s (the least swept missed)", formatLoad(c.Limit, p.Knob))
		case !c.Missed:
			text = fmt.Sprintf("at least %s (the most swept met it)", formatLoad(c.Load, p.Knob))
		default:
			text = fmt.Sprintf("%s (%s misses)", formatLoad(c.Load, p.Knob), formatLoad(c.Limit, p.Knob))
		}
		row := c.Policy + "\t" + text + "\t"
		if s.forRate > 0 {
			n, bound := c.Replicas(s.forRate)
			tp := p.Base.GPUs()
			gpus := fmt.Sprintf("%d", n*tp)
			if tp > 1 {
				gpus = fmt.Sprintf("%d × TP%d = %d", n, tp, n*tp)
			}
			if bound != "" {
				gpus = bound + " " + gpus
			}
			row += gpus + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
	if s.forRate > 0 {
		fmt.Fprintln(w, "(GPUs: copies of this setup at capacity, the load split evenly between them.)")
	}
	return added
}

func seedNote(seeds int) string {
	if seeds > 1 {
		return fmt.Sprintf(" (mean over %d seeds)", seeds)
	}
	return ""
}

func formatLoad(x float64, k sweep.Knob) string {
	if k.Whole {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.3g/s", x)
}

// writeSweepFiles writes the CSV and every chart into dir and returns the
// files' names.
func writeSweepFiles(dir string, p sweep.Plan, runs []sweep.Run, curves []sweep.Curve, caps []sweep.Capacity, target float64) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("out: %v", fileError(err))
	}
	var files []string
	write := func(name string, to func(io.Writer) error) error {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("out: %v", fileError(err))
		}
		b := bufio.NewWriter(f)
		err = to(b)
		if err == nil {
			err = b.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("out: %s: %v", path, fileError(err))
		}
		files = append(files, path)
		return nil
	}
	if err := write("sweep.csv", func(w io.Writer) error { return sweep.WriteCSV(w, p, runs) }); err != nil {
		return nil, err
	}
	charts, err := chart.Charts(p, curves, caps, target)
	if err != nil {
		return nil, err
	}
	for _, c := range charts {
		if err := write(c.Name+".png", c.WritePNG); err != nil {
			return nil, err
		}
		if err := write(c.Name+".svg", c.WriteSVG); err != nil {
			return nil, err
		}
	}
	return files, nil
}
