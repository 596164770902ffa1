package render

import (
	"image/color"
	"strings"
	"testing"

	"inferplay/sim"
)

// A block grid always fits its box and has a cell for every block, or for
// every group of blocks, with cells of at least the minimum size.
func TestBlockGridFits(t *testing.T) {
	for _, n := range []int{1, 7, 64, 4549, 30_000, 1 << 20} {
		for _, box := range [][2]float64{{600, 150}, {1000, 300}, {50, 400}, {30, 30}} {
			var g BlockGrid
			per := BlocksPerCell(n, box[0], box[1], 10)
			g.Layout(n, per, 0, 30, box[0], box[1])
			rows := (g.Cells + g.Cols - 1) / g.Cols
			if g.Truncated > 0 || g.Cells*g.Per < n {
				t.Fatalf("n=%d in %v: %d cells of %d blocks, %d left out", n, box, g.Cells, g.Per, g.Truncated)
			}
			if g.Cell < 10 || g.Cell > 30 {
				t.Fatalf("n=%d in %v: cells of %.1f px", n, box, g.Cell)
			}
			if float64(g.Cols)*g.Cell > box[0]+1e-9 || float64(rows)*g.Cell > box[1]+1e-9 {
				t.Fatalf("n=%d in %v: %d×%d cells of %.2f px overflow", n, box, g.Cols, rows, g.Cell)
			}
		}
	}
}

// Each state has its own colour in every theme, used for no other meaning,
// and the neutral fills are far apart from each other.
func TestOneMeaningOneColour(t *testing.T) {
	for _, th := range []*Theme{Dark(), Light(), Presenter()} {
		seen := map[color.RGBA]string{}
		for _, m := range th.StateMeanings() {
			if other, dup := seen[m.C]; dup {
				t.Errorf("%s: %s and %s share %v", th.Name, m.Label, other, m.C)
			}
			seen[m.C] = m.Label
		}
		for _, n := range []struct {
			c    color.RGBA
			name string
		}{{th.Weights, "weights"}, {th.Free, "free"}, {th.Accent, "accent"}, {th.Blocked, "blocked"}, {th.Panel, "panel"}} {
			if other, dup := seen[n.c]; dup {
				t.Errorf("%s: %s shares %s's colour %v", th.Name, n.name, other, n.c)
			}
		}
		if d := luma(th.Text) - luma(th.Background); d*d < 0.5*0.5 {
			t.Errorf("%s: text and background too alike (%.2f)", th.Name, d)
		}
	}
}

// Text fits its width: long lines end in an ellipsis.
func TestFit(t *testing.T) {
	k, err := NewKit(Dark())
	if err != nil {
		t.Fatal(err)
	}
	long := "R34 swapped to CPU memory: 1.83 GB of KV over PCIe 5 x16; VRAM was full"
	for _, w := range []float64{40, 200, 600} {
		s := k.Fit(long, w, 20, false)
		if k.TextWidth(s, 20, false) > w && len([]rune(s)) > 2 {
			t.Errorf("Fit(%g) = %q, %.0f px wide", w, s, k.TextWidth(s, 20, false))
		}
	}
	if got := k.Fit("short", 600, 20, false); got != "short" {
		t.Errorf("Fit changed a line that fits: %q", got)
	}
	// The longest prefix that fits: one more rune would not.
	s := []rune(k.Fit(long, 300, 20, false))
	if more := string(s[:len(s)-1]) + string([]rune(long)[len(s)-1]) + "…"; k.TextWidth(more, 20, false) <= 300 {
		t.Errorf("Fit(300) = %q, but %q fits too", string(s), more)
	}
}

// Wrapping keeps every word, in order, and every line within the width,
// the same from the cache as the first time; presenter mode's minimum size
// makes more lines.
func TestWrap(t *testing.T) {
	k, err := NewKit(Dark())
	if err != nil {
		t.Fatal(err)
	}
	para := "Prefill reads your whole prompt in one parallel pass and remembers it as a KV cache; decode then writes the answer one token at a time."
	for range 2 {
		lines := k.Wrap(para, 400, 20, false)
		if strings.Join(lines, " ") != para || len(lines) < 2 {
			t.Fatalf("Wrap lost words: %q", lines)
		}
		for _, l := range lines {
			if k.TextWidth(l, 20, false) > 400 {
				t.Errorf("line %q is %.0f px wide", l, k.TextWidth(l, 20, false))
			}
		}
	}
	small := len(k.Wrap(para, 400, 12, false))
	k.MinText = 24
	if big := len(k.Wrap(para, 400, 12, false)); big <= small {
		t.Errorf("12-point text at a 24 minimum: %d lines, as many as %d", big, small)
	}
}

func luma(c color.RGBA) float64 {
	return (0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)) / 255
}

// A swap's caption says what happens to its VRAM from the engine's state,
// under either batcher: the continuous one holds the blocks until the copy
// lands, the serial one frees them at once.
func TestExplainSwapFromState(t *testing.T) {
	wants := map[string][2]string{
		"continuous": {"stays taken until the copy lands", "its blocks were taken first"},
		"serial":     {"before it may come back", "at once"},
	}
	for batcher, want := range wants {
		c, _ := sim.ScenarioConfig("mixed")
		c.Timing, c.Batcher = "roofline", batcher
		c.GPU, _ = sim.LookupGPU("constrained")
		c.Workload.Requests = 200
		e, err := sim.New(c)
		if err != nil {
			t.Fatal(err)
		}
		var seen [2]bool
		for !e.Done() && !(seen[0] && seen[1]) {
			for _, ev := range e.Step() {
				i := map[sim.EventKind]int{sim.EvSwapOut: 1, sim.EvSwapIn: 2}[ev.Kind] - 1
				if i < 0 || seen[i] {
					continue
				}
				if got := Explain(e, ev); !strings.Contains(got, want[i]) {
					t.Errorf("%s %s: %q, want it to say %q", batcher, ev.Kind, got, want[i])
				}
				seen[i] = true
			}
		}
		if !seen[0] || !seen[1] {
			t.Errorf("%s: swap out seen %v, back in %v", batcher, seen[0], seen[1])
		}
	}
}

// Captions explain preemptions with the event's own numbers, and stay quiet
// about routine events.
func TestExplain(t *testing.T) {
	c, _ := sim.ScenarioConfig("mixed")
	e, err := sim.New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.Step()
	cases := []struct {
		ev   sim.Event
		want string
	}{
		{sim.Event{Kind: sim.EvSwapOut, Req: 0, Bytes: 2e9, Dur: 45e6}, "2 GB of KV over PCIe 5 x16"},
		{sim.Event{Kind: sim.EvDropped, Req: 0, Tokens: 700}, "700 tokens"},
		{sim.Event{Kind: sim.EvDemoted, Req: 0, From: 0, To: 1}, "level 1"},
		{sim.Event{Kind: sim.EvToken, Req: 0}, ""},
	}
	for _, tc := range cases {
		got := Explain(e, tc.ev)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v: %q, want it to mention %q", tc.ev, got, tc.want)
		}
	}
}
