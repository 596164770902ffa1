package scenes

import (
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/sim"
)

// Every beat points inside its chart at what its caption names, and the
// captions carry the timing model's own numbers.
func TestRooflineBeats(t *testing.T) {
	kit := testKit(t)
	r := NewRoofline(kit, sim.DefaultSeed)
	if r.err != "" {
		t.Fatal(r.err)
	}
	c := r.Curves()
	words := r.Beats()
	if !strings.Contains(words[1], thousands(c.Knee)+" tokens") || !strings.Contains(words[0], fmtDur(c.Prompt[0].Iteration)) {
		t.Fatalf("captions lack the knee (%d) or the first iteration (%s):\n%s\n%s", c.Knee, fmtDur(c.Prompt[0].Iteration), words[0], words[1])
	}
	r.Layout(Rect{0, 0, 1920, 1080})
	img := ebiten.NewImage(1920, 1080)
	for i := range 3 {
		r.SetBeat(i)
		img.Clear()
		r.Draw(img)
		if len(r.Callouts()) == 0 {
			t.Fatalf("beat %d points at nothing", i+1)
		}
		for _, co := range r.Callouts() {
			if co.Box.W <= 0 || co.Box.H <= 0 || !inside(co.Box, r.chrome.Body) {
				t.Fatalf("beat %d: callout %q at %v", i+1, co.Label, co.Box)
			}
		}
	}
	if r.Transport() != nil {
		t.Fatal("nothing plays in the roofline scene")
	}
}

// Another model or GPU moves the knee; a setup that cannot run says why
// instead of drawing curves.
func TestRooflineSetup(t *testing.T) {
	kit := testKit(t)
	r := NewRoofline(kit, sim.DefaultSeed)
	h100 := r.Curves()
	s := r.Setup()
	s.GPU = "a100"
	r.SetSetup(s)
	if r.err != "" {
		t.Fatal(r.err)
	}
	a100 := r.Curves()
	if a100.Prompt[0].Iteration <= h100.Prompt[0].Iteration {
		t.Fatalf("reading the weights on an A100 (%s) should take longer than on an H100 (%s)", a100.Prompt[0].Iteration, h100.Prompt[0].Iteration)
	}
	s.Model, s.Precision = "llama3-70b", "fp16"
	r.SetSetup(s)
	if r.err == "" || strings.Contains(r.err, "\n") {
		t.Fatalf("70B at fp16 on one A100: %q", r.err)
	}
	img := ebiten.NewImage(1920, 1080)
	r.Layout(Rect{0, 0, 1920, 1080})
	r.Draw(img) // the error in place of the charts, no panic
	t.Logf("one token: H100 %s, A100 %s", h100.Prompt[0].Iteration, a100.Prompt[0].Iteration)
	r.SetBeat(1)
	if r.Setup() != lesson.DefaultRooflineSetup || r.err != "" {
		t.Fatal("entering a beat did not restore its setup")
	}
}
