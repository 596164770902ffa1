package chart

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"inferplay/sim"
	"inferplay/sweep"
)

// The charts of a sweep are the same, byte for byte, whatever the number
// of workers that ran it; every chart draws as a 1600 × 1000 PNG and as an
// SVG with its typeface inside, for a numeric knob and a named one.
func TestChartsSameOnAnyCores(t *testing.T) {
	for _, vary := range []string{"rate=4,16,40", "gpu=h100,a100"} {
		c, _ := sim.ScenarioConfig("chatbot")
		c.Timing = "roofline"
		k, values, err := sweep.ParseVary(vary)
		if err != nil {
			t.Fatal(err)
		}
		p := sweep.Plan{Base: c, Knob: k, Values: values, Policies: []string{"fcfs", "srpt"}, Seeds: 2, Window: 8 * time.Second}
		draw := func(workers int) (svg []byte, charts []Chart) {
			runs, err := sweep.Execute(p, workers)
			if err != nil {
				t.Fatal(err)
			}
			curves := sweep.Curves(p, runs)
			var caps []sweep.Capacity
			if k.Load {
				if caps, err = sweep.FindCapacity(p, curves, 0.9, workers); err != nil {
					t.Fatal(err)
				}
			}
			charts, err = Charts(p, curves, caps, 0.9)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			for _, ch := range charts {
				if err := ch.WriteSVG(&b); err != nil {
					t.Fatal(err)
				}
			}
			return b.Bytes(), charts
		}
		one, charts := draw(1)
		if many, _ := draw(4); !bytes.Equal(one, many) {
			t.Fatalf("%s: the charts differ with the number of workers", vary)
		}
		if !strings.Contains(string(one), "@font-face") || len(charts) != 5 {
			t.Fatalf("%s: %d charts, fonts inside: %v", vary, len(charts), strings.Contains(string(one), "@font-face"))
		}
		for _, ch := range charts {
			var b bytes.Buffer
			if err := ch.WritePNG(&b); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&b)
			if err != nil || img.Bounds().Dx() != 1600 || img.Bounds().Dy() != 1000 {
				t.Fatalf("%s %s: %v %v", vary, ch.Name, img.Bounds(), err)
			}
		}
	}
}
