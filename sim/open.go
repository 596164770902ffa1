package sim

import (
	"fmt"
	"time"
)

// Driving an engine from outside: a router that hands each request to one
// of several engines, or a comparison that runs two engines on one clock.
// The driver asks each engine when it next has something to do
// (NextEvent), moves it to a time (AdvanceTo, or StepBefore to see each
// iteration's events) and gives it requests as they arrive (Submit). An
// engine fed this way runs exactly as it would with the same requests as
// its own workload.

// NewOpen builds an engine with no workload of its own: every request
// comes from Submit. The configuration's workload and trace are ignored.
func NewOpen(cfg Config, opts ...Option) (*Engine, error) {
	cfg.Trace, cfg.TraceName = nil, ""
	if err := cfg.validateServer(); err != nil {
		return nil, err
	}
	return build(cfg, openSource{}, opts), nil
}

// Submit gives the engine a request from outside. It arrives at
// s.Arrival, raised to the latest arrival before it so that IDs keep
// arrival order, and joins the queue at the engine's next iteration. An
// arrival after the engine's clock is taken only if the engine has nothing
// to do before it (advance it first); the clock then moves on to it. A
// request that can never fit in VRAM is taken and rejected there, with its
// reason, as any other. Submit returns the request's ID, or a one-line
// error if the spec is not a request at all.
func (e *Engine) Submit(s Spec) (int, error) {
	switch {
	case s.Input < 1 || s.Input > MaxTokens:
		return 0, fmt.Errorf("submit: input_tokens %d is not a whole number from 1 to %d", s.Input, MaxTokens)
	case s.Output < 1 || s.Output > MaxTokens:
		return 0, fmt.Errorf("submit: output_tokens %d is not a whole number from 1 to %d", s.Output, MaxTokens)
	case s.Class != Interactive && s.Class != Batch:
		return 0, fmt.Errorf("submit: class %d is not interactive (0) or batch (1)", s.Class)
	}
	if s.Arrival > e.now && !e.stopped() {
		if at, ok := e.NextEvent(); ok && at < s.Arrival {
			return 0, fmt.Errorf("submit: arrival %s: the engine has work to do from %s; advance it to the arrival first", s.Arrival, at)
		}
		e.idleUntil(s.Arrival) // nothing happens before it
	}
	// The engine's own requests that arrive first take the earlier IDs.
	e.pull(s.Arrival)
	if n := len(e.reqs); n > 0 {
		s.Arrival = max(s.Arrival, e.reqs[n-1].Arrival)
	}
	s.Arrival = max(s.Arrival, 0)
	id := len(e.reqs)
	e.reqs = append(e.reqs, Request{ID: id, Spec: s, tag: -1})
	e.waitEnd = 0 // it may run before a wait for a copy ends
	return id, nil
}

// NextEvent is when the engine next has something to do: now, if requests
// are under way (its next iteration runs, or waits for a copy, from now;
// after StepBefore cut such a wait short, when the wait ends), otherwise
// the start of the iteration that takes its next arrival. It
// reports false when nothing is left to do: an open engine waits for
// Submit, and a stuck one for nothing.
func (e *Engine) NextEvent() (time.Duration, bool) {
	if e.stuck != "" {
		return 0, false
	}
	if e.next > e.stats.finished || e.next < len(e.reqs) {
		if e.waitEnd > e.now {
			// A wait for a copy was cut short at a driver's horizon:
			// nothing can run before it ends.
			return e.waitEnd, true
		}
		return e.now, true
	}
	at, ok := e.src.next()
	if !ok {
		return 0, false
	}
	if at <= e.now {
		return e.now, true
	}
	if e.fixedTick > 0 {
		// The first tick to start at or after the arrival.
		return e.now + (at-e.now+e.fixedTick-1)/e.fixedTick*e.fixedTick, true
	}
	return at, true
}

// StepBefore runs one iteration if the engine has one to start before t,
// never waiting (for an arrival or a copy) past t, and returns its events
// (reused by the next call) and whether it did anything: ran an
// iteration, or waited. Call it until it reports false to reach t. An
// iteration that starts before t may end after it: iterations are never
// split.
func (e *Engine) StepBefore(t time.Duration) ([]Event, bool) {
	e.events = e.events[:0]
	at, ok := e.NextEvent()
	if !ok || at >= t {
		return e.events, false
	}
	tick, now := e.tick, e.now
	e.horizon, e.bounded = t, true
	e.batcher.step(e)
	e.bounded = false
	return e.events, e.tick > tick || e.now > now
}

// stopped reports whether the engine has run its MaxTicks iterations. It
// still takes requests (Submit), which it leaves unfinished: a driver's
// traffic is never lost, only cut short.
func (e *Engine) stopped() bool { return e.cfg.MaxTicks > 0 && e.tick >= e.cfg.MaxTicks }

// capped bounds a wait until t by the driver's horizon, if there is one,
// and reports whether it did.
func (e *Engine) capped(t time.Duration) (time.Duration, bool) {
	if e.bounded && t > e.horizon {
		return e.horizon, true
	}
	return t, false
}

// AdvanceTo runs every iteration that starts before t (use StepBefore to
// see their events). An idle engine's clock stays where its last iteration
// ended, so that its summary covers its own run; Submit moves it on.
func (e *Engine) AdvanceTo(t time.Duration) {
	e.quiet = true
	defer func() { e.quiet = false }()
	for {
		if _, did := e.StepBefore(t); !did {
			return
		}
	}
}
