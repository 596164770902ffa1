package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"inferplay/duel"
	"inferplay/sim"
)

// comparePolicies parses -compare: a comma-separated list of policies, or
// "all".
func comparePolicies(list string) ([]string, error) {
	if list == "all" {
		var names []string
		for _, p := range sim.Policies() {
			names = append(names, p.Name)
		}
		return names, nil
	}
	var names []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if _, err := sim.LookupPolicy(name); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		names = append(names, name)
	}
	return names, nil
}

// compareRun is one row of a comparison: its label and its configuration.
type compareRun struct {
	label  string
	cfg    sim.Config
	layout *layout // the cluster it runs on, or nil for one engine
}

// compareRuns reads -compare for a run: policies (or "all"), or settings
// as key=value, each a row over cfg (-compare prefix-caching=off,prefix-caching=on
// or gpu=h100,gpu=a100), as a duel's sides are.
//
// Every row runs on base when it is a cluster, and a row may name its own
// (replicas=4, pd=2:2; see layouts.go).
func compareRuns(cfg sim.Config, list string, base *layout) ([]compareRun, error) {
	shared := base
	if !base.clustered() {
		shared = nil
	}
	if !strings.Contains(list, "=") {
		names, err := comparePolicies(list)
		if err != nil {
			return nil, err
		}
		runs := make([]compareRun, len(names))
		for i, n := range names {
			runs[i] = compareRun{n, cfg, shared}
			runs[i].cfg.Scheduler = n
		}
		return runs, nil
	}
	var runs []compareRun
	for _, side := range strings.Split(list, ",") {
		c := cfg
		if base != nil {
			l, ok, err := layoutSide(side, *base)
			if err != nil {
				return nil, err
			}
			if ok {
				runs = append(runs, compareRun{strings.TrimSpace(side), c, &l})
				continue
			}
		}
		if err := duel.Apply(&c, side); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		runs = append(runs, compareRun{strings.TrimSpace(side), c, shared})
	}
	return runs, nil
}

// column is one metric of the comparison table.
type column struct {
	title string
	value func(res rowResult) (v float64, ok bool)
	unit  unit
}

// unit formats a column's numbers: a value with its unit, and bare numbers
// in the same unit for a range.
type unit int

const (
	msUnit      unit = iota // milliseconds, shown in seconds from 10 s up
	countUnit               // a plain number
	secUnit                 // milliseconds shown as seconds
	percentUnit             // a percentage
)

// format prints v in the unit chosen for the largest value of the cell,
// with the unit's name when named is set.
func (u unit) format(v, largest float64, named bool) string {
	num, name := fmt.Sprintf("%.0f", v), ""
	switch {
	case u == secUnit || (u == msUnit && largest >= 10000):
		num, name = fmt.Sprintf("%.1f", v/1000), " s"
	case u == msUnit:
		name = " ms"
	case u == percentUnit:
		name = "%"
	}
	if named {
		return num + name
	}
	return num
}

var compareColumns = func() []column {
	return []column{
		{"chat TTFT p50", class(sim.Interactive, func(s sim.Summary) float64 { return s.TTFT.P50 }), msUnit},
		{"chat TTFT p99", class(sim.Interactive, func(s sim.Summary) float64 { return s.TTFT.P99 }), msUnit},
		{"batch TTFT p50", class(sim.Batch, func(s sim.Summary) float64 { return s.TTFT.P50 }), msUnit},
		{"batch TTFT p99", class(sim.Batch, func(s sim.Summary) float64 { return s.TTFT.P99 }), msUnit},
		{"TBT p50", all(func(s sim.Summary) float64 { return s.TBT.P50 }), msUnit},
		{"E2E p99", all(func(s sim.Summary) float64 { return s.E2E.P99 }), msUnit},
		{"tok/s", all(func(s sim.Summary) float64 { return s.Throughput }), countUnit},
		{"evictions", all(func(s sim.Summary) float64 { return float64(s.Evictions) }), countUnit},
		{"drops", all(func(s sim.Summary) float64 { return float64(s.Drops) }), countUnit},
		{"in SLO", all(func(s sim.Summary) float64 { return s.SLOAttainment * 100 }), percentUnit},
		{"simulated", all(func(s sim.Summary) float64 { return s.SimMs }), secUnit},
	}
}()

// layoutColumns compare clusters: the first token, the gaps between the
// next ones, and how many requests met each target, and both.
var layoutColumns = []column{
	{"chat TTFT p50", class(sim.Interactive, func(s sim.Summary) float64 { return s.TTFT.P50 }), msUnit},
	{"chat TTFT p99", class(sim.Interactive, func(s sim.Summary) float64 { return s.TTFT.P99 }), msUnit},
	{"TBT p50", all(func(s sim.Summary) float64 { return s.TBT.P50 }), msUnit},
	{"TBT p99", all(func(s sim.Summary) float64 { return s.TBT.P99 }), msUnit},
	{"E2E p99", all(func(s sim.Summary) float64 { return s.E2E.P99 }), msUnit},
	{"tok/s", all(func(s sim.Summary) float64 { return s.Throughput }), countUnit},
	{"KV wait", all(func(s sim.Summary) float64 { return s.KVTransfer.Mean }), msUnit},
	{"TTFT met", func(r rowResult) (float64, bool) { return r.ttftMet * 100, r.Summary.Requests > 0 }, percentUnit},
	{"TBT met", func(r rowResult) (float64, bool) { return r.tbtMet * 100, r.Summary.Requests > 0 }, percentUnit},
	{"in SLO", all(func(s sim.Summary) float64 { return s.SLOAttainment * 100 }), percentUnit},
}

