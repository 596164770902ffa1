package sim

import (
	"fmt"
	"time"
)

// stepSerial runs one iteration of the serial batcher: arrivals, swapped
// requests resuming, one prompt chunk, a token for every decoder, then
// evictions for whatever overflowed.
func (e *Engine) stepSerial() {
	if !e.skipIdle() {
		return
	}
	e.tick++
	e.arrive(e.now)
	e.resume()
	e.schedule()
	if e.fixedTick == 0 && e.batchEmpty() {
		// A priced model runs no empty iteration (it would cost a full
		// read of the weights for nothing). If the prompt that ran last
		// has just been paused for a restarting one that needs its room,
		// the restart can drop it now that it is settled (a fixed-tick
		// clock spends a tick on this, as the original did).
		if len(e.paused) > 0 {
			e.schedule()
		}
		if e.batchEmpty() {
			// Every request left waits for its copy to CPU memory: the
			// clock moves on to the first that lands, or the next arrival.
			e.tick--
			e.waitSerial()
			return
		}
	}
	e.runBatch()
	e.evict()
	e.allocate()
	e.now = e.tickEnd
	e.observe()
}

// skipIdle jumps over time in which nothing can happen: nothing is active
// and the next arrival is later. Work per tick then depends only on active
// requests, and a sparse trace costs no more than a dense one. It reports
// false if it stopped at AdvanceTo's horizon instead, before the arrival.
func (e *Engine) skipIdle() bool {
	if e.next > e.stats.finished {
		return true // something is active
	}
	arrival, ok := e.nextArrival()
	if !ok {
		return true
	}
	if e.fixedTick > 0 && e.cfg.MaxTicks > 0 {
		// Never count idle ticks past the guard: a run stopped by
		// MaxTicks stops on its tick.
		arrival = min(arrival, time.Duration(e.cfg.MaxTicks-1)*e.fixedTick)
	}
	if at, stopped := e.capped(arrival); stopped {
		e.idleUntil(at)
		return false
	}
	e.idleUntil(arrival)
	return true
}

// waitSerial moves the clock to the next thing that can happen when every
// request left is waiting out a copy: the first copy to land, or the next
// arrival.
func (e *Engine) waitSerial() {
	next, ok := e.nextArrival()
	if !ok {
		next = MaxArrival
	}
	for _, id := range e.swapped {
		next = min(next, e.reqs[id].readyAt)
	}
	if next == MaxArrival && e.Done() {
		return // the last requests were rejected as they arrived
	}
	if next <= e.now || next == MaxArrival {
		e.stuck = fmt.Sprintf("tick %d: nothing can run: %d waiting, %d swapped, none of them due", e.tick, e.Waiting(), len(e.swapped))
		return
	}
	at, stopped := e.capped(next)
	e.idleUntil(at)
	if stopped {
		e.waitEnd = next
	}
}

// batchEmpty reports whether the iteration planned has no work.
func (e *Engine) batchEmpty() bool { return len(e.chunks) == 0 && len(e.decoding) == 0 }
