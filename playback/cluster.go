package playback

import (
	"time"

	"inferplay/cluster"
)

// ClusterPlayer moves clusters through time together, a fixed slice of
// simulated time a step: one cluster, or two serving the same traffic side
// by side. Going back replays from the start, which is exact (the run is
// deterministic) and cheap beside drawing: a lesson's clusters serve a few
// hundred requests.
type ClusterPlayer struct {
	pace
	build   func() ([]*cluster.Cluster, error)
	sides   []*cluster.Cluster
	steps   int
	seen    int // the furthest position reached
	err     error
	quantum time.Duration
}

// ClusterStep is the simulated time a step moves on: about one iteration
// of a replica at its busiest, so that at 1× a picture moves as a single
// run's does.
const ClusterStep = 10 * time.Millisecond

// NewCluster builds a player at the start, playing at 1×, of the clusters
// build makes (it is called again to go back).
func NewCluster(build func() ([]*cluster.Cluster, error)) (*ClusterPlayer, error) {
	sides, err := build()
	if err != nil {
		return nil, err
	}
	return &ClusterPlayer{build: build, sides: sides, pace: pace{speed: DefaultSpeed}, quantum: ClusterStep}, nil
}

// Side is cluster i now; it must not be kept across a call that moves
// the player back (a rebuild).
func (p *ClusterPlayer) Side(i int) *cluster.Cluster { return p.sides[i] }

// Sides is how many clusters play.
func (p *ClusterPlayer) Sides() int { return len(p.sides) }

// Now is the simulated time every cluster has been brought to.
func (p *ClusterPlayer) Now() time.Duration { return time.Duration(p.steps) * p.quantum }

// Position is the steps taken from the start.
func (p *ClusterPlayer) Position() int { return p.steps }

// Err is why a cluster could not go on, if one could not.
func (p *ClusterPlayer) Err() error { return p.err }

// Finished reports whether every cluster is done, or one failed.
func (p *ClusterPlayer) Finished() bool {
	if p.err != nil {
		return true
	}
	for _, c := range p.sides {
		if !c.Done() {
			return false
		}
	}
	return true
}

// Frame moves the clusters on by a frame's worth of steps unless paused,
// and reports how many steps it ran.
func (p *ClusterPlayer) Frame() int {
	if p.paused {
		return 0
	}
	n := 0
	for due := p.due(1); due > 0 && !p.Finished(); due-- {
		p.step()
		n++
	}
	return n
}

func (p *ClusterPlayer) step() {
	p.steps++
	p.seen = max(p.seen, p.steps)
	for _, c := range p.sides {
		if err := c.AdvanceTo(p.Now()); err != nil && p.err == nil {
			p.err = err
		}
	}
}

// Forward moves one step on, and pauses.
func (p *ClusterPlayer) Forward() {
	p.SetPaused(true)
	if !p.Finished() {
		p.step()
	}
}

// StepBack goes back n steps (to the start at most), and pauses.
func (p *ClusterPlayer) StepBack(n int) { p.Seek(p.steps - n) }

// Restart goes back to the start.
func (p *ClusterPlayer) Restart() { p.Seek(0) }

// Seek goes to a position in steps: forward by stepping, back by building
// the clusters again and replaying.
func (p *ClusterPlayer) Seek(position int) {
	p.SetPaused(true)
	position = max(0, position)
	if position < p.steps {
		sides, err := p.build()
		if err != nil {
			p.err = err
			return
		}
		p.sides, p.steps, p.err = sides, 0, nil
	}
	for p.steps < position && !p.Finished() {
		p.step()
	}
}

// PlayUntil steps until done holds or the clusters finish, and pauses
// there.
func (p *ClusterPlayer) PlayUntil(done func() bool) {
	p.SetPaused(true)
	for !p.Finished() && !done() {
		p.step()
	}
}

// Seen is the furthest position reached, which a scrubber may go to.
func (p *ClusterPlayer) Seen() int { return p.seen }

// TimeAt is the simulated time of a position.
func (p *ClusterPlayer) TimeAt(position int) time.Duration {
	return time.Duration(position) * p.quantum
}

// PositionAt is the position of a simulated time, within what was seen.
func (p *ClusterPlayer) PositionAt(d time.Duration) int {
	return max(0, min(p.seen, int(d/p.quantum)))
}
