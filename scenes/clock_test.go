package scenes

import (
	"testing"
	"time"
)

// The slow clock plays simulated time at its pace, pauses at a beat's stop
// and at the end, and steps from mark to mark both ways.
func TestSlowClock(t *testing.T) {
	var c slowClock
	marks := []time.Duration{10 * time.Millisecond, 30 * time.Millisecond, 60 * time.Millisecond}
	c.reset(60*time.Millisecond, marks, 6*time.Second) // 10 ms of run per second
	if !c.Paused() || c.at != 0 {
		t.Fatalf("after reset: paused %v at %v", c.Paused(), c.at)
	}
	c.play(0, 30*time.Millisecond)
	c.advance(time.Second)
	if c.at != 10*time.Millisecond || c.Paused() {
		t.Errorf("a second at 1×: %v, paused %v", c.at, c.Paused())
	}
	c.advance(5 * time.Second)
	if c.at != 30*time.Millisecond || !c.Paused() {
		t.Errorf("past the stop: %v, paused %v", c.at, c.Paused())
	}
	c.SetPaused(false) // goes on from the stop, not from the start
	c.Faster()
	c.advance(time.Second)
	if c.at != 50*time.Millisecond {
		t.Errorf("a second at 2×: %v", c.at)
	}
	c.advance(time.Hour)
	if c.at != 60*time.Millisecond || !c.Paused() {
		t.Errorf("at the end: %v, paused %v", c.at, c.Paused())
	}
	c.StepBack()
	c.StepBack()
	if c.at != 10*time.Millisecond {
		t.Errorf("two steps back from the end: %v", c.at)
	}
	c.Step()
	if c.at != 30*time.Millisecond || !c.Paused() {
		t.Errorf("a step on: %v", c.at)
	}
	c.SetPaused(false)
	c.advance(time.Hour)
	c.SetPaused(false) // playing a finished run plays it again
	if c.at != 0 || c.Paused() {
		t.Errorf("replay: %v, paused %v", c.at, c.Paused())
	}
}
