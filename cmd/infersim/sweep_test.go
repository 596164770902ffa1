package main

import (
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sweep from the command line writes its CSV and every chart, and says
// each scheduler's capacity at SLO and the GPUs a rate needs.
func TestSweepWritesCSVAndCharts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := runCLI(t, "sweep", "-scenario", "chatbot", "-timing", "roofline", "-vary", "rate=10,40,70,100",
		"-compare", "fcfs,srpt", "-seeds", "2", "-window-s", "8", "-for-rate", "300", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"fcfs, varying rate, means over 2 seeds", "srpt, varying rate", "Capacity at SLO",
		"GPUs for 300 arrivals/s", "misses)", "Wrote "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "simulations in") {
		t.Errorf("stderr %q", errs)
	}
	f, err := os.Open(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 1+4*2*2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if rows[0][0] != "knob" || rows[1][0] != "rate" || rows[1][2] != "fcfs" {
		t.Fatalf("rows %v %v", rows[0], rows[1])
	}
	for _, name := range []string{"ttft", "tbt", "slo", "goodput", "ttft-throughput"} {
		pf, err := os.Open(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(pf)
		pf.Close()
		if err != nil || img.Bounds().Dx() != 1600 || img.Bounds().Dy() != 1000 {
			t.Fatalf("%s.png: %v, %v", name, img.Bounds(), err)
		}
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil || !strings.Contains(string(svg), "<svg") || !strings.Contains(string(svg), "@font-face") {
			t.Fatalf("%s.svg: %v", name, err)
		}
	}
}

func TestSweepBadInputIsOneClearLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep"}, "vary: missing"},
		{[]string{"sweep", "-vary", "speed=1"}, "not a knob"},
		{[]string{"sweep", "-vary", "rate=1..4"}, "number of points"},
		{[]string{"sweep", "-vary", "rate=1,2", "-rate", "3"}, "also given by -vary"},
		{[]string{"sweep", "-vary", "gpu=h100,a100", "-for-rate", "10"}, "vary rate"},
		{[]string{"sweep", "-vary", "rate=1,2", "-max-ticks", "10"}, "not for a sweep"},
		{[]string{"sweep", "-vary", "tp=1,3"}, "tp"},
		{[]string{"sweep", "-vary", "max-batch-tokens=256,512"}, "fixed batch"},
		{[]string{"sweep", "-vary", "rate=1", "-compare", "nosuch"}, "compare"},
		{[]string{"sweep", "-vary", "rate=1", "-slo-target", "2"}, "slo-target"},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != exitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q (want one line with %q)", tc.args, code, out, errs, tc.want)
		}
	}
	code, out, _ := runCLI(t, "sweep", "-h")
	if code != 0 || !strings.Contains(out, "-vary") || !strings.Contains(out, "capacity at SLO") {
		t.Fatalf("help: exit %d\n%s", code, out)
	}
}

// A closed loop's clients are a load: -clients makes the base a closed
// loop, -vary clients sets the count at each point.
func TestSweepClients(t *testing.T) {
	code, out, errs := runCLI(t, "sweep", "-scenario", "chatbot", "-timing", "roofline", "-clients", "4", "-think-ms", "500",
		"-requests", "80", "-vary", "clients=2,8,32")
	if code != 0 || !strings.Contains(out, "Capacity at SLO: the most clients") {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
}
