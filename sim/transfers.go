package sim

import (
	"math"
	"math/bits"
	"time"
)

// The host link in the roofline model. PCIe is full duplex, so copies to CPU
// memory and back do not compete; within one direction copies queue, first
// in first out, each at the link's full rate. Queueing rather than sharing
// the bandwidth is what a DMA copy engine does with the copies issued to
// it, and it finishes the first copy as early as possible: sharing would
// delay every copy to near the end of the batch for the same total
// throughput.

// Direction of a copy over the host link.
type Direction uint8

const (
	ToCPU Direction = iota // swap-out: VRAM to CPU memory
	ToGPU                  // swap-in: CPU memory to VRAM
)

func (d Direction) String() string {
	if d == ToGPU {
		return "to GPU"
	}
	return "to CPU"
}

// Transfer is one KV copy on the host link. It waits for the copies queued
// before it in its direction, then takes Bytes / bandwidth.
type Transfer struct {
	Req       int
	Direction Direction
	Bytes     int64
	Queued    time.Duration // when it was issued
	Start     time.Duration // when the link starts it
	End       time.Duration // when the last byte lands
	// Cache marks a copy of cached prefix blocks, not of a request's own
	// KV: to the CPU tier (Req -1), or back for request Req (cputier.go).
	Cache bool
	seq   uint32 // a store's number, which its blocks remember
}

// Progress is the fraction of the copy done at time t, for drawing.
func (t Transfer) Progress(at time.Duration) float64 {
	switch {
	case at <= t.Start:
		return 0
	case at >= t.End || t.End == t.Start:
		return 1
	}
	return float64(at-t.Start) / float64(t.End-t.Start)
}

// link is one direction of the host link.
type link struct {
	bw        float64 // bytes per second, over all TP GPUs' links
	busyUntil time.Duration
}

// copy queues a copy of bytes issued at now and returns when it starts and
// ends.
func (l *link) copy(now time.Duration, bytes int64) (start, end time.Duration) {
	start = max(now, l.busyUntil)
	end = start + copyTime(bytes, l.bw)
	l.busyUntil = end
	return start, end
}

// HostLinkBW is the bandwidth, in bytes per second each way, at which KV
// moves between VRAM and CPU memory: every GPU has its own host link, and
// each holds 1/TP of every request's KV, so copies run over TP links at once.
func (c *Config) HostLinkBW() float64 { return float64(c.GPU.PCIeBW) * float64(c.GPUs()) }

// CopyTime is how long a copy of bytes over the host link takes, alone on
// the link: the time the engine gives a swap.
func (c *Config) CopyTime(bytes int64) time.Duration { return copyTime(bytes, c.HostLinkBW()) }

// copyTime is how long bytes take at bw bytes per second, rounded up to a
// whole nanosecond.
func copyTime(bytes int64, bw float64) time.Duration {
	ns := math.Ceil(float64(float64(bytes)/bw) * 1e9)
	if !(ns < float64(MaxArrival)) {
		return MaxArrival
	}
	return max(1, time.Duration(ns))
}

// startTransfer queues a copy of the request's KV and tells the UI.
func (e *Engine) startTransfer(r *Request, dir Direction, kind EventKind) {
	bytes := int64(r.cpuBlocks.Len()) * e.blockBytes
	start, end := e.links[dir].copy(e.now, bytes)
	e.transfers = append(e.transfers, Transfer{Req: r.ID, Direction: dir, Bytes: bytes, Queued: e.now, Start: start, End: end})
	r.LinkBytes += bytes
	e.stats.LinkBytes += bytes
	e.emit(Event{Kind: kind, Req: r.ID, Bytes: bytes, At: start, Dur: end - start})
}

// finishTransfers completes every copy that has ended by now, in the order
// they were issued. A copy out frees the request's VRAM blocks only now; a
// copy in lets it decode again.
func (e *Engine) finishTransfers() {
	e.finishStores()
	e.finishSends()
	kept := e.transfers[:0]
	for _, t := range e.transfers {
		if t.End > e.now {
			kept = append(kept, t)
			continue
		}
		r := &e.reqs[t.Req]
		if t.Cache {
			e.fetched(r, t)
			continue
		}
		r.TransferWait += t.End - t.Queued
		if t.Direction == ToCPU {
			e.releaseVRAM(r)
			r.State = Swapped
			e.swapped = insertSorted(e.swapped, t.Req)
			e.swapNeed = min(e.swapNeed, r.cpuBlocks.Len())
			e.emit(Event{Kind: EvSwappedOut, Req: t.Req, Bytes: t.Bytes, At: t.End, Dur: t.End - t.Start})
			continue
		}
		e.cpu.release(&r.cpuBlocks)
		r.State = Decode
		r.SwappedFor += e.now - r.evictedAt
		e.decoding = insertSorted(e.decoding, t.Req)
		e.emit(Event{Kind: EvSwappedIn, Req: t.Req, Bytes: t.Bytes, At: t.End, Dur: t.End - t.Start})
	}
	e.transfers = kept
}

// nextTransferEnd is when the earliest copy in flight ends.
func (e *Engine) nextTransferEnd() (time.Duration, bool) {
	end, ok := e.nextSendEnd()
	for _, t := range e.transfers {
		if !ok || t.End < end {
			end, ok = t.End, true
		}
	}
	return end, ok
}

// bits64Div divides with a remainder, for exact tick arithmetic.
func bits64Div(a, b uint64) (q, rem uint64) { return bits.Div64(0, a, b) }
