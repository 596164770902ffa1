package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

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
	if opts.compare != "" {
		names, err := comparePolicies(opts.compare)
		if err == nil {
			err = runCompare(stdout, opts.format, cfg, names)
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
	if err := simulate(eng, opts.eventsOut); err != nil {
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
	if !eng.Done() {
		fmt.Fprintf(stderr, "infersim: stopped at tick %d by -max-ticks: %s\n", eng.Tick(), unfinished(eng))
		return exitUnfinished
	}
	return exitOK
}

// simulate runs the engine to the end, logging every event when asked.
func simulate(eng *sim.Engine, eventsOut string) error {
	if eventsOut == "" {
		eng.Run()
		return nil
	}
	return writeFile(eventsOut, func(w io.Writer) error {
		max := eng.Config().MaxTicks
		for !eng.Done() && (max == 0 || eng.Tick() < max) {
			for _, ev := range eng.Step() {
				if _, err := fmt.Fprintln(w, ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
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
	for _, s := range []sim.State{sim.Pending, sim.Waiting, sim.Prefill, sim.Decode, sim.Swapped} {
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
