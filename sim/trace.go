package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Trace files are CSV with a header. Columns: arrival_ms or arrival_tick
// (one of them), input_tokens, output_tokens, and optionally class
// (interactive or batch; interactive when the column is absent), and
// prefix_group and prefix_tokens (a request whose prompt begins with the
// same prefix_tokens tokens as the others of its group, above 0; none when
// absent or 0), and session (the conversation a row is a turn of, above 0:
// the rows of one session are its turns, in order, each prompt beginning
// with the previous turn's prompt and answer). arrival_tick
// counts classic 15 ms ticks from 1; tick a starts at (a-1) × 15 ms.
// arrival_ms is read exactly, to the nanosecond, at any time. The
// per-request columns that WriteRequests adds after these are accepted and
// ignored, so a requests file replays as a trace.

// TraceError locates a problem in a trace file.
type TraceError struct {
	Line int
	Msg  string
}

func (e *TraceError) Error() string { return fmt.Sprintf("trace line %d: %s", e.Line, e.Msg) }

var traceColumns = []string{"arrival_ms", "arrival_tick", "input_tokens", "output_tokens", "class", "prefix_group", "prefix_tokens", "session"}

// requestColumns are the result columns WriteRequests appends.
var requestColumns = []string{"id", "state", "joined_ms", "prefill_start_tick", "prefill_start_ms",
	"first_token_tick", "first_token_ms", "completion_tick", "completion_ms", "queue_wait_ms", "ttft_ms", "tbt_ms", "e2e_ms", "evictions", "swapped_ms",
	"drops", "recomputed_tokens", "link_bytes", "transfer_wait_ms", "reason", "cached_prompt_tokens", "cpu_cached_tokens"}

// prefixColumns are the trace columns of shared prefixes: a requests
// file has them, and the result column of what the cache spared, only when
// some request has a prefix group or a session, and the column of what
// came back from the CPU tier only when the run keeps one, so that the
// files of runs without them stay as they were.
var prefixColumns = []string{"prefix_group", "prefix_tokens", "session"}

// maxArrivalTick keeps tick arithmetic inside MaxArrival.
const maxArrivalTick = int64(MaxArrival / ClassicTick)

// Limits on what ParseTrace reads, so that a stream without end (a device,
// a pipe, a file of blank lines) is refused after a bounded read. A request's
// row, even a requests file's with a rejection reason, is a few hundred
// bytes; MaxTraceBytes leaves room for MaxRequests of them, over 500 bytes
// each.
const (
	MaxTraceLine  = 4 << 10   // bytes in one line
	MaxTraceBytes = 512 << 20 // bytes in the whole file
)

// ParseTrace reads a trace. Errors name the line and the problem.
func ParseTrace(r io.Reader) ([]Spec, error) {
	lr := &traceLimits{r: r, line: 1}
	specs, err := parseTrace(lr)
	if lr.err != nil {
		// The csv reader may have wrapped or dropped the reason it
		// stopped; the limit is the news.
		return nil, lr.err
	}
	return specs, err
}

func parseTrace(r io.Reader) ([]Spec, error) {
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
	streams := map[int]int{} // each session's prompt and answer so far
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
		if s.Session > 0 {
			// A turn resends the turn before it, prompt and answer.
			if prev, ok := streams[s.Session]; ok {
				s.SessionTokens = min(prev, s.Input)
			}
			streams[s.Session] = s.Input + s.Output
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		return nil, &TraceError{Line: lineOf(cr), Msg: "no requests after the header"}
	}
	return specs, nil
}

// traceLimits passes a trace through, failing for good at the first line
// longer than MaxTraceLine, past MaxTraceBytes, or at a control byte other
// than tab, CR and LF, which no CSV file has: the sign of a binary file
// (or of /dev/zero).
type traceLimits struct {
	r         io.Reader
	total     int64
	line      int // the line being read, from 1
	lineBytes int // bytes of it so far
	err       error
}