// class is a column of one class's summary, shown when some of it completed.
func class(c sim.Class, pick func(sim.Summary) float64) func(rowResult) (float64, bool) {
	return func(r rowResult) (float64, bool) { s := r.Classes[c]; return pick(s), s.Completed > 0 }
}

// all is a column of the whole run's summary.
func all(pick func(sim.Summary) float64) func(rowResult) (float64, bool) {
	return func(r rowResult) (float64, bool) { return pick(r.Summary), r.Summary.Completed > 0 }
}

// cacheColumn is the prefix cache's hit rate, a column when some row's run
// took prompt tokens from the cache.
var cacheColumn = column{"cached", func(r rowResult) (float64, bool) {
	return r.Summary.CacheHitRate * 100, r.Summary.Requests > 0
}, percentUnit}

// columnsFor are the columns of a comparison of these results.
func columnsFor(runs []compareRun, results [][]rowResult) []column {
	base := compareColumns
	for _, r := range runs {
		if r.layout != nil {
			base = layoutColumns
		}
	}
	for _, runs := range results {
		for _, r := range runs {
			if r.Summary.CachedPromptTokens > 0 {
				return append(slices.Clip(base), cacheColumn)
			}
		}
	}
	return base
}

// runCompare runs the same configuration under each policy, for `seeds`
// consecutive seeds from cfg.Seed, and prints one row per policy: only the
// policy differs between rows. Over several seeds a cell shows the mean and,
// in brackets, the lowest and highest value seen.
func runCompare(w io.Writer, format string, cfg sim.Config, runs []compareRun, seeds int) error {
	results := make([][]rowResult, len(runs))
	var docs []jsonReport
	var names []string
	policies := true // every row differs by its scheduler only
	for _, r := range runs {
		names = append(names, r.label)
		policies = policies && r.label == r.cfg.Scheduler
	}
	for i, run := range runs {
		for s := range seeds {
			c := run.cfg
			c.Seed = cfg.Seed + uint64(s)
			if run.layout != nil {
				row, err := run.layout.run(c)
				if err != nil {
					return err
				}
				results[i] = append(results[i], row)
				if format == "json" {
					docs = append(docs, reportOfResult(c, row.Result))
				}
				continue
			}
			e, err := sim.New(c, sim.WithoutBlockMap())
			if err != nil {
				return err
			}
			e.Run()
			results[i] = append(results[i], resultOf(e.Result(), []*sim.Engine{e}))
			if format == "json" {
				docs = append(docs, reportOf(e))
			}
		}
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	}
	if policies {
		cfg.Scheduler = strings.Join(names, ", ")
	}
	writeHeader(w, cfg)
	if layouts := layoutsOf(runs); layouts != "" {
		fmt.Fprintln(w, layouts)
	}
	if seeds > 1 {
		fmt.Fprintf(w, "Seeds %d to %d: each cell is the mean (lowest–highest) over %d runs.\n", cfg.Seed, cfg.Seed+uint64(seeds)-1, seeds)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if policies {
		fmt.Fprint(tw, "scheduler\t")
	} else {
		fmt.Fprint(tw, "run\t")
	}
	columns := columnsFor(runs, results)
	for _, col := range columns {
		fmt.Fprintf(tw, "%s\t", col.title)
	}
	fmt.Fprintln(tw)
	for i, name := range names {
		fmt.Fprintf(tw, "%s\t", name)
		for _, col := range columns {
			fmt.Fprintf(tw, "%s\t", cell(col, results[i]))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	same := "Same workload and seed in every row"
	if seeds > 1 {
		same = "Same workloads in every row"
	}
	cached := ""
	if columns[len(columns)-1].title == cacheColumn.title {
		cached = `; "cached" is the share of prompt tokens taken from the prefix cache`
	}
	if columns[0].title == layoutColumns[0].title && columns[1].title == layoutColumns[1].title && len(columns) >= len(layoutColumns) {
		cached += `; "KV wait" is from a prompt's end to its KV landing on a decode replica, and "TTFT met" and "TBT met" the requests within each target alone`
	}
	fmt.Fprintf(w, "\n\"chat\" is the interactive class%s. %s; percentiles are nearest-rank.\n", cached, same)
	return nil
}

// layoutsOf says which clusters the rows run on, if any.
func layoutsOf(runs []compareRun) string {
	var parts []string
	for _, r := range runs {
		if r.layout != nil {
			parts = append(parts, r.label+": "+r.layout.String())
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Clusters: " + strings.Join(parts, "; ")
}

// cell summarizes one metric over the runs of one policy.
func cell(col column, runs []rowResult) string {
	var vals []float64
	for _, r := range runs {
		if v, ok := col.value(r); ok {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return "–"
	}
	lo, hi := slices.Min(vals), slices.Max(vals)
	if len(runs) == 1 {
		return col.unit.format(vals[0], hi, true)
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	return fmt.Sprintf("%s (%s–%s)", col.unit.format(sum/float64(len(vals)), hi, true),
		col.unit.format(lo, hi, false), col.unit.format(hi, hi, false))
}
