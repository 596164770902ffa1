// Package playback drives an engine the way a viewer watches it: at a
// speed, paused or playing, one tick forward or back, and scrubbing to any
// tick already seen. It is pure logic over sim (no graphics), so it runs
// and is tested anywhere.
package playback

import (
	"fmt"
	"slices"
	"time"

	"inferplay/sim"
)

// Speeds are the playback rates a viewer steps through, in ticks per frame
// (below 1: a tick every few frames).
var Speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16}

// DefaultSpeed is the index of 1× in Speeds.
const DefaultSpeed = 2

// Player owns an engine and moves it through time.
type Player struct {
	cfg   sim.Config
	eng   *sim.Engine
	steps int // Step calls since tick 0: the position rewinding counts in
	seen  int // the furthest position reached, the end of the scrub bar
	snaps snapshots
	// times are the simulated time at each position seen (times[0] is
	// the start), so that scrubbing can be in seconds.
	times  []time.Duration
	speed  int     // index into Speeds
	paused bool    // frames do not advance time
	carry  float64 // fraction of a tick owed by slow speeds
	// events are those of the ticks run since the last frame, for captions
	// and animations; they are reused.
	events []sim.Event
}

// New builds a player at tick 0, paused or playing at 1×.
func New(cfg sim.Config) (*Player, error) {
	eng, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	p := &Player{cfg: cfg, eng: eng, speed: DefaultSpeed}
	p.snaps.reset(eng)
	p.times = append(p.times, eng.Now())
	return p, nil
}

// Position is the number of engine steps since the start. It equals the
// tick except where the engine skips idle ticks in one step.
func (p *Player) Position() int { return p.steps }

// Finished reports whether the run has ended.
func (p *Player) Finished() bool { return p.eng.Done() }

// Engine is the engine at the current tick. Views on it must not be kept
// across a call that moves the player (a step back replaces it).
func (p *Player) Engine() *sim.Engine { return p.eng }

// Config is the configuration the player runs.
func (p *Player) Config() sim.Config { return p.cfg }

// Paused reports whether frames leave time alone.
func (p *Player) Paused() bool { return p.paused }

// SetPaused pauses or resumes.
func (p *Player) SetPaused(paused bool) { p.paused, p.carry = paused, 0 }

// Speed is the playback rate in ticks per frame.
func (p *Player) Speed() float64 { return Speeds[p.speed] }

// SpeedLabel names the rate for the screen ("0.25×", "16×"): in digits,
// which every font the app draws with has (the panels' bitmap font has no
// fraction glyphs).
func (p *Player) SpeedLabel() string { return fmt.Sprintf("%g×", Speeds[p.speed]) }

// Faster and Slower move along Speeds, stopping at the ends.
func (p *Player) Faster() { p.speed = min(p.speed+1, len(Speeds)-1) }
func (p *Player) Slower() { p.speed = max(p.speed-1, 0) }

// SetSpeed picks the entry of Speeds nearest to ticksPerFrame.
func (p *Player) SetSpeed(ticksPerFrame float64) {
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

// Frame advances time by one frame's worth of ticks unless paused, and
// returns the events of the ticks it ran.
func (p *Player) Frame() []sim.Event {
	p.events = p.events[:0]
	if p.paused || p.eng.Done() {
		return p.events
	}
	p.carry += Speeds[p.speed]
	for p.carry >= 1 && !p.eng.Done() {
		p.carry--
		p.step()
	}
	return p.events
}

// Step runs one tick (and pauses: stepping is for looking closely).
func (p *Player) Step() []sim.Event {
	p.paused, p.carry = true, 0
	p.events = p.events[:0]
	if !p.eng.Done() {
		p.step()
	}
	return p.events
}

func (p *Player) step() {
	p.events = append(p.events, p.eng.Step()...)
	p.advanced()
}

// advanced records a step just taken.
func (p *Player) advanced() {
	p.steps++
	p.seen = max(p.seen, p.steps)
	if p.steps == len(p.times) {
		p.times = append(p.times, p.eng.Now())
	}
	p.snaps.maybeTake(p.eng, p.steps)
}

// TimeAt is the simulated time at a position already seen (clamped to
// what has been seen).
func (p *Player) TimeAt(position int) time.Duration {
	return p.times[max(0, min(position, len(p.times)-1))]
}

// PositionAt is the first position seen whose simulated time is at or
// after d: where scrubbing to a time goes.
func (p *Player) PositionAt(d time.Duration) int {
	i, _ := slices.BinarySearch(p.times, d)
	return min(i, len(p.times)-1)
}

// Seen is the furthest position reached so far: scrubbing goes anywhere
// from 0 to it.
func (p *Player) Seen() int { return p.seen }

// StepBack goes back n steps (to the start at most) and pauses.
func (p *Player) StepBack(n int) { p.Seek(p.steps - n) }

// Seek goes to a position: back by restoring the nearest snapshot at or
// before it and replaying forward (the engine is deterministic, so the
// replay is the same run), forward by stepping. It pauses, and it stops
// early at the end of the run.
func (p *Player) Seek(position int) {
	p.paused, p.carry = true, 0
	p.events = p.events[:0]
	position = max(position, 0)
	if position < p.steps {
		snap := p.snaps.before(position)
		p.eng, p.steps = snap.eng.Clone(), snap.steps
	}
	for p.steps < position && !p.eng.Done() {
		p.eng.Step()
		p.advanced()
	}
}

// Restart goes back to tick 0 with the same configuration and seed.
func (p *Player) Restart() { p.Seek(0) }

// Snapshots is the number of snapshots held, for tests of the memory bound.
func (p *Player) Snapshots() int { return len(p.snaps.list) }
