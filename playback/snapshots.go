package playback

import (
	"time"

	"inferplay/sim"
)

// state is what a player moves through time and snapshots: an engine, or
// a duel's two.
type state[T any] interface {
	Clone() T
	Done() bool
	Now() time.Duration
}

// maxSnapshots and maxSnapshotBytes bound the memory rewinding takes.
// Snapshots start every firstSpacing steps; when the list is full (by count
// or by size) every other one is dropped and the spacing doubles, so a run
// of any length keeps its snapshots spread evenly, and going back replays
// at most one spacing.
const (
	maxSnapshots     = 64
	maxSnapshotBytes = 256 << 20
	firstSpacing     = 64
)

// footprint estimates the memory an engine snapshot holds: every KV block
// is recorded twice (the owner map and its request's list) plus the free
// list, and every request a few hundred bytes.
func footprint(e *sim.Engine) int {
	return 12*(e.VRAMOwners().Len()+e.CPUOwners().Len()) + 400*e.Len()
}

type snapshot[T any] struct {
	steps int
	bytes int
	at    T
}

// snapshots are clones at increasing positions; the first is the start.
type snapshots[T state[T]] struct {
	list    []snapshot[T]
	spacing int
	bytes   int         // footprint of the list
	size    func(T) int // a clone's footprint
}

func (s *snapshots[T]) reset(at T, size func(T) int) {
	s.size = size
	s.list = append(s.list[:0], snapshot[T]{0, size(at), at.Clone()})
	s.bytes = s.list[0].bytes
	s.spacing = firstSpacing
}

// maybeTake keeps a clone when the player is a spacing beyond the last
// snapshot.
func (s *snapshots[T]) maybeTake(at T, steps int) {
	if steps < s.list[len(s.list)-1].steps+s.spacing {
		return
	}
	size := s.size(at)
	if len(s.list) == maxSnapshots || (s.bytes+size > maxSnapshotBytes && len(s.list) > 1) {
		kept, bytes := s.list[:0], 0
		for i, snap := range s.list {
			if i%2 == 0 {
				kept, bytes = append(kept, snap), bytes+snap.bytes
			}
		}
		clear(s.list[len(kept):])
		s.list, s.bytes = kept, bytes
		s.spacing *= 2
		if steps < s.list[len(s.list)-1].steps+s.spacing {
			return
		}
	}
	s.list = append(s.list, snapshot[T]{steps, size, at.Clone()})
	s.bytes += size
}

// before is the latest snapshot at or before a position.
func (s *snapshots[T]) before(steps int) snapshot[T] {
	best := s.list[0]
	for _, snap := range s.list {
		if snap.steps <= steps {
			best = snap
		}
	}
	return best
}

// advanced records a step of at just taken: in the history, and as a
// snapshot when one is due.
func (s *snapshots[T]) advanced(h *history, at T) {
	h.record(at.Now())
	s.maybeTake(at, h.steps)
}

// seek moves at to a position and returns the state there: back by
// cloning the latest snapshot at or before it and replaying forward with
// step (the run is deterministic, so the replay is the same run), forward
// by stepping; it stops early at the end of the run.
func (s *snapshots[T]) seek(h *history, at T, position int, step func(T)) T {
	position = max(position, 0)
	if position < h.steps {
		snap := s.before(position)
		at, h.steps = snap.at.Clone(), snap.steps
	}
	for h.steps < position && !at.Done() {
		step(at)
		s.advanced(h, at)
	}
	return at
}