func (l *traceLimits) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	// Never read past the total limit, by more than the byte that
	// shows the limit was passed.
	p = p[:min(int64(len(p)), MaxTraceBytes+1-l.total)]
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		l.total++
		switch {
		case l.total > MaxTraceBytes:
			l.err = &TraceError{Line: l.line, Msg: fmt.Sprintf("the file goes on past %d MiB, the most a trace may have", MaxTraceBytes>>20)}
		case b < ' ' && b != '\t' && b != '\n' && b != '\r' || b == 0x7f:
			l.err = &TraceError{Line: l.line, Msg: fmt.Sprintf("control byte 0x%02X: a trace is a text (CSV) file, and this one looks binary", b)}
		case b == '\n':
			l.line++
			l.lineBytes = 0
		default:
			if l.lineBytes++; l.lineBytes > MaxTraceLine {
				l.err = &TraceError{Line: l.line, Msg: fmt.Sprintf("longer than %d bytes (%d KiB), the most a trace line may have", MaxTraceLine, MaxTraceLine>>10)}
			}
		}
		if l.err != nil {
			return i, l.err
		}
	}
	return n, err
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
		known = known || slices.Contains(clusterColumns, name) // a cluster's file: results, not read
		if !known {
			// The name quoted short: the list of valid ones is long.
			return nil, &TraceError{Line: line, Msg: fmt.Sprintf("unknown column %s (valid: %s)", quoteN(h, 16), strings.Join(traceColumns, ", "))}
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
		a, ok := parseMs(v)
		if !ok {
			return s, fmt.Errorf("arrival_ms: %s is not a time in ms from 0 to %d", quoteShort(v), MaxArrival/time.Millisecond)
		}
		s.Arrival = a
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
	return s, tracePrefix(&s, rec, col)
}

// tracePrefix reads a row's prefix group: a group of 0 (or none) shares
// nothing; a group's prefix lies within the prompt.
func tracePrefix(s *Spec, rec []string, col map[string]int) error {
	read := func(name string, limit int) (int, error) {
		i, ok := col[name]
		if !ok || strings.TrimSpace(rec[i]) == "" {
			return 0, nil
		}
		v, err := strconv.Atoi(strings.TrimSpace(rec[i]))
		if err != nil || v < 0 || v > limit {
			return 0, fmt.Errorf("%s: %s is not a whole number from 0 to %d", name, quoteShort(rec[i]), limit)
		}
		return v, nil
	}
	group, err := read("prefix_group", math.MaxInt32)
	if err != nil {
		return err
	}
	if s.Session, err = read("session", math.MaxInt32); err != nil {
		return err
	}
	n, err := read("prefix_tokens", s.Input)
	if err != nil {
		return err
	}
	if (group == 0) != (n == 0) {
		return fmt.Errorf("prefix_group %d with prefix_tokens %d: give both above 0, or neither", group, n)
	}
	s.PrefixGroup, s.PrefixTokens = group, n
	return nil
}

