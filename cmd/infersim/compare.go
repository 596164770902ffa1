package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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

// runCompare runs the same configuration under each policy and prints one
// row per policy, so that only the policy differs between rows.
func runCompare(w io.Writer, format string, cfg sim.Config, names []string) error {
	engines := make([]*sim.Engine, len(names))
	for i, name := range names {
		cfg.Scheduler = name
		e, err := sim.New(cfg)
		if err != nil {
			return err
		}
		e.Run()
		engines[i] = e
	}
	if format == "json" {
		docs := make([]jsonReport, len(engines))
		for i, e := range engines {
			docs[i] = reportOf(e)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	}
	cfg.Scheduler = strings.Join(names, ", ")
	writeHeader(w, cfg)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scheduler\tchat TTFT p50\tchat TTFT p99\tbatch TTFT p50\tbatch TTFT p99\tTBT p50\tE2E p99\ttok/s\tevictions\tdrops\tsimulated\t")
	for i, e := range engines {
		res := e.Result()
		in, b, all := res.Classes[sim.Interactive], res.Classes[sim.Batch], res.Summary
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%d\t%d\t%.1f s\t\n", names[i],
			msec(in, in.TTFT.P50), msec(in, in.TTFT.P99), msec(b, b.TTFT.P50), msec(b, b.TTFT.P99),
			msec(all, all.TBT.P50), msec(all, all.E2E.P99), all.Throughput, all.Evictions, all.Drops, all.SimMs/1000)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n\"chat\" is the interactive class. Same workload and seed in every row; percentiles are nearest-rank.")
	return nil
}
