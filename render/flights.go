package render

import (
	"time"

	"inferplay/sim"
)

// A flight is one KV copy over the host link as the screen shows it. A real
// copy can be over in a few milliseconds of simulated time — a frame or
// two — so the picture never lets a copy go faster than minFlight of wall
// time: the packet then lands later than the engine's copy did, and the
// link panel says how much the animation is slowed. CPU memory shows the
// copied blocks only once the packet has landed.
type flight struct {
	req        int // whose KV, or -1 for cached blocks going to the CPU tier
	toCPU      bool
	cached     bool // cached prefix blocks (to the CPU tier, or back for req), not a swap
	bytes      int64
	start, end time.Duration // the engine's copy, in simulated time
	progress   float64       // as drawn, 0 to 1
	slowed     float64       // how much slower than the real copy it is shown
}

// minFlight is the least wall time a copy is shown taking.
const minFlight = 900 * time.Millisecond

// maxFlights bounds the packets in the air: past it the oldest lands at
// once, so that a storm of swaps at high speed never lags far behind.
const maxFlights = 12

// Flights follows the copies on the host link.
type Flights struct {
	list []flight
	// simRate is simulated time per wall-clock second, smoothed: it turns
	// a copy's simulated length into the wall time it would take.
	simRate float64
	lastNow time.Duration
	// iterStart is when the engine's last iteration began: a copy issued
	// in it is still news, even if it has already ended.
	iterStart time.Duration
}

// Reset forgets every copy in the air (after a jump in time).
func (f *Flights) Reset() { f.list, f.lastNow, f.simRate = f.list[:0], -1, 0 }

// Observe starts a flight for each copy the events begin, and moves every
// flight on by a frame of dt (when the run is playing).
func (f *Flights) Observe(e *sim.Engine, events []sim.Event, dt time.Duration, playing bool) {
	now := e.Now()
	if f.lastNow >= 0 && dt > 0 && now > f.lastNow {
		rate := float64(now-f.lastNow) / dt.Seconds()
		if f.simRate == 0 {
			f.simRate = rate
		}
		f.simRate += (rate - f.simRate) * 0.2
	}
	f.lastNow = now
	f.iterStart = e.LastIteration().Start
	for _, ev := range events {
		switch ev.Kind {
		case sim.EvSwapOut, sim.EvSwapIn, sim.EvCacheStore, sim.EvCacheFetch:
		default:
			continue
		}
		// A copy that takes no simulated time still flies for minFlight.
		fl := flight{req: ev.Req, toCPU: ev.Kind == sim.EvSwapOut || ev.Kind == sim.EvCacheStore, bytes: ev.Bytes, slowed: 1,
			cached: ev.Kind == sim.EvCacheStore || ev.Kind == sim.EvCacheFetch, start: ev.At, end: ev.At + ev.Dur}
		if len(f.list) == maxFlights {
			f.list = append(f.list[:0], f.list[1:]...)
		}
		f.list = append(f.list, fl)
	}
	kept := f.list[:0]
	for _, fl := range f.list {
		real := 1.0
		if fl.end > fl.start {
			real = max(0, min(1, float64(now-fl.start)/float64(fl.end-fl.start)))
		}
		if playing {
			fl.progress = min(real, fl.progress+dt.Seconds()/minFlight.Seconds())
		}
		if f.simRate > 0 && fl.end > fl.start {
			fl.slowed = max(1, minFlight.Seconds()*f.simRate/float64(fl.end-fl.start))
		}
		if fl.progress < 1 {
			kept = append(kept, fl)
		}
	}
	f.list = kept
}

// Settle shows every copy where the engine has it: those done land now, the
// rest jump to their real progress (after a jump in time, or before a
// screenshot). A copy issued in the last iteration stays where the picture
// has it, though it may be over already: a copy can take less time than
// the iteration it was issued in, and a run paused there would otherwise
// never show it.
func (f *Flights) Settle() {
	now := f.lastNow
	kept := f.list[:0]
	for _, fl := range f.list {
		switch {
		case now < fl.end:
			fl.progress = max(0, float64(now-fl.start)/float64(max(fl.end-fl.start, 1)))
			kept = append(kept, fl)
		case fl.start >= f.iterStart:
			kept = append(kept, fl)
		}
	}
	f.list = kept
}

// InFlight reports whether a copy of req's KV is on the screen's link, and
// which way.
func (f *Flights) InFlight(req int) (toCPU, ok bool) {
	for i := range f.list {
		if f.list[i].req == req && req >= 0 {
			return f.list[i].toCPU, true
		}
	}
	return false, false
}

// waiting reports whether a copy is queued behind others on its link: the
// link moves one copy at a time, and one not yet started (in the engine
// and on the screen) is not drawn on the track.
func (fl *flight) waiting(now time.Duration) bool { return fl.progress == 0 && now < fl.start }

// Queued counts the copies one way that wait for the link, and their bytes.
func (f *Flights) Queued(toCPU bool) (n int, bytes int64) {
	for i := range f.list {
		if fl := &f.list[i]; fl.toCPU == toCPU && fl.waiting(f.lastNow) {
			n, bytes = n+1, bytes+fl.bytes
		}
	}
	return n, bytes
}

// BytesInFlight is the KV on the link as drawn, each way.
func (f *Flights) BytesInFlight() (toCPU, toGPU int64) {
	for _, fl := range f.list {
		if fl.toCPU {
			toCPU += fl.bytes
		} else {
			toGPU += fl.bytes
		}
	}
	return toCPU, toGPU
}

// Slowed is how much slower than real the copies on screen are shown (1:
// as they happen).
func (f *Flights) Slowed() float64 {
	s := 1.0
	for _, fl := range f.list {
		s = max(s, fl.slowed)
	}
	return s
}

// Len is the number of copies on the screen's link.
func (f *Flights) Len() int { return len(f.list) }

// First is the request of the oldest copy on the screen's link, or -1.
func (f *Flights) First() int {
	if len(f.list) == 0 {
		return -1
	}
	return f.list[0].req
}

// CachedInFlight is the bytes of cached prefix blocks on the screen's link
// to the CPU tier, not yet landed there.
func (f *Flights) CachedInFlight() int64 {
	var n int64
	for _, fl := range f.list {
		if fl.cached && fl.toCPU {
			n += fl.bytes
		}
	}
	return n
}
