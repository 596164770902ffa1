package playback

import (
	"testing"
	"time"

	"inferplay/duel"
	"inferplay/sim"
)

func duelPlayer(t *testing.T, spec string) *DuelPlayer {
	t.Helper()
	c, err := sim.ScenarioConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing = "roofline"
	sides, err := duel.ParseSides(c, spec)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewDuel(c, sides)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func duelPrint(t *testing.T, p *DuelPlayer) string {
	return fingerprint(t, p.Engine(0)) + "||" + fingerprint(t, p.Engine(1))
}

// Stepping a duel forward and back again gives both sides' exact states,
// and seeking anywhere gives what stepping there gives.
func TestDuelRewindIsExact(t *testing.T) {
	p := duelPlayer(t, "fcfs,mlfq")
	for _, n := range []int{1, 40, 300} {
		before, pos := duelPrint(t, p), p.Position()
		for range n {
			p.Step()
		}
		p.StepBack(n)
		if p.Position() != pos || duelPrint(t, p) != before {
			t.Fatalf("forward %d and back differs", n)
		}
		for range 50 {
			p.Frame()
		}
	}
	p.SetPaused(false)
	for !p.Finished() {
		p.Frame()
	}
	end := p.Position()
	q := duelPlayer(t, "fcfs,mlfq")
	for _, pos := range []int{end / 2, 7, end - 1} {
		p.Seek(pos)
		q.Restart()
		for q.Position() < pos {
			q.d.Step()
			q.advanced()
		}
		if duelPrint(t, p) != duelPrint(t, q) {
			t.Fatalf("seek to %d differs from stepping there", pos)
		}
	}
}

// Frames keep the halves within one iteration of each other on the
// simulated clock, even where their iterations differ in length.
func TestDuelFramesKeepOneClock(t *testing.T) {
	p := duelPlayer(t, "gpu=h100,gpu=a100")
	p.SetSpeed(4)
	for frames := 0; !p.Finished(); frames++ {
		if frames > 200_000 {
			t.Fatal("not finished")
		}
		p.Frame()
		a, b := p.Engine(0), p.Engine(1)
		if a.Done() || b.Done() {
			continue
		}
		if a.Now() < b.Now() {
			a, b = b, a
		}
		// The side behind has done all it does before its next event; the
		// side ahead is past it by at most the iteration it last ran.
		next, _ := b.NextEvent()
		if it := a.LastIteration(); a.Now() > next+it.Duration+time.Nanosecond {
			t.Fatalf("frame %d: one side at %s, the other's next event at %s, the last iteration lasted %s", frames, a.Now(), next, it.Duration)
		}
	}
	if p.Engine(0).Len() != p.Engine(1).Len() {
		t.Fatal("the sides served different traffic")
	}
}
