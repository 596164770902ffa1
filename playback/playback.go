// Package playback drives an engine the way a viewer watches it: at a
// speed, paused or playing, one tick forward or back, and scrubbing to any
// tick already seen. It is pure logic over sim (no graphics), so it runs
// and is tested anywhere.
package playback

import (
	"inferplay/sim"
)

// Player owns an engine and moves it through time.
type Player struct {
	pace
	history
	cfg   sim.Config
	eng   *sim.Engine
	snaps snapshots[*sim.Engine]
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
	p := &Player{cfg: cfg, eng: eng, pace: pace{speed: DefaultSpeed}}
	p.snaps.reset(eng, footprint)
	p.history.start(eng.Now())
	return p, nil
}

// Finished reports whether the run has ended.
func (p *Player) Finished() bool { return p.eng.Done() }

// Engine is the engine at the current tick. Views on it must not be kept
// across a call that moves the player (a step back replaces it).
func (p *Player) Engine() *sim.Engine { return p.eng }

// Config is the configuration the player runs.
func (p *Player) Config() sim.Config { return p.cfg }

// Frame advances time by one frame's worth of ticks unless paused, and
// returns the events of the ticks it ran.
func (p *Player) Frame() []sim.Event {
	p.events = p.events[:0]
	if p.paused || p.eng.Done() {
		return p.events
	}
	for n := p.due(1); n > 0 && !p.eng.Done(); n-- {
		p.step()
	}
	return p.events
}

// Step runs one tick (and pauses: stepping is for looking closely).
func (p *Player) Step() []sim.Event {
	p.SetPaused(true)
	p.events = p.events[:0]
	if !p.eng.Done() {
		p.step()
	}
	return p.events
}

// Forward is Step for controls, which look at the engine, not the events.
func (p *Player) Forward() { p.Step() }

func (p *Player) step() {
	p.events = append(p.events, p.eng.Step()...)
	p.advanced()
}

func (p *Player) advanced() { p.snaps.advanced(&p.history, p.eng) }

// StepBack goes back n steps (to the start at most) and pauses.
func (p *Player) StepBack(n int) { p.Seek(p.steps - n) }

// Seek goes to a position: back by restoring the nearest snapshot at or
// before it and replaying forward (the engine is deterministic, so the
// replay is the same run), forward by stepping. It pauses, and it stops
// early at the end of the run.
func (p *Player) Seek(position int) {
	p.SetPaused(true)
	p.events = p.events[:0]
	p.eng = p.snaps.seek(&p.history, p.eng, position, stepEngine)
}

func stepEngine(e *sim.Engine) { e.Step() }

// Restart goes back to tick 0 with the same configuration and seed.
func (p *Player) Restart() { p.Seek(0) }

// Snapshots is the number of snapshots held, for tests of the memory bound.
func (p *Player) Snapshots() int { return len(p.snaps.list) }