// parseMs reads a time in milliseconds exactly to the nanosecond, without
// going through float64, whose 53 bits lose nanoseconds past 104 days (and
// the microseconds of a requests file's arrivals, as it once printed them,
// past 52): a decimal number with an optional sign and exponent, spelt as
// strconv.ParseFloat takes them ("1500", "1.5e3", ".25", "+7", "-0"), but
// not hexadecimal, NaN or infinities, which no time is. Digits below the
// nanosecond round to the nearest nanosecond, half to even: traces with
// them were taken (and rounded) before, so they still are. Negative and
// out-of-range times (past MaxArrival) are refused.
func parseMs(v string) (time.Duration, bool) {
	neg, v := cutSign(v)
	mant, exp, hasExp := v, "", false
	if i := strings.IndexAny(v, "eE"); i >= 0 {
		mant, exp, hasExp = v[:i], v[i+1:], true
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole+frac == "" || !decimalDigits(whole) || !decimalDigits(frac) {
		return 0, false
	}
	e := 0
	if hasExp {
		eneg, exp := cutSign(exp)
		if exp == "" || !decimalDigits(exp) {
			return 0, false
		}
		for _, c := range exp {
			// Past a million the value is out of range or rounds to 0
			// either way: a field has far fewer digits (a line holds
			// MaxTraceLine bytes).
			e = min(e*10+int(c-'0'), 1_000_000)
		}
		if eneg {
			e = -e
		}
	}
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return 0, true // zero, whatever its sign and exponent
	}
	if neg {
		return 0, false
	}
	// The value is digits × 10^(e - len(frac)) ms, so digits has n digits
	// before the nanosecond's point.
	n := len(digits) + e - len(frac) + 6
	if n > 19 { // at least 10^19 ns, past MaxArrival
		return 0, false
	}
	var ns uint64
	if n > 0 {
		kept := digits[:min(n, len(digits))] + strings.Repeat("0", max(0, n-len(digits)))
		ns, _ = strconv.ParseUint(kept, 10, 64) // at most 19 digits: fits
	}
	// Round what is below the nanosecond, half to even. With n < 0 the
	// first digit dropped is a 0 before the digits: it rounds down.
	if n >= 0 && n < len(digits) {
		first, rest := digits[n], strings.TrimRight(digits[n+1:], "0")
		if first > '5' || first == '5' && (rest != "" || ns%2 == 1) {
			ns++
		}
	}
	if ns > uint64(MaxArrival) {
		return 0, false
	}
	return time.Duration(ns), true
}

// cutSign takes one leading + or - off s.
func cutSign(s string) (neg bool, rest string) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[0] == '-', s[1:]
	}
	return false, s
}

func decimalDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// quoteShort quotes a value for a message, cut short when long: a binary
// file's "column name" can be kilobytes.
func quoteShort(v string) string { return quoteN(v, 32) }

// quoteN quotes the first most bytes of v, marking a cut.
func quoteN(v string, most int) string {
	if len(v) > most {
		return strconv.Quote(v[:most]) + "…"
	}
	return strconv.Quote(v)
}

