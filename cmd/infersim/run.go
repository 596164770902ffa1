package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"inferplay/sim"
)

// Exit statuses.
const (
	exitOK         = 0
	exitUnfinished = 1 // stopped by -max-ticks with work left
	exitUsage      = 2 // bad flag, config or input file
)

// run is the whole command, with its streams handed in so tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if opts.list {
		writeList(stdout)
		return exitOK
	}
	cfg, err := opts.config()
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if opts.compare != "" || opts.seeds > 1 {
		names := []string{cfg.Scheduler}
		var err error
		if opts.compare != "" {
			names, err = comparePolicies(opts.compare)
		}
		if err == nil {
			err = runCompare(stdout, opts.format, cfg, names, opts.seeds)
		}
		if err != nil {
			fmt.Fprintf(stderr, "infersim: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	eng, err := sim.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if err := simulate(eng, opts.eventsOut, opts.seriesOut); err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if opts.requestsOut != "" {
		if err := writeFile(opts.requestsOut, eng.WriteRequests); err != nil {
			fmt.Fprintf(stderr, "infersim: -requests-out: %v\n", err)
			return exitUsage
		}
	}
	if err := writeReport(stdout, opts.format, eng); err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if why := eng.Stuck(); why != "" {
		fmt.Fprintf(stderr, "infersim: the run could not go on (%s): %s\n", why, unfinished(eng))
		return exitUnfinished
	}
	if !eng.Done() {
		fmt.Fprintf(stderr, "infersim: stopped at tick %d by -max-ticks: %s\n", eng.Tick(), unfinished(eng))
		return exitUnfinished
	}
	return exitOK
}

// simulate runs the engine to the end, writing the event log and the
// per-tick series when asked.
func simulate(eng *sim.Engine, eventsOut, seriesOut string) error {
	var events, series io.Writer
	for _, out := range []struct {
		path string
		w    *io.Writer
	}{{eventsOut, &events}, {seriesOut, &series}} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			return err
		}
		defer f.Close()
		buf := bufio.NewWriter(f)
		defer buf.Flush()
		*out.w = buf
	}
	if events == nil && series == nil {
		eng.Run()
		return nil
	}
	if series != nil {
		fmt.Fprintln(series, seriesHeader)
	}
	limit := eng.Config().MaxTicks
	for !eng.Done() && (limit == 0 || eng.Tick() < limit) {
		evs := eng.Step()
		if events != nil {
			for _, ev := range evs {
				fmt.Fprintln(events, ev)
			}
		}
		if series != nil {
			writeSeriesRow(series, eng)
		}
	}
	return nil
}

const seriesHeader = "tick,sim_ms,waiting,prefilling,decoding,swapped,finished,kv_blocks_held,kv_utilization,cpu_blocks_held,output_tokens,evictions,drops,transferring,link_bytes,iteration_ms,bound"

// writeSeriesRow samples the engine after a tick; every value is O(1) to read.
func writeSeriesRow(w io.Writer, eng *sim.Engine) {
	c := eng.Counters()
	it := eng.LastIteration()
	fmt.Fprintf(w, "%d,%g,%d,%d,%d,%d,%d,%d,%.4f,%d,%d,%d,%d,%d,%d,%g,%s\n", eng.Tick(), float64(eng.Now())/float64(time.Millisecond),
		eng.Waiting(), len(eng.Prefilling()), len(eng.Decoding()), len(eng.Swapped()), eng.Finished(),
		eng.HeldBlocks(), float64(eng.HeldBlocks())/float64(eng.CapacityBlocks()), eng.CPUBlocksHeld(),
		c.Tokens, c.Evictions, c.Drops, len(eng.Transfers()), c.LinkBytes,
		float64(it.Duration)/float64(time.Millisecond), it.Bound)
}

// unfinished says what was left when a run was cut short.
func unfinished(eng *sim.Engine) string {
	counts := map[sim.State]int{}
	left := 0
	for id := range eng.Len() {
		if s := eng.Request(id).State; !s.Finished() {
			counts[s]++
			left++
		}
	}
	var parts []string
	for _, s := range []sim.State{sim.Pending, sim.Waiting, sim.Prefill, sim.Decode, sim.Swapped, sim.SwappingOut, sim.SwappingIn} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%d requests unfinished (%s)", left, strings.Join(parts, ", "))
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
