package scenes

import (
	"fmt"
	"sort"
	"time"
)

// slowClock plays a run that was computed ahead in slowed simulated time,
// so that a 17 ms prefill and a 6 ms decode step keep their proportions
// on screen. Step and StepBack stop at the marks (iteration ends).
type slowClock struct {
	at, end time.Duration
	// stop, when above 0, pauses playback once reached: a beat that shows
	// only part of a run.
	stop   time.Duration
	marks  []time.Duration
	paused bool
	speed  int // index into clockSpeeds
	// base is simulated time per wall second at 1×.
	base float64
}

// clockSpeeds multiply the base pace, like the player's speeds.
var clockSpeeds = []float64{0.25, 0.5, 1, 2, 4}

const clockDefaultSpeed = 2

// reset starts over for a run of the given length, paced so that the whole
// run takes about wall at 1×.
func (c *slowClock) reset(end time.Duration, marks []time.Duration, wall time.Duration) {
	*c = slowClock{end: end, marks: marks, paused: true, speed: clockDefaultSpeed,
		base: float64(end) / float64(max(wall, time.Second))}
}

// advance moves time on by a frame of dt, unless paused.
func (c *slowClock) advance(dt time.Duration) {
	if c.paused {
		return
	}
	c.at += time.Duration(float64(dt) * c.base * clockSpeeds[c.speed])
	if c.stop > 0 && c.at >= c.stop {
		c.at, c.paused, c.stop = c.stop, true, 0
	}
	if c.at >= c.end {
		c.at, c.paused = c.end, true
	}
}

func (c *slowClock) Paused() bool { return c.paused }

func (c *slowClock) SetPaused(p bool) {
	if !p && c.at >= c.end {
		c.at = 0 // playing a finished run plays it again
	}
	c.paused = p
}

// Step goes to the next mark and pauses.
func (c *slowClock) Step() {
	c.paused = true
	i := sort.Search(len(c.marks), func(i int) bool { return c.marks[i] > c.at })
	if i < len(c.marks) {
		c.at = c.marks[i]
	}
}

// StepBack goes to the previous mark (or the start) and pauses.
func (c *slowClock) StepBack() {
	c.paused = true
	i := sort.Search(len(c.marks), func(i int) bool { return c.marks[i] >= c.at })
	if i > 0 {
		c.at = c.marks[i-1]
	} else {
		c.at = 0
	}
}

func (c *slowClock) Slower() { c.speed = max(c.speed-1, 0) }
func (c *slowClock) Faster() { c.speed = min(c.speed+1, len(clockSpeeds)-1) }

func (c *slowClock) Restart() { c.at, c.paused, c.stop = 0, false, 0 }

// play plays from one time, pausing at another (0: the end).
func (c *slowClock) play(from, stop time.Duration) {
	c.at, c.stop, c.paused = from, stop, false
}

// Label says how much slower than real time the run plays.
func (c *slowClock) Label() string {
	state := "playing"
	switch {
	case c.at >= c.end:
		state = "finished"
	case c.paused:
		state = "paused"
	}
	rate := c.base * clockSpeeds[c.speed] // simulated seconds per second
	return fmt.Sprintf("%s · %.0f× slow motion", state, 1/rate)
}

// fmtDur writes a simulated duration the way the scenes label them.
func fmtDur(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
