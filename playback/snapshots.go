package playback

import "inferplay/sim"

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

type snapshot struct {
	steps int
	bytes int
	eng   *sim.Engine
}

// snapshots are engine clones at increasing positions; the first is the
// start.
type snapshots struct {
	list    []snapshot
	spacing int
	bytes   int // footprint of the list
}

func (s *snapshots) reset(eng *sim.Engine) {
	s.list = append(s.list[:0], snapshot{0, footprint(eng), eng.Clone()})
	s.bytes = s.list[0].bytes
	s.spacing = firstSpacing
}

// maybeTake keeps a clone when the player is a spacing beyond the last
// snapshot.
func (s *snapshots) maybeTake(eng *sim.Engine, steps int) {
	if steps < s.list[len(s.list)-1].steps+s.spacing {
		return
	}
	size := footprint(eng)
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
	s.list = append(s.list, snapshot{steps, size, eng.Clone()})
	s.bytes += size
}

// before is the latest snapshot at or before a position.
func (s *snapshots) before(steps int) snapshot {
	best := s.list[0]
	for _, snap := range s.list {
		if snap.steps <= steps {
			best = snap
		}
	}
	return best
}
