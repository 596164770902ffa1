package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Trace files are CSV with a header. Columns: arrival_ms or arrival_tick
// (one of them), input_tokens, output_tokens, and optionally class
// (interactive or batch; interactive when the column is absent). arrival_tick
// counts classic 15 ms ticks from 1; tick a starts at (a-1) × 15 ms. The
// per-request columns that WriteRequests adds after these are accepted and
// ignored, so a requests file replays as a trace.

// TraceError locates a problem in a trace file.
type TraceError struct {
	Line int
	Msg  string
}

func (e *TraceError) Error() string { return fmt.Sprintf("trace line %d: %s", e.Line, e.Msg) }

var traceColumns = []string{"arrival_ms", "arrival_tick", "input_tokens", "output_tokens", "class"}

// requestColumns are the result columns WriteRequests appends.
var requestColumns = []string{"id", "state", "joined_ms", "prefill_start_tick", "prefill_start_ms",
	"first_token_tick", "first_token_ms", "completion_tick", "completion_ms", "queue_wait_ms", "ttft_ms", "tbt_ms", "e2e_ms", "evictions", "swapped_ms",
	"drops", "recomputed_tokens", "link_bytes", "transfer_wait_ms", "reason"}

// maxArrivalTick keeps tick arithmetic inside MaxArrival.
const maxArrivalTick = int64(MaxArrival / ClassicTick)

// ParseTrace reads a trace. Errors name the line and the problem.
func ParseTrace(r io.Reader) ([]Spec, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &TraceError{Line: 1, Msg: "empty file: want a header such as arrival_ms,input_tokens,output_tokens,class"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	col, err := traceHeader(header, lineOf(cr))
	if err != nil {
		return nil, err
	}
	var specs []Spec
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line := lineOf(cr)
		if len(specs) == MaxRequests {
			return nil, &TraceError{Line: line, Msg: fmt.Sprintf("more than %d requests", MaxRequests)}
		}
		s, err := traceRecord(rec, col)
		if err != nil {
			return nil, &TraceError{Line: line, Msg: err.Error()}
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		return nil, &TraceError{Line: lineOf(cr), Msg: "no requests after the header"}
	}
	return specs, nil
}

func lineOf(cr *csv.Reader) int {
	line, _ := cr.FieldPos(0)
	return line
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &TraceError{Line: pe.Line, Msg: pe.Err.Error()}
	}
	return err
}

// traceHeader maps column names to positions.
func traceHeader(header []string, line int) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, k := range traceColumns {
			known = known || k == name
		}
		for _, k := range requestColumns {
			known = known || k == name
		}
		if !known {
			return nil, &TraceError{Line: line, Msg: fmt.Sprintf("unknown column %q (trace columns: %s)", h, strings.Join(traceColumns, ", "))}
		}
		if _, dup := col[name]; dup {
			return nil, &TraceError{Line: line, Msg: fmt.Sprintf("column %q appears twice", name)}
		}
		col[name] = i
	}
	_, ms := col["arrival_ms"]
	_, tick := col["arrival_tick"]
	switch {
	case ms && tick:
		return nil, &TraceError{Line: line, Msg: "give arrival_ms or arrival_tick, not both"}
	case !ms && !tick:
		return nil, &TraceError{Line: line, Msg: "missing column arrival_ms (or arrival_tick)"}
	}
	for _, need := range []string{"input_tokens", "output_tokens"} {
		if _, ok := col[need]; !ok {
			return nil, &TraceError{Line: line, Msg: "missing column " + need}
		}
	}
	return col, nil
}

func traceRecord(rec []string, col map[string]int) (Spec, error) {
	var s Spec
	field := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
	if i, ok := col["arrival_tick"]; ok {
		a, err := strconv.ParseInt(strings.TrimSpace(rec[i]), 10, 64)
		if err != nil || a < 0 || a > maxArrivalTick {
			return s, fmt.Errorf("arrival_tick: %q is not a whole number from 0 to %d", rec[i], maxArrivalTick)
		}
		s.Arrival = time.Duration(max(a, 1)-1) * ClassicTick
	} else {
		v := field("arrival_ms")
		m, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(m) || m < 0 || m > float64(MaxArrival/time.Millisecond) {
			return s, fmt.Errorf("arrival_ms: %q is not a time in ms from 0 to %d", v, MaxArrival/time.Millisecond)
		}
		s.Arrival = time.Duration(math.Round(m * 1e6))
	}
	var err error
	if s.Input, err = tokens(field("input_tokens"), "input_tokens"); err != nil {
		return s, err
	}
	if s.Output, err = tokens(field("output_tokens"), "output_tokens"); err != nil {
		return s, err
	}
	if _, ok := col["class"]; ok {
		if s.Class, err = ParseClass(field("class")); err != nil {
			return s, fmt.Errorf("class: %w", err)
		}
	}
	return s, nil
}

func tokens(v, name string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxTokens {
		return 0, fmt.Errorf("%s: %q is not a whole number from 1 to %d", name, v, MaxTokens)
	}
	return n, nil
}

// ArrivalTickOf is the classic tick a request arriving at t joins: the first
// tick that starts at or after t.
func ArrivalTickOf(t time.Duration) int64 {
	return int64((t+ClassicTick-1)/ClassicTick) + 1
}

// WriteRequests writes one CSV row per request. The first four columns form
// a trace that replays the run exactly.
func (e *Engine) WriteRequests(w io.Writer) error {
	cw := csv.NewWriter(w)
	// The classic model works in whole ticks, so arrival ticks replay it
	// exactly; the roofline model takes arrivals to the nanosecond.
	arrival := "arrival_tick"
	if e.continuous {
		arrival = "arrival_ms"
	}
	header := append([]string{arrival, "input_tokens", "output_tokens", "class"}, requestColumns...)
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	tick := func(t int) string {
		if t == 0 {
			return ""
		}
		return strconv.Itoa(t)
	}
	for i := range e.reqs {
		r := &e.reqs[i]
		m := r.Metrics()
		at := func(tick int, t time.Duration) string {
			if tick == 0 {
				return ""
			}
			return num(ms(t))
		}
		arrivalAt := strconv.FormatInt(ArrivalTickOf(r.Arrival), 10)
		if e.continuous {
			arrivalAt = num(ms(r.Arrival))
		}
		row := []string{
			arrivalAt, strconv.Itoa(r.Input), strconv.Itoa(r.Output), r.Class.String(),
			strconv.Itoa(r.ID), r.State.String(), at(r.ArrivalTick, r.JoinedAt),
			tick(r.PrefillStartTick), at(r.PrefillStartTick, r.PrefillStartAt),
			tick(r.FirstTokenTick), at(r.FirstTokenTick, r.FirstTokenAt),
			tick(r.CompletionTick), at(r.CompletionTick, r.CompletedAt), num(m.QueueWait), num(m.TTFT), num(m.TBT), num(m.E2E),
			strconv.Itoa(r.Evictions), num(m.Swapped), strconv.Itoa(r.Drops), strconv.Itoa(r.RecomputedTokens),
			strconv.FormatInt(r.LinkBytes, 10), num(ms(r.TransferWait)), r.Reason,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
