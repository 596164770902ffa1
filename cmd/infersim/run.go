package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"inferplay/sim"
)

// Exit statuses.
const (
	exitOK         = 0
	exitUnfinished = 1 // stopped by -max-ticks with work left
	exitUsage      = 2 // bad flag, config or input file, or an output that cannot be written
)

// run is the whole command, with its streams handed in so tests can drive it.
func run(args []string, stdout, stderr io.Writer) (code int) {
	// A report that cannot be written (infersim > /dev/full) is a failed
	// run, as an output file that cannot be is. (After another failure,
	// the line about that one is enough.)
	out := &stickyWriter{w: stdout}
	defer func() {
		if out.err != nil && code == exitOK {
			fmt.Fprintf(stderr, "infersim: standard output: %v\n", fileError(out.err))
			code = exitUsage
		}
	}()
	if len(args) > 0 && args[0] == "sweep" {
		return runSweep(args[1:], out, stderr)
	}
	opts, err := parseFlags(args, out)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if opts.list {
		writeList(out)
		return exitOK
	}
	cfg, err := opts.config()
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if opts.compare != "" || opts.seeds > 1 {
		base, err := baseLayout(opts)
		runs := []compareRun{{cfg.Scheduler, cfg, nil}}
		if base.clustered() {
			runs[0].layout = base
		}
		if err == nil && opts.set["pd"] && opts.set["replicas"] {
			err = fmt.Errorf("pd: -pd P:D gives the replicas, P+D of them; leave out -replicas")
		}
		if err == nil && opts.compare != "" {
			runs, err = compareRuns(cfg, opts.compare, base)
		}
		if err == nil {
			err = runCompare(out, opts.format, cfg, runs, opts.seeds)
		}
		if err != nil && out.err == nil {
			fmt.Fprintf(stderr, "infersim: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	if opts.clustered() {
		return runCluster(cfg, opts, out, stderr)
	}
	eng, err := sim.New(cfg, sim.WithoutBlockMap())
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if err := writeRun(eng, opts); err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if err := writeReport(out, opts.format, eng); err != nil && out.err == nil {
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

// runCluster runs replicas behind a router and reports them.
func runCluster(cfg sim.Config, opts *options, out, stderr io.Writer) int {
	cl, err := newCluster(cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	var requests *output
	if opts.set["requests-out"] {
		if requests, err = createOutput("requests-out", opts.requestsOut); err != nil {
			fmt.Fprintf(stderr, "infersim: %v\n", err)
			return exitUsage
		}
	}
	runErr := cl.Run()
	if requests != nil {
		err := cl.WriteRequests(requests)
		if err != nil {
			err = requests.fail(err)
		}
		if cerr := requests.close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(stderr, "infersim: %v\n", err)
			return exitUsage
		}
	}
	if err := writeClusterReport(out, opts.format, cl); err != nil && out.(*stickyWriter).err == nil {
		fmt.Fprintf(stderr, "infersim: %v\n", err)
		return exitUsage
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "infersim: the run could not go on: %v\n", runErr)
		return exitUnfinished
	}
	for i, e := range cl.Engines {
		if !e.Done() {
			fmt.Fprintf(stderr, "infersim: replica %d stopped at tick %d by -max-ticks: %s\n", i, e.Tick(), unfinished(e))
			return exitUnfinished
		}
	}
	return exitOK
}

// writeRun runs the engine to the end and writes the output files asked
// for. Every file is created before the run, so that one that cannot be
// is refused at once, and a write, flush or close that fails is an error
// naming its flag.
func writeRun(eng *sim.Engine, opts *options) (err error) {
	var opened []*output
	defer func() {
		for _, o := range opened {
			// The first error is the one to report; later ones follow
			// from it.
			if cerr := o.close(); err == nil {
				err = cerr
			}
		}
	}()
	create := func(flag, path string) (*output, error) {
		if !opts.set[flag] {
			return nil, nil
		}
		o, err := createOutput(flag, path)
		if err == nil {
			opened = append(opened, o)
		}
		return o, err
	}
	events, err := create("events-out", opts.eventsOut)
	if err != nil {
		return err
	}
	series, err := create("series-out", opts.seriesOut)
	if err != nil {
		return err
	}
	requests, err := create("requests-out", opts.requestsOut)
	if err != nil {
		return err
	}
	if err := simulate(eng, events, series); err != nil {
		return err
	}
	if requests != nil {
		if err := eng.WriteRequests(requests); err != nil {
			return requests.fail(err)
		}
	}
	return nil
}

// output is a file an -*-out flag names, written through a buffer.
type output struct {
	flag string
	f    *os.File
	*bufio.Writer
}

func createOutput(flag, path string) (*output, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-%s: %v", flag, fileError(err))
	}
	return &output{flag, f, bufio.NewWriter(f)}, nil
}

// fail names the flag in a write error: -events-out: write "/dev/full": no
// space left on device.
func (o *output) fail(err error) error { return fmt.Errorf("-%s: %v", o.flag, fileError(err)) }

// close flushes and closes the file; either may fail, and a file that did
// not take the last of its bytes is as broken as one that did not take the
// first.
func (o *output) close() error {
	err := o.Flush()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return o.fail(err)
	}
	return nil
}

// simulate runs the engine to the end, writing the event log and the
// per-tick series when asked; it stops at the first write that fails.
func simulate(eng *sim.Engine, events, series *output) error {
	if events == nil && series == nil {
		eng.Run()
		return nil
	}
	if series != nil {
		if _, err := fmt.Fprintln(series, seriesHeader); err != nil {
			return series.fail(err)
		}
	}
	limit := eng.Config().MaxTicks
	for !eng.Done() && (limit == 0 || eng.Tick() < limit) {
		evs := eng.Step()
		if events != nil {
			for _, ev := range evs {
				if _, err := fmt.Fprintln(events, ev); err != nil {
					return events.fail(err)
				}
			}
		}
		if series != nil {
			if err := writeSeriesRow(series, eng); err != nil {
				return series.fail(err)
			}
		}
	}
	return nil
}

const seriesHeader = "tick,sim_ms,waiting,prefilling,decoding,swapped,finished,kv_blocks_held,kv_utilization,cpu_blocks_held,output_tokens,evictions,drops,transferring,link_bytes,iteration_ms,bound"

// writeSeriesRow samples the engine after a tick; every value is O(1) to read.
func writeSeriesRow(w io.Writer, eng *sim.Engine) error {
	c := eng.Counters()
	it := eng.LastIteration()
	_, err := fmt.Fprintf(w, "%d,%g,%d,%d,%d,%d,%d,%d,%.4f,%d,%d,%d,%d,%d,%d,%g,%s\n", eng.Tick(), float64(eng.Now())/float64(time.Millisecond),
		eng.Waiting(), eng.Prefilling().Len(), eng.Decoding().Len(), eng.Swapped().Len(), eng.Finished(),
		eng.HeldBlocks(), float64(eng.HeldBlocks())/float64(eng.CapacityBlocks()), eng.CPUBlocksHeld(),
		c.Tokens, c.Evictions, c.Drops, eng.Transfers().Len(), c.LinkBytes,
		float64(it.Duration)/float64(time.Millisecond), it.Bound)
	return err
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
	for _, s := range []sim.State{sim.Waiting, sim.Prefill, sim.Decode, sim.Swapped, sim.SwappingOut, sim.SwappingIn} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if n := eng.Unsent(); n > 0 {
		what := "not yet arrived"
		if c := eng.Config(); c.Trace == nil && c.Workload.Clients > 0 {
			what = "not yet sent by their clients"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, what))
		left += n
	}
	return fmt.Sprintf("%d requests unfinished (%s)", left, strings.Join(parts, ", "))
}

// stickyWriter keeps the first error a write returned, and writes nothing
// after it.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

// fileError words an error from the os package as one line: the path it
// names is quoted (it may hold spaces, or even a newline), as in
// open "/no/such/dir/x.csv": no such file or directory.
func fileError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %q: %v", pe.Op, pe.Path, pe.Err)
	}
	return err
}

// location names a place in an input file for a message, as file:line (the
// form editors follow), quoting a path that would not read back as it is:
// empty, or with spaces or characters that need escaping.
func location(path string, line int) string {
	if path == "" || strconv.Quote(path) != `"`+path+`"` || strings.ContainsAny(path, " :") {
		path = strconv.Quote(path)
	}
	if line > 0 {
		return fmt.Sprintf("%s:%d", path, line)
	}
	return path
}
