package sim

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const day = 24 * time.Hour

// arrival_ms is read exactly to the nanosecond, in every spelling a float
// parser took; digits below the nanosecond round half to even.
func TestParseMsIsExact(t *testing.T) {
	ok := map[string]time.Duration{
		"0": 0, "-0": 0, "+0": 0, "0.0": 0, "0e999999999999": 0, "-0.0e5": 0,
		"7.25": 7250 * time.Microsecond, "1500": 1500 * time.Millisecond, "1.5e3": 1500 * time.Millisecond,
		"1.5E+3": 1500 * time.Millisecond, "15000e-1": 1500 * time.Millisecond, ".25": 250 * time.Microsecond,
		"5.": 5 * time.Millisecond, "+7": 7 * time.Millisecond, "007": 7 * time.Millisecond,
		"123.000456":         123*time.Millisecond + 456,
		"17280000000.001":    200*day + time.Microsecond,
		"17280000000.123456": 200*day + 123456,
		"1000000000000":      MaxArrival, "1e12": MaxArrival, "1000000000000.0000004": MaxArrival,
		"0.0000005": 0, "0.0000015": 2, "0.0000025": 2, "0.00000051": 1, "0.0000004999": 0,
		"1e-7": 0, "5e-7": 0, "6e-7": 1, "1e-99999999999": 0, "0.000000000000000000009": 0,
	}
	for in, want := range ok {
		if got, valid := parseMs(in); !valid || got != want {
			t.Errorf("parseMs(%q) = %d, %v; want %d", in, got, valid, want)
		}
	}
	for _, in := range []string{"", ".", "e5", "1e", "1e+", "1e-", "+", "-", "--1", "+-1", "-+0", "1e+-3",
		"-1", "-0.0000001", "NaN", "nan", "Inf", "+Inf", "infinity", "0x1p3", "1_000", "1,5", "1.2.3", "1e2.5",
		" 1", "1 ", "1000000000000.000001", "1e13", "1e99999999999999999999", "99999999999999999999"} {
		if got, valid := parseMs(in); valid {
			t.Errorf("parseMs(%q) = %d, want it refused", in, got)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		d := time.Duration(rng.Int64N(int64(MaxArrival) + 1))
		if got, valid := parseMs(exactMs(d)); !valid || got != d {
			t.Fatalf("%d written as %q reads back as %d", d, exactMs(d), got)
		}
	}
	for d, want := range map[time.Duration]string{0: "0", 123*time.Millisecond + 456: "123.000456",
		7250 * time.Microsecond: "7.25", 1500 * time.Millisecond: "1500", 1: "0.000001"} {
		if got := exactMs(d); got != want {
			t.Errorf("exactMs(%d) = %q, want %q", d, got, want)
		}
	}
}

// A requests file's arrivals replay exactly however late they are: float
// milliseconds would lose the microsecond past 52 days.
func TestRequestsFileArrivalsAreExact(t *testing.T) {
	specs := []Spec{
		{Arrival: 200*day + time.Microsecond, Input: 100, Output: 10},
		{Arrival: 200*day + 123456, Input: 50, Output: 5, Class: Batch},
		{Arrival: 3*365*day + 999_999_999, Input: 10, Output: 3},
	}
	c, err := ScenarioConfig("chatbot")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing, c.Trace = "roofline", specs
	e, _ := runResult(t, c)
	file := requestsCSV(t, e)
	if !bytes.Contains(file, []byte("\n17280000000.001,100,10,interactive,")) ||
		!bytes.Contains(file, []byte("\n17280000000.123456,50,5,batch,")) {
		t.Errorf("arrivals not written exactly:\n%s", file)
	}
	back, err := ParseTrace(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range back {
		if s != specs[i] {
			t.Errorf("request %d: wrote %+v, read back %+v", i, specs[i], s)
		}
	}
}

// endless is a stream that never ends: a device, a pipe.
type endless struct {
	pattern string
	read    int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.pattern[int(e.read)%len(e.pattern)]
		e.read++
	}
	return len(p), nil
}

// Input without end, a line without end and binary files are each refused
// with one line that says the limit, after a bounded read.
func TestTraceLimits(t *testing.T) {
	for _, c := range []struct {
		header, pattern string
		want            string
		most            int64 // bytes read at most
	}{
		{"", "\x00", "trace line 1: control byte 0x00: a trace is a text (CSV) file", 64 << 10},
		{"", "a", "trace line 1: longer than 4096 bytes (4 KiB)", 64 << 10},
		{"arrival_ms,input_tokens,output_tokens\n0,1,1\n", "1", "trace line 3: longer than 4096 bytes", 64 << 10},
		{"arrival_ms,input_tokens,output_tokens\n", "# a comment line that never stops repeating\n",
			"the file goes on past 512 MiB, the most a trace may have", MaxTraceBytes + 1},
	} {
		src := &endless{pattern: c.pattern}
		_, err := ParseTrace(io.MultiReader(strings.NewReader(c.header), src))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want one line with %q", c.pattern, err, c.want)
		}
		if read := src.read + int64(len(c.header)); read > c.most {
			t.Errorf("%q: read %d bytes before failing, want at most %d", c.pattern, read, c.most)
		}
	}
	// Every line of the longest length passes.
	long := "arrival_ms,input_tokens,output_tokens\n" + strings.Repeat("0", MaxTraceLine-4) + ",1,1\n"
	if _, err := ParseTrace(strings.NewReader(long)); err != nil {
		t.Errorf("a line of %d bytes: %v", MaxTraceLine, err)
	}
	for _, junk := range []string{
		"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
		"\x1f\x8b\x08\x08" + strings.Repeat("\xff\xfe\x9c", 500) + "\n\x01,\x02\n",
		strings.Repeat("\xc3\x28", 1000),
	} {
		_, err := ParseTrace(strings.NewReader(junk))
		if err == nil || strings.Contains(err.Error(), "\n") || len(err.Error()) > 200 {
			t.Errorf("junk %.20q: want one short line, got %q", junk, err)
		}
	}
}
