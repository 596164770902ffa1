package playback

import (
	"bytes"
	"fmt"
	"testing"

	"inferplay/sim"
)

func player(t *testing.T, scenario, timing string) *Player {
	t.Helper()
	c, err := sim.ScenarioConfig(scenario)
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = timing
	p, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fingerprint is everything observable about an engine's state.
func fingerprint(t *testing.T, e *sim.Engine) string {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteRequests(&b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(b.String(), "|", e.Now(), "|", e.Tick(), "|", e.Counters(), "|",
		string(int32sToBytes(e.VRAMOwners().Clone())), "|", string(int32sToBytes(e.CPUOwners().Clone())), "|", e.Transfers().Clone())
}

func int32sToBytes(v []int32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		out = append(out, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	}
	return out
}

// Stepping forward N and back N gives the identical engine state, for N
// within one snapshot spacing and across many, on both timing models.
func TestStepForwardAndBackIsIdentity(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		p := player(t, "mixed", timing)
		for _, n := range []int{1, 7, 63, 64, 65, 500, 3000} {
			before := fingerprint(t, p.Engine())
			pos := p.Position()
			for range n {
				p.Step()
			}
			p.StepBack(p.Position() - pos)
			if p.Position() != pos || fingerprint(t, p.Engine()) != before {
				t.Fatalf("%s: forward %d and back differs (at %d, want %d)", timing, n, p.Position(), pos)
			}
			for range 37 {
				p.Step() // move on, so the next round starts elsewhere
			}
		}
	}
}

// Seeking to a position gives the state that stepping there gives, and the
// snapshots stay bounded however long the run.
func TestSeekMatchesSteppingAndMemoryIsBounded(t *testing.T) {
	a, b := player(t, "docprocessing", "classic"), player(t, "docprocessing", "classic")
	for !a.Finished() {
		a.Step()
		if a.Snapshots() > maxSnapshots {
			t.Fatalf("%d snapshots at step %d", a.Snapshots(), a.Position())
		}
	}
	end := a.Position()
	for _, pos := range []int{end / 3, end / 2, 10, end - 1, 0, end} {
		a.Seek(pos)
		b.Restart()
		for b.Position() < pos {
			b.Step()
		}
		if fingerprint(t, a.Engine()) != fingerprint(t, b.Engine()) {
			t.Fatalf("seek to %d differs from stepping there", pos)
		}
	}
	if a.Snapshots() < maxSnapshots/2 {
		t.Fatalf("only %d snapshots over %d steps", a.Snapshots(), end)
	}
}

// Frames advance by the speed: a quarter tick per frame at ¼×, 16 at 16×,
// nothing when paused.
func TestSpeeds(t *testing.T) {
	p := player(t, "chatbot", "classic")
	p.SetSpeed(0.25)
	for range 8 {
		p.Frame()
	}
	if p.Position() != 2 {
		t.Fatalf("8 frames at ¼×: %d steps", p.Position())
	}
	p.SetSpeed(16)
	p.Frame()
	if p.Position() != 18 || p.SpeedLabel() != "16×" {
		t.Fatalf("one frame at 16×: %d steps (%s)", p.Position(), p.SpeedLabel())
	}
	p.Faster()
	if p.Speed() != 16 {
		t.Fatal("faster than the fastest")
	}
	p.SetPaused(true)
	p.Frame()
	if p.Position() != 18 {
		t.Fatal("a paused frame moved")
	}
	for range 10 {
		p.Slower()
	}
	if p.SpeedLabel() != "0.25×" {
		t.Fatalf("slowest is %s", p.SpeedLabel())
	}
}

// Scrubbing: the furthest position seen stays the end of the bar when going
// back, and seeking anywhere before it is exact.
func TestScrubRange(t *testing.T) {
	p := player(t, "mixed", "roofline")
	for range 900 {
		p.Step()
	}
	p.Seek(300)
	if p.Seen() != 900 || p.Position() != 300 {
		t.Fatalf("seen %d, at %d", p.Seen(), p.Position())
	}
	p.Seek(899)
	if p.Seen() != 900 || p.Position() != 899 {
		t.Fatalf("seen %d, at %d", p.Seen(), p.Position())
	}
}

// A run that swaps hundreds of thousands of KV blocks keeps its snapshots
// under the byte bound, however many steps it runs.
func TestSnapshotBytesBounded(t *testing.T) {
	c, _ := sim.ScenarioConfig("docprocessing")
	c.Workload.Requests, c.Workload.Rate = 2000, 50
	p, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30_000 && !p.Finished(); i++ {
		p.Step()
		if p.snaps.bytes > maxSnapshotBytes+footprint(p.Engine()) {
			t.Fatalf("step %d: snapshots hold about %d MB", i, p.snaps.bytes>>20)
		}
	}
	if p.Engine().CPUBlocksHeld() < 100_000 || p.Snapshots() < 8 {
		t.Fatalf("%d CPU blocks, %d snapshots: not the heavy run intended", p.Engine().CPUBlocksHeld(), p.Snapshots())
	}
	p.Seek(p.Position() / 2) // and rewinding still works
}
