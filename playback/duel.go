package playback

import (
	"time"

	"inferplay/duel"
	"inferplay/sim"
)

// DuelPlayer moves a duel's two engines through time together: one
// position counts the duel's steps, so that rewinding, scrubbing and
// stepping act on both halves at once, and each step moves the side that
// is behind on the shared simulated clock.
type DuelPlayer struct {
	pace
	history
	d      *duel.Duel
	snaps  snapshots[*duel.Duel]
	events [2][]sim.Event // each side's events since the last frame
}

// duelStepsPerTick: a duel step moves one side, so a frame runs two for
// every tick its speed asks for, and a step forward is two, so that at 1×
// both halves move about one iteration a frame, as a single run does.
const duelStepsPerTick = 2

// NewDuel builds a duel player at the start, playing at 1×.
func NewDuel(base sim.Config, sides [2]duel.Side) (*DuelPlayer, error) {
	d, err := duel.New(base, sides)
	if err != nil {
		return nil, err
	}
	p := &DuelPlayer{d: d, pace: pace{speed: DefaultSpeed}}
	p.snaps.reset(d, duelFootprint)
	p.history.start(d.Now())
	return p, nil
}

func duelFootprint(d *duel.Duel) int { return footprint(d.Engines[0]) + footprint(d.Engines[1]) }

// Sides are the duel's two settings.
func (p *DuelPlayer) Sides() [2]duel.Side { return p.d.Sides }

// Engine is side i's engine now. Like Player.Engine, it must not be kept
// across a call that moves the player.
func (p *DuelPlayer) Engine(i int) *sim.Engine { return p.d.Engines[i] }

// Now is the simulated time both sides have reached (see duel.Duel.Now).
func (p *DuelPlayer) Now() time.Duration { return p.d.Now() }

// Config is side i's configuration.
func (p *DuelPlayer) Config(i int) sim.Config { return p.d.Sides[i].Config }

// Finished reports whether both sides have ended.
func (p *DuelPlayer) Finished() bool { return p.d.Done() }

// Frame advances both sides by one frame's worth of steps unless paused,
// and returns each side's events of the steps it ran.
func (p *DuelPlayer) Frame() [2][]sim.Event {
	p.clearEvents()
	if p.paused || p.d.Done() {
		return p.events
	}
	for n := p.due(duelStepsPerTick); n > 0 && !p.d.Done(); n-- {
		p.step()
	}
	return p.events
}

// Step moves both sides on by about one iteration each, and pauses.
func (p *DuelPlayer) Step() [2][]sim.Event {
	p.SetPaused(true)
	p.clearEvents()
	for range duelStepsPerTick {
		if !p.d.Done() {
			p.step()
		}
	}
	return p.events
}

// Forward is Step for controls.
func (p *DuelPlayer) Forward() { p.Step() }

func (p *DuelPlayer) clearEvents() {
	for i := range p.events {
		p.events[i] = p.events[i][:0]
	}
}

func (p *DuelPlayer) step() {
	if side, events := p.d.Step(); side >= 0 {
		p.events[side] = append(p.events[side], events...)
	}
	p.advanced()
}

func (p *DuelPlayer) advanced() { p.snaps.advanced(&p.history, p.d) }

// StepBack goes back by n of Step's steps (to the start at most), and
// pauses.
func (p *DuelPlayer) StepBack(n int) { p.Seek(p.steps - n*duelStepsPerTick) }

// Seek goes to a position (in duel steps) the way Player.Seek does: back
// by a snapshot of both sides and a replay, forward by stepping.
func (p *DuelPlayer) Seek(position int) {
	p.SetPaused(true)
	p.clearEvents()
	p.d = p.snaps.seek(&p.history, p.d, position, stepDuel)
}

func stepDuel(d *duel.Duel) { d.Step() }

// Restart goes back to the start of both sides.
func (p *DuelPlayer) Restart() { p.Seek(0) }

// Side is one half as a view draws it: its engine and the shared
// playback state.
func (p *DuelPlayer) Side(i int) DuelSide { return DuelSide{p, i} }

// DuelSide is one half of a duel player.
type DuelSide struct {
	p *DuelPlayer
	i int
}

func (s DuelSide) Engine() *sim.Engine { return s.p.d.Engines[s.i] }
func (s DuelSide) Paused() bool        { return s.p.Paused() }
func (s DuelSide) SpeedLabel() string  { return s.p.SpeedLabel() }
func (s DuelSide) Finished() bool      { return s.p.d.Engines[s.i].Done() }
