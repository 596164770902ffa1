package playback

import (
	"fmt"
	"slices"
	"time"
)

// Speeds are the playback rates a viewer steps through, in ticks per frame
// (below 1: a tick every few frames).
var Speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16}

// DefaultSpeed is the index of 1× in Speeds.
const DefaultSpeed = 2

// pace is how frames move a player: its speed, whether it is paused, and
// the fraction of a step the slow speeds owe.
type pace struct {
	speed  int // index into Speeds
	paused bool
	carry  float64
}

// Paused reports whether frames leave time alone.
func (p *pace) Paused() bool { return p.paused }

// SetPaused pauses or resumes.
func (p *pace) SetPaused(paused bool) { p.paused, p.carry = paused, 0 }

// Speed is the playback rate in ticks per frame.
func (p *pace) Speed() float64 { return Speeds[p.speed] }

// SpeedLabel names the rate for the screen ("0.25×", "16×"): in digits,
// which every font the app draws with has (the panels' bitmap font has no
// fraction glyphs).
func (p *pace) SpeedLabel() string { return fmt.Sprintf("%g×", Speeds[p.speed]) }

// Faster and Slower move along Speeds, stopping at the ends.
func (p *pace) Faster() { p.speed = min(p.speed+1, len(Speeds)-1) }
func (p *pace) Slower() { p.speed = max(p.speed-1, 0) }

// SetSpeed picks the entry of Speeds nearest to ticksPerFrame.
func (p *pace) SetSpeed(ticksPerFrame float64) {
	best := 0
	for i, s := range Speeds {
		if abs(s-ticksPerFrame) < abs(Speeds[best]-ticksPerFrame) {
			best = i
		}
	}
	p.speed = best
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// due is how many steps a frame runs, at stepsPerTick steps to a tick.
func (p *pace) due(stepsPerTick float64) int {
	p.carry += Speeds[p.speed] * stepsPerTick
	n := int(p.carry)
	p.carry -= float64(n)
	return n
}

// history is where a player stands: the steps taken since the start, the
// furthest reached, and the simulated time at each position seen.
type history struct {
	steps int // Step calls since tick 0: the position rewinding counts in
	seen  int // the furthest position reached, the end of the scrub bar
	// times are the simulated time at each position seen (times[0] is
	// the start), so that scrubbing can be in seconds.
	times []time.Duration
}

func (h *history) start(now time.Duration) { h.times = append(h.times[:0], now) }

// record counts a step just taken, which reached now.
func (h *history) record(now time.Duration) {
	h.steps++
	h.seen = max(h.seen, h.steps)
	if h.steps == len(h.times) {
		h.times = append(h.times, now)
	}
}

// Position is the number of engine steps since the start. It equals the
// tick except where the engine skips idle ticks in one step.
func (h *history) Position() int { return h.steps }

// Seen is the furthest position reached so far: scrubbing goes anywhere
// from 0 to it.
func (h *history) Seen() int { return h.seen }

// TimeAt is the simulated time at a position already seen (clamped to
// what has been seen).
func (h *history) TimeAt(position int) time.Duration {
	return h.times[max(0, min(position, len(h.times)-1))]
}

// PositionAt is the first position seen whose simulated time is at or
// after d: where scrubbing to a time goes.
func (h *history) PositionAt(d time.Duration) int {
	i, _ := slices.BinarySearch(h.times, d)
	return min(i, len(h.times)-1)
}
