package scenes

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/sim"
)

// Each beat opens at the moment its caption describes and points at what
// it names; the captions' numbers are the runs'; the charts draw idle
// slots on the static run only while requests wait, in the colours the
// legend names.
func TestBatchingBeats(t *testing.T) {
	kit := testKit(t)
	b := NewBatching(kit, sim.DefaultSeed)
	if b.err != "" {
		t.Fatal(b.err)
	}
	st, co := b.Runs()[0], b.Runs()[1]
	words := b.Beats()
	if len(words) != len(twinBeats) {
		t.Fatalf("%d captions for %d beats", len(words), len(twinBeats))
	}
	for _, want := range []string{fmtDur(co.End), fmtDur(st.End)} {
		if !strings.Contains(words[2], want) {
			t.Fatalf("the last caption lacks %q: %s", want, words[2])
		}
	}
	b.Layout(Rect{0, 0, 1920, 1080})
	img := ebiten.NewImage(1920, 1080)
	for i := range twinBeats {
		b.SetBeat(i)
		img.Clear()
		b.Draw(img)
		if len(b.Callouts()) == 0 {
			t.Fatalf("beat %d points at nothing", i+1)
		}
		for _, c := range b.Callouts() {
			if !inside(c.Box, b.chrome.Body) {
				t.Fatalf("beat %d: callout %q at %v outside the body %v", i+1, c.Label, c.Box, b.chrome.Body)
			}
		}
		switch i {
		case 0:
			if b.clock.at != 0 || !b.clock.Paused() {
				t.Fatal("the first beat should wait at the start")
			}
		case 1:
			if b.clock.Paused() {
				t.Fatal("the second beat should play")
			}
		case 2:
			if b.clock.at != b.span {
				t.Fatal("the last beat should show both runs whole")
			}
		}
	}
	// The legend names exactly the colours the cells are drawn in.
	legend := map[string]bool{}
	for _, e := range b.legend() {
		legend[colourKey(e.c)] = true
	}
	for _, u := range []lesson.SlotUse{lesson.SlotIdle, lesson.SlotPrefill, lesson.SlotDecode} {
		if !legend[colourKey(b.cellColour(u))] {
			t.Fatalf("slot use %d drawn in a colour the legend does not name", u)
		}
	}
	if len(legend) != 3 {
		t.Fatalf("the legend names %d colours, the chart draws 3", len(legend))
	}
	// The static run idles; the continuous one does not while anyone waits.
	if st.IdleShare <= co.IdleShare {
		t.Fatalf("idle: static %.2f, continuous %.2f", st.IdleShare, co.IdleShare)
	}
	if lesson.BatchingSlots != 4 {
		t.Fatal("the chart's label column is sized for four slots")
	}
}

func colourKey(c color.RGBA) string { return fmt.Sprint(c) }