// exactMs writes a time in ms exactly, as parseMs reads it back: the whole
// milliseconds, then up to six digits of fraction with trailing zeros
// dropped (123.000456, 7.25, 1500).
func exactMs(d time.Duration) string {
	if d < 0 {
		return "-" + exactMs(-d)
	}
	s := strconv.FormatInt(int64(d/time.Millisecond), 10)
	if frac := d % time.Millisecond; frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", int64(frac)), "0")
	}
	return s
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
	header, shared, tier := requestsHeader([]*Engine{e})
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range e.reqs {
		if err := cw.Write(e.requestRow(&e.reqs[i], shared, tier)); err != nil {
			return err
		}
	}
	// A run cut short still lists the requests that never arrived, so
	// that its file replays the whole workload.
	for i, sp := range e.PendingSpecs().All() {
		if err := cw.Write(e.requestRow(&Request{ID: len(e.reqs) + i, Spec: sp}, shared, tier)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// requestsHeader is the header of a requests file of these engines' runs
// (of one configuration), and whether it has the shared-prefix columns and
// the CPU tier's.
func requestsHeader(engines []*Engine) (header []string, shared, tier bool) {
	e := engines[0]
	// A fixed-tick clock works in whole ticks, so arrival ticks replay it
	// exactly; a priced one takes arrivals to the nanosecond.
	arrival := "arrival_tick"
	if e.fixedTick == 0 {
		arrival = "arrival_ms"
	}
	for _, e := range engines {
		for i := range e.reqs {
			shared = shared || e.reqs[i].PrefixGroup > 0 || e.reqs[i].Session > 0
		}
		for _, sp := range e.PendingSpecs().All() {
			shared = shared || sp.PrefixGroup > 0 || sp.Session > 0
		}
	}
	header = []string{arrival, "input_tokens", "output_tokens", "class"}
	results := requestColumns[:len(requestColumns)-2]
	tier = shared && e.tierOn()
	switch {
	case tier:
		header = append(header, prefixColumns...)
		results = requestColumns
	case shared:
		header = append(header, prefixColumns...)
		results = requestColumns[:len(requestColumns)-1]
	}
	return append(header, results...), shared, tier
}

// WriteClusterRequests writes the requests file of replicas that served
// one traffic between them: a row per request in the traffic's order, as
// WriteRequests writes it (its id is its ID on its replica), and the
// replica that served it. place says where request i of n went. When
// prefillOf is not nil the cluster is disaggregated: place is the decode
// replica, and the row also gives the prefill replica (prefillOf(i)) and
// the KV sent between them. The file is a valid trace of the whole
// traffic.
func WriteClusterRequests(w io.Writer, engines []*Engine, n int, place func(i int) (replica, id int), prefillOf func(i int) int) error {
	if len(engines) == 0 {
		return nil
	}
	cw := csv.NewWriter(w)
	header, shared, tier := requestsHeader(engines)
	header = append(header, clusterColumns[0])
	if prefillOf != nil {
		header = append(header, clusterColumns[1:]...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range n {
		rep, id := place(i)
		e := engines[rep]
		r := &e.reqs[id]
		row := append(e.requestRow(r, shared, tier), strconv.Itoa(rep))
		if prefillOf != nil {
			row = append(row, strconv.Itoa(prefillOf(i)), strconv.FormatInt(r.KVBytes, 10), exactMs(r.KVWait))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// clusterColumns are the columns of a cluster's requests file: the
// replica a request went to (its decode replica, disaggregated), then,
// disaggregated, its prefill replica and the KV sent between them.
var clusterColumns = []string{"replica", "prefill_replica", "kv_bytes", "kv_wait_ms"}

// requestRow is a request's row in WriteRequests.
func (e *Engine) requestRow(r *Request, shared, tier bool) []string {
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
	m := r.Metrics()
	// Times are written exactly, so arrivals replay to the
	// nanosecond however late they come.
	at := func(tick int, t time.Duration) string {
		if tick == 0 {
			return ""
		}
		return exactMs(t)
	}
	arrival := r.Arrival
	if r.handed {
		arrival = r.sentAt // the client's, at the prefill replica
	}
	arrivalAt := strconv.FormatInt(ArrivalTickOf(arrival), 10)
	if e.fixedTick == 0 {
		arrivalAt = exactMs(arrival)
	}
	row := []string{arrivalAt, strconv.Itoa(r.Input), strconv.Itoa(r.Output), r.Class.String()}
	if shared {
		row = append(row, strconv.Itoa(r.PrefixGroup), strconv.Itoa(r.PrefixTokens), strconv.Itoa(r.Session))
	}
	row = append(row,
		strconv.Itoa(r.ID), r.State.String(), at(r.ArrivalTick, r.JoinedAt),
		tick(r.PrefillStartTick), at(r.PrefillStartTick, r.PrefillStartAt),
		tick(r.FirstTokenTick), at(r.FirstTokenTick, r.FirstTokenAt),
		tick(r.CompletionTick), at(r.CompletionTick, r.CompletedAt), num(m.QueueWait), num(m.TTFT), num(m.TBT), num(m.E2E),
		strconv.Itoa(r.Evictions), num(m.Swapped), strconv.Itoa(r.Drops), strconv.Itoa(r.RecomputedTokens),
		strconv.FormatInt(r.LinkBytes, 10), exactMs(r.TransferWait), r.Reason)
	if shared {
		row = append(row, strconv.Itoa(r.CachedTokens))
	}
	if tier {
		row = append(row, strconv.Itoa(r.CPUCachedTokens))
	}
	return row
}
