package duel

import (
	"fmt"
	"time"

	"inferplay/sim"
)

// Duel is two engines serving one traffic.
type Duel struct {
	Sides   [2]Side
	Engines [2]*sim.Engine
}

// New builds both sides on base's traffic, generated once and given to
// both as a trace, so that they see the same requests at the same times
// whatever their settings (a closed loop's clients answer to each side's
// own latencies: there both draw the same think times and lengths from the
// seed, but send when their side's answers come).
func New(base sim.Config, sides [2]Side, opts ...sim.Option) (*Duel, error) {
	var traffic []sim.Spec
	if base.Trace == nil && base.Workload.Clients == 0 {
		var err error
		if traffic, err = base.Workload.Generate(base.Seed); err != nil {
			return nil, fmt.Errorf("duel: %w", err)
		}
	}
	d := &Duel{Sides: sides}
	for i, s := range sides {
		c := s.Config
		if traffic != nil {
			c.Trace = traffic
		}
		e, err := sim.New(c, opts...)
		if err != nil {
			return nil, fmt.Errorf("duel: %s: %w", s.Label, err)
		}
		d.Engines[i] = e
	}
	return d, nil
}

// Step moves the side whose next iteration starts first (the first side
// on a tie): it runs that iteration, or waits (for a copy, or an arrival)
// no later than the other side's next start. The two timelines are merged
// in time order, so that whatever has happened on one side by a simulated
// time has happened on the other too, give or take the iteration under
// way. It returns the side it moved (-1 once both are done) and that
// side's events, valid until its next step.
func (d *Duel) Step() (side int, events []sim.Event) {
	a, b := d.Engines[0], d.Engines[1]
	ta, okA := a.NextEvent()
	tb, okB := b.NextEvent()
	switch {
	case !okA && !okB:
		return -1, nil
	case !okB:
		return 0, a.Step()
	case !okA:
		return 1, b.Step()
	case ta <= tb:
		events, _ = a.StepBefore(tb + 1) // + 1 ns: an iteration starting at tb runs too
		return 0, events
	default:
		events, _ = b.StepBefore(ta + 1)
		return 1, events
	}
}

// Clone is an independent copy of both sides, to go back to.
func (d *Duel) Clone() *Duel {
	return &Duel{Sides: d.Sides, Engines: [2]*sim.Engine{d.Engines[0].Clone(), d.Engines[1].Clone()}}
}

// Now is the simulated time both sides have reached: the earlier clock of
// those still running (a side that has finished stays at its end), or the
// later end once both have.
func (d *Duel) Now() time.Duration {
	a, b := d.Engines[0], d.Engines[1]
	switch {
	case a.Done() && b.Done():
		return max(a.Now(), b.Now())
	case a.Done():
		return b.Now()
	case b.Done():
		return a.Now()
	}
	return min(a.Now(), b.Now())
}

// Done reports whether both sides have finished.
func (d *Duel) Done() bool { return d.Engines[0].Done() && d.Engines[1].Done() }

// Run runs both sides to the end.
func (d *Duel) Run() {
	for !d.Done() {
		d.Step()
	}
}
