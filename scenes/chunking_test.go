package scenes

import (
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/sim"
)

// Each beat opens at its moment and points at what its caption names,
// inside the scene; the captions' numbers are the runs'; the legend names
// exactly the colours drawn.
func TestChunkingBeats(t *testing.T) {
	kit := testKit(t)
	c := NewChunking(kit, sim.DefaultSeed)
	if c.err != "" {
		t.Fatal(c.err)
	}
	whole, chunked := c.Runs()[0], c.Runs()[1]
	words := c.Beats()
	if !strings.Contains(words[1], fmtDur(whole.ChatGap)) || !strings.Contains(words[2], fmtDur(chunked.ChatGap)) ||
		!strings.Contains(words[2], fmtDur(chunked.DocTTFT)) {
		t.Fatalf("captions do not carry the runs' numbers:\n%s\n%s", words[1], words[2])
	}
	if c.target <= 0 || whole.ChatGap <= c.target || chunked.ChatGap >= c.target {
		t.Fatalf("the lesson: a gap of %s whole and %s chunked against a %s target", whole.ChatGap, chunked.ChatGap, c.target)
	}
	c.Layout(Rect{0, 0, 1920, 1080})
	img := ebiten.NewImage(1920, 1080)
	for i := range twinBeats {
		c.SetBeat(i)
		img.Clear()
		c.Draw(img)
		if len(c.Callouts()) == 0 {
			t.Fatalf("beat %d points at nothing", i+1)
		}
		for _, co := range c.Callouts() {
			if !inside(co.Box, c.chrome.Body) || co.Box.W <= 0 || co.Box.H <= 0 {
				t.Fatalf("beat %d: callout %q at %v outside the body %v", i+1, co.Label, co.Box, c.chrome.Body)
			}
		}
	}
	if len(c.legend()) != 2 || c.legend()[0].c != kit.Theme.Prefill || c.legend()[1].c != kit.Theme.Decode {
		t.Fatal("the legend must name the prefill and token colours, and only those")
	}
	if lesson.ChunkingDocTokens() < 4*lesson.ChunkingBudget {
		t.Fatal("the document must span several chunks")
	}
}
