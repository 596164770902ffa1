package playback

import "testing"

// Scrubbing in seconds lands where that time was: the position found for
// a time is the first one at or after it, and seeking there shows the
// engine at that simulated time, also after going back and forth and on
// both timing models (the classic one skips idle ticks in one step).
func TestScrubByTimeFindsThePosition(t *testing.T) {
	for _, timing := range []string{"classic", "roofline"} {
		p := player(t, "chatbot", timing)
		p.Seek(3000)
		p.Seek(1200)
		p.Seek(2500)
		for _, pos := range []int{0, 1, 17, 640, 1999, 2500} {
			at := p.TimeAt(pos)
			found := p.PositionAt(at)
			if found > pos || p.TimeAt(found) != at {
				t.Fatalf("%s: position %d at %v, found %d at %v", timing, pos, at, found, p.TimeAt(found))
			}
			if found > 0 && p.TimeAt(found-1) >= at {
				t.Fatalf("%s: position %d is not the first at %v", timing, found, at)
			}
			p.Seek(found)
			if p.Engine().Now() != at {
				t.Fatalf("%s: seek to %d shows %v, want %v", timing, found, p.Engine().Now(), at)
			}
		}
		if end := p.TimeAt(p.Seen()); p.PositionAt(end+1) != p.Seen() {
			t.Fatalf("%s: a time past the end finds %d, want the end %d", timing, p.PositionAt(end+1), p.Seen())
		}
	}
}
