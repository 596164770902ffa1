package render

import (
	"slices"
	"testing"
)

// In a duel a request in the same lane on both sides is in the same slot,
// with a hole where only the other side has a request; the lanes' counts
// stay the requests' own.
func TestAlignSlotsKeepsRequestsLevel(t *testing.T) {
	a, b := NewSprites(), NewSprites()
	a.slots[LaneDecode], a.count[LaneDecode] = []int{7, 3, 9}, 3
	b.slots[LaneDecode], b.count[LaneDecode] = []int{9, 4, 3}, 3
	b.slots[LaneQueue], b.count[LaneQueue] = []int{11}, 1
	AlignSlots(a, b)
	for _, c := range []struct {
		got, want []int
	}{{a.slots[LaneDecode], []int{3, -1, 7, 9}}, {b.slots[LaneDecode], []int{3, 4, -1, 9}},
		{a.slots[LaneQueue], []int{-1}}, {b.slots[LaneQueue], []int{11}}} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("aligned %v, want %v", c.got, c.want)
		}
	}
	if a.count[LaneDecode] != 3 || a.count[LaneQueue] != 0 {
		t.Errorf("counts %v", a.count)
	}
}
