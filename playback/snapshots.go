package playback

import "inferplay/sim"

// maxSnapshots bounds the memory rewinding takes. Snapshots start every
// firstSpacing steps; when the list is full every other one is dropped and
// the spacing doubles, so a run of any length keeps between half and all of
// maxSnapshots, spread evenly, and going back replays at most one spacing.
const (
	maxSnapshots = 64
	firstSpacing = 64
)

type snapshot struct {
	steps int
	eng   *sim.Engine
}

// snapshots are engine clones at increasing positions; the first is the
// start.
type snapshots struct {
	list    []snapshot
	spacing int
}

func (s *snapshots) reset(eng *sim.Engine) {
	s.list = append(s.list[:0], snapshot{0, eng.Clone()})
	s.spacing = firstSpacing
}

// maybeTake keeps a clone when the player is a spacing beyond the last
// snapshot.
func (s *snapshots) maybeTake(eng *sim.Engine, steps int) {
	if steps < s.list[len(s.list)-1].steps+s.spacing {
		return
	}
	if len(s.list) == maxSnapshots {
		kept := s.list[:0]
		for i, snap := range s.list {
			if i%2 == 0 {
				kept = append(kept, snap)
			}
		}
		clear(s.list[len(kept):])
		s.list = kept
		s.spacing *= 2
		if steps < s.list[len(s.list)-1].steps+s.spacing {
			return
		}
	}
	s.list = append(s.list, snapshot{steps, eng.Clone()})
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
