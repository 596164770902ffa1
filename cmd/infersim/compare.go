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
	label string
	cfg   sim.Config
}

// compareRuns reads -compare for a run: policies (or "all"), or settings
// as key=value, each a row over cfg (-compare prefix-caching=off,prefix-caching=on
// or gpu=h100,gpu=a100), as a duel's sides are.
func compareRuns(cfg sim.Config, list string) ([]compareRun, error) {
	if !strings.Contains(list, "=") {
		names, err := comparePolicies(list)
		if err != nil {
			return nil, err
		}
		runs := make([]compareRun, len(names))
		for i, n := range names {
			runs[i] = compareRun{n, cfg}
			runs[i].cfg.Scheduler = n
		}
		return runs, nil
	}
	var runs []compareRun
	for _, side := range strings.Split(list, ",") {
		c := cfg
		if err := duel.Apply(&c, side); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		runs = append(runs, compareRun{strings.TrimSpace(side), c})
	}
	return runs, nil
}

// column is one metric of the comparison table.
type column struct {
	title string
	value func(res sim.Result) (v float64, ok bool)
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
	class := func(c sim.Class, pick func(sim.Summary) float64) func(sim.Result) (float64, bool) {
		return func(r sim.Result) (float64, bool) { s := r.Classes[c]; return pick(s), s.Completed > 0 }
	}
	all := func(pick func(sim.Summary) float64) func(sim.Result) (float64, bool) {
		return func(r sim.Result) (float64, bool) { return pick(r.Summary), r.Summary.Completed > 0 }
	}
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

// cacheColumn is the prefix cache's hit rate, a column when some row's run
// took prompt tokens from the cache.
var cacheColumn = column{"cached", func(r sim.Result) (float64, bool) {
	return r.Summary.CacheHitRate * 100, r.Summary.Requests > 0
}, percentUnit}

// columnsFor are the columns of a comparison of these results.
func columnsFor(results [][]sim.Result) []column {
	for _, runs := range results {
		for _, r := range runs {
			if r.Summary.CachedPromptTokens > 0 {
				return append(slices.Clip(compareColumns), cacheColumn)
			}
		}
	}
	return compareColumns
}

// runCompare runs the same configuration under each policy, for `seeds`
// consecutive seeds from cfg.Seed, and prints one row per policy: only the
// policy differs between rows. Over several seeds a cell shows the mean and,
// in brackets, the lowest and highest value seen.
func runCompare(w io.Writer, format string, cfg sim.Config, runs []compareRun, seeds int) error {
	results := make([][]sim.Result, len(runs))
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
			e, err := sim.New(c, sim.WithoutBlockMap())
			if err != nil {
				return err
			}
			e.Run()
			results[i] = append(results[i], e.Result())
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
	columns := columnsFor(results)
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
	if len(columns) > len(compareColumns) {
		cached = `; "cached" is the share of prompt tokens taken from the prefix cache`
	}
	fmt.Fprintf(w, "\n\"chat\" is the interactive class%s. %s; percentiles are nearest-rank.\n", cached, same)
	return nil
}

// cell summarizes one metric over the runs of one policy.
func cell(col column, runs []sim.Result) string {
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
