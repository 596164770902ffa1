package sim

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The phases of a tick that both models share, and the classic model's own
// (resume, schedule, evict), in the order stepClassic runs them.

// arrive moves every request that has arrived by the tick's start into the
// policy's queue, in arrival order, or rejects it if it can never fit.
func (e *Engine) arrive(start time.Duration) {
	e.pull(start)
	for e.next < len(e.reqs) && e.reqs[e.next].Arrival <= start {
		r := &e.reqs[e.next]
		e.next++
		r.ArrivalTick = e.tick
		// A fixed-tick clock counts from the start of the tick a request
		// joins, as the original did; a priced one from the moment it
		// arrives, as a client would measure. A request prefilled
		// elsewhere joined there.
		if !r.handed {
			r.JoinedAt = start
			if e.fixedTick == 0 {
				r.JoinedAt = r.Arrival
			}
		}
		if need := e.blocksFor(r.Input + r.Output); need > e.capacity {
			r.State = Rejected
			r.Reason = fmt.Sprintf("needs %d KV blocks (%d prompt + %d output tokens, %s) but VRAM holds %d blocks (%s) after the weights",
				need, r.Input, r.Output, FormatBytes(int64(need)*e.blockBytes),
				e.capacity, FormatBytes(int64(e.capacity)*e.blockBytes))
			e.stats.finished++
			e.emit(Event{Kind: EvRejected, Req: r.ID})
			e.answered(r, start)
			continue
		}
		if r.handed {
			e.land(r)
			continue
		}
		r.State = Waiting
		e.policy.Add(r.ID, e.view())
		e.emit(Event{Kind: EvArrived, Req: r.ID})
	}
}

// resume brings swapped requests back, in arrival order. A request first
// waits out its copy to CPU memory; then it resumes if the VRAM free at the
// start of this phase (less what earlier resumes took) holds its KV, which
// moves back at once: the serial batcher pays for a swap on the way out.
func (e *Engine) resume() {
	free := e.capacity - e.held
	if e.now < e.swapWake && free < e.swapNeed {
		return // no copy has ended and nobody fits
	}
	wake, least := time.Duration(math.MaxInt64), math.MaxInt
	kept := e.swapped[:0]
	for _, id := range e.swapped {
		r := &e.reqs[id]
		if e.now < r.readyAt {
			wake = min(wake, r.readyAt)
			kept = append(kept, id)
			continue
		}
		need := r.cpuBlocks.Len() // a swapped request owns exactly its CPU blocks
		bytes := int64(need) * e.blockBytes
		if r.copying {
			r.copying = false
			e.emit(Event{Kind: EvSwappedOut, Req: id, Bytes: bytes, At: r.readyAt, Dur: r.readyAt - r.evictedAt})
		}
		if need > free {
			least = min(least, need)
			kept = append(kept, id)
			continue
		}
		free -= need
		e.cpu.release(&r.cpuBlocks)
		r.State = Decode
		r.SwappedTicks += e.tick - r.evictedTick - 1
		r.SwappedFor += e.now - r.evictedAt // e.now is still this tick's start
		r.LinkBytes += bytes
		e.stats.LinkBytes += bytes
		e.addHeld(r, need)
		e.decoding = insertSorted(e.decoding, id)
		e.emit(Event{Kind: EvSwapIn, Req: id, Bytes: bytes, At: e.now})
		e.emit(Event{Kind: EvSwappedIn, Req: id, Bytes: bytes, At: e.now})
	}
	e.swapped = kept
	e.swapWake, e.swapNeed = wake, least
}

// Chunk is a piece of one request's prompt processed in a tick.
type Chunk struct {
	Req    int
	Tokens int
}

// schedule forms the tick's prompt chunks (the classic model has one
// prefill slot: the policy's first pick runs up to 512 tokens), then
// settles who stopped prefilling.
func (e *Engine) schedule() {
	for _, c := range e.chunks {
		// A prompt chosen by a schedule this tick that is run again gives
		// back the cached blocks it took.
		e.untakePrefix(&e.reqs[c.Req])
	}
	e.chunks = e.chunks[:0]
	e.readOrder(1)
	if id, ok := e.orderAt(0); ok {
		if r := &e.reqs[id]; e.queued(id) && e.mayRestart(r) {
			e.takePrefix(r)
			e.chunks = append(e.chunks, Chunk{Req: id, Tokens: min(ClassicChunk, r.Remaining())})
		}
	}
	e.settlePrefilling()
}

// mayRestart holds back a request preempted by recomputation until VRAM
// has room for all it must prefill again: without that it would refill
// VRAM at once and be preempted again, round after round. The original
// model never recomputes, so this changes nothing there. While it waits,
// decoders finish and free VRAM; if none is left, prompts paused mid-way
// hold the room, and the one last in the policy's order drops its KV.
func (e *Engine) mayRestart(r *Request) bool {
	for (r.redo > 0 || r.waitRoom) && r.KVTokens == 0 && e.blocksFor(r.PrefillTarget()+1) > e.capacity-e.held {
		if len(e.decoding) > 0 || len(e.paused) == 0 {
			return false
		}
		e.dropKV(e.lastPaused())
	}
	r.waitRoom = false
	return true
}

// queued guards against a policy naming a request that is not in its queue,
// which must not corrupt the run.
func (e *Engine) queued(id int) bool {
	return id >= 0 && id < len(e.reqs) && (e.reqs[id].State == Waiting || e.reqs[id].State == Prefill) && e.reqs[id].Remaining() > 0
}

// settlePrefilling sends a request that prefilled last tick and has no chunk
// now back to waiting, with its progress (and its KV) kept.
func (e *Engine) settlePrefilling() {
	for _, id := range e.prefilling {
		if r := &e.reqs[id]; r.State == Prefill && !e.inBatch(id) {
			r.State = Waiting
			e.paused = insertSorted(e.paused, id)
			by := -1
			if len(e.chunks) > 0 {
				by = e.chunks[0].Req
			}
			e.emit(Event{Kind: EvPreempted, Req: id, By: by})
		}
	}
	e.prefilling = e.prefilling[:0]
	for _, c := range e.chunks {
		e.prefilling = append(e.prefilling, c.Req)
	}
}

func (e *Engine) inBatch(id int) bool {
	for _, c := range e.chunks {
		if c.Req == id {
			return true
		}
	}
	return false
}

// prefill runs one prompt chunk in an iteration of length d. When the
// prompt is done the request leaves the queue and starts decoding; its
// first token comes out of this very iteration.
func (e *Engine) prefill(c Chunk, d time.Duration) {
	id := c.Req
	r := &e.reqs[id]
	if r.State == Waiting {
		if r.KVTokens > 0 {
			e.paused = removeSorted(e.paused, id)
		}
		r.State = Prefill
		if r.KVTokens == 0 || r.taken {
			e.admissions++
			r.admitted = e.admissions
		}
		if r.taken {
			// It starts with cached blocks: those tokens are not prefilled.
			// What its first start took is what its prompt owes the cache
			// (after a drop it may take them again).
			r.taken = false
			if r.PrefillStartTick == 0 {
				r.CachedTokens = r.KVTokens
			}
			e.emit(Event{Kind: EvPrefixHit, Req: id, Tokens: r.KVTokens})
		}
		if p := r.fetch; p.blocks > 0 {
			// Blocks kept in the CPU tier it prefills: the copy was slower.
			e.emit(Event{Kind: EvCacheRecompute, Req: id, Tokens: p.blocks * e.blockSize, Dur: p.compute, Alt: p.copy})
		}
		r.fetch = fetchPlan{}
		if r.PrefillStartTick == 0 {
			e.stats.PromptTokens += r.Input
			e.stats.CachedTokens += r.CachedTokens
			r.PrefillStartTick = e.tick
			r.PrefillStartAt = e.now
			e.emit(Event{Kind: EvPrefillStart, Req: id})
		}
	}
	// Tokens below the most KV ever held had their KV computed before.
	if redo := min(r.kvHigh-r.Prefilled, c.Tokens); redo > 0 {
		r.RecomputedTokens += redo
	}
	r.Prefilled += c.Tokens
	e.promptChanged(id)
	e.grow(r, c.Tokens)
	e.shareComputed(r)
	r.prefilledTick = e.tick
	e.emit(Event{Kind: EvPrefillChunk, Req: id, Tokens: c.Tokens})
	e.observeRan(id, c.Tokens, d)

	if r.Prefilled >= r.PrefillTarget() {
		if r.sendOnly {
			e.send(r) // a decode replica makes the tokens
			return
		}
		r.State = Decode
		if r.FirstTokenTick == 0 {
			r.FirstTokenTick = e.tick
			r.FirstTokenAt = e.tickEnd
			e.emit(Event{Kind: EvFirstToken, Req: id})
		}
		e.policy.Remove(id)
		e.prefilling = slices.DeleteFunc(e.prefilling, func(x int) bool { return x == id })
		e.decoding = insertSorted(e.decoding, id)
	}
}

// promptChanged tells a PromptTracker policy that a queued prompt's
// progress changed.
func (e *Engine) promptChanged(id int) {
	if t, ok := e.policy.(PromptTracker); ok {
		t.PromptChanged(id, e.view())
	}
}

// observeRan tells an observing policy what ran and reports the demotion
// it may cause.
func (e *Engine) observeRan(id, promptTokens int, d time.Duration) {
	obs, ok := e.policy.(Observer)
	if !ok {
		return
	}
	lv, leveled := e.policy.(Leveled)
	before := 0
	if leveled {
		before = lv.Level(id)
	}
	obs.Ran(id, promptTokens, d, e.view())
	if leveled {
		if after := lv.Level(id); after != before {
			kind := EvDemoted
			if after < before {
				kind = EvPromoted
			}
			e.emit(Event{Kind: kind, Req: id, From: before, To: after})
		}
	}
}

// decode gives every decoding request one token, including one whose prompt
// finished this tick. A request that reached its output length completes
// and frees its blocks.
func (e *Engine) decode(d time.Duration) {
	_, observed := e.policy.(Observer)
	kept := e.decoding[:0]
	for _, id := range e.decoding {
		r := &e.reqs[id]
		r.Decoded++
		r.returned = false
		if r.FirstTokenTick == 0 {
			// Its prompt was prefilled on another replica.
			r.FirstTokenTick, r.FirstTokenAt = e.tick, e.tickEnd
			e.emit(Event{Kind: EvFirstToken, Req: id})
		}
		e.grow(r, 1)
		if r.Session > 0 {
			e.shareComputed(r) // a conversation's next turn resends its answer
		}
		e.stats.Tokens++
		e.emit(Event{Kind: EvToken, Req: id})
		if observed && r.prefilledTick != e.tick {
			e.observeRan(id, 0, d)
		}
		if r.Decoded < r.Output {
			kept = append(kept, id)
			continue
		}
		r.State = Done
		r.CompletionTick = e.tick
		r.CompletedAt = e.tickEnd
		e.releaseVRAM(r)
		r.blocks = BlockList{} // its room is not needed again
		r.KVTokens = 0
		e.stats.finished++
		e.answered(r, r.CompletedAt)
		if obs, ok := e.policy.(Observer); ok {
			obs.Finished(id)
		}
		e.emit(Event{Kind: EvCompleted, Req: id})
	}
	e.decoding = kept
}

// evict preempts decoding requests, as the policy chooses, while the
// resident KV exceeds VRAM (classic model). When no decoding request is
// left, the policy chooses among requests paused mid-prompt, whose partial
// KV is dropped (they prefill again): without that, interrupted prompts
// could pile up beyond VRAM with nobody to evict.
func (e *Engine) evict() {
	for e.held > e.capacity {
		switch {
		case len(e.decoding) > 0:
			id := pick(e.policy.Victim(e.decoding, e.view()), e.decoding)
			if e.canSwap(id) {
				e.swapOut(id)
				continue
			}
			// Dropped, not swapped: the prompt under way is a candidate
			// too, and the first-come request is spared (progress.go).
			victims := e.dropCandidates()
			id = pick(e.policy.Victim(victims, e.view()), victims)
			e.reqs[id].waitRoom = true
			e.dropKV(id)
		case len(e.paused) > 0:
			e.dropKV(pick(e.policy.Victim(e.paused, e.view()), e.paused))
		default:
			return // unreachable: what is prefilling alone always fits (see arrive)
		}
	}
}

// canSwap reports whether a victim's KV goes to CPU memory: the run swaps
// and CPU memory has room for it.
func (e *Engine) canSwap(id int) bool {
	if e.cfg.Preemption != PreemptSwap {
		return false
	}
	need := e.blocksFor(e.reqs[id].KVTokens)
	return e.cpuLimit == 0 || e.cpu.used()+need <= e.cpuLimit
}

// pick guards against a policy naming a request outside candidates.
func pick(id int, candidates []int) int {
	if _, found := slices.BinarySearch(candidates, id); found {
		return id
	}
	return candidates[0]
}

// swapOut moves a decoder's KV to CPU memory at once and makes it wait out
// the copy before it may come back (the serial batcher).
func (e *Engine) swapOut(id int) {
	r := &e.reqs[id]
	e.decoding = removeSorted(e.decoding, id)
	need := e.blocksFor(r.KVTokens)
	e.releaseVRAM(r)
	e.allocCPU(r, need) // all of its KV: what it shared included
	bytes := int64(need) * e.blockBytes
	r.State = Swapped
	wait := e.copyWait(bytes)
	r.Evictions++
	r.evictedTick = e.tick
	r.evictedAt = e.tickEnd
	r.readyAt = e.tickEnd + wait
	r.copying = true
	r.TransferWait += wait
	r.LinkBytes += bytes
	e.stats.LinkBytes += bytes
	e.stats.Evictions++
	e.swapped = insertSorted(e.swapped, id)
	e.swapWake = min(e.swapWake, r.readyAt)
	e.emit(Event{Kind: EvSwapOut, Req: id, Bytes: bytes, At: e.tickEnd, Dur: wait})
}

func (e *Engine) allocCPU(r *Request, n int) { e.cpu.allocN(r.ID, n, &r.cpuBlocks) }

// copyWait is how long a request swapped out by the serial batcher waits
// for its copy: under a fixed-tick model, the whole ticks the link needs
// (the original simulator's penalty), otherwise the copy's own time.
func (e *Engine) copyWait(bytes int64) time.Duration {
	if e.fixedTick == 0 {
		return e.cfg.CopyTime(bytes)
	}
	return time.Duration(e.penaltyTicks(bytes)) * e.fixedTick
}

// penaltyTicks is ceil(bytes / bytes the link moves per tick), at least 1,
// in 128-bit integer arithmetic so that it is exact for any size.
func (e *Engine) penaltyTicks(bytes int64) int {
	per := uint64(e.pcieBytesPerTick)
	if per == 0 {
		per = 1
	}
	q, rem := bits64Div(uint64(bytes), per)
	if rem > 0 {
		q++
	}
	return max(1, int(q))
}

// dropKV preempts a request by recomputation: its VRAM blocks are freed at
// once and it must prefill again, its prompt and any output it produced. A
// decoding request goes back to the queue; a paused prompt never left it.
func (e *Engine) dropKV(id int) {
	r := &e.reqs[id]
	requeue := r.State == Decode
	switch r.State {
	case Decode:
		e.decoding = removeSorted(e.decoding, id)
		r.State = Waiting
	case Prefill:
		// Still in the policy's queue, as a paused prompt is; no longer
		// prefilling.
		r.State = Waiting
		if i := slices.Index(e.prefilling, id); i >= 0 {
			e.prefilling = slices.Delete(e.prefilling, i, i+1)
		}
	default:
		e.paused = removeSorted(e.paused, id)
	}
	r.returned = true
	e.releaseVRAM(r)
	tokens := r.KVTokens
	r.KVTokens = 0
	r.Prefilled = 0
	r.redo = r.Decoded
	r.Drops++
	e.stats.Drops++
	switch {
	case requeue && r.handed && r.Drops == 1:
		// Prefilled elsewhere, it was never in this replica's queue: it
		// joins it now, to prefill here all that was dropped.
		e.policy.Add(id, e.view())
	case requeue:
		e.policy.Requeue(id, e.view()) // after the reset: the policy sees what is left to prefill
	default:
		e.promptChanged(id) // still queued, with all of its prompt to do again
	}
	e.emit(Event{Kind: EvDropped, Req: id, Tokens: tokens})
}

// allocate gives every resident request the VRAM blocks its KV now needs.
// Growth is counted during the tick and backed by blocks only here, after
// evictions, so that the block map never shows more than VRAM holds.
func (e *Engine) allocate() {
	e.placeCache()
	for _, id := range e.prefilling {
		e.fill(&e.reqs[id])
	}
	for _, id := range e.decoding {
		e.fill(&e.reqs[id])
	}
	for _, s := range e.peer.sends {
		e.fill(&e.reqs[s.Req]) // a prompt that ended this iteration, sending its KV
	}
}

func (e *Engine) fill(r *Request) {
	// Short of free blocks cannot happen after evict; the invariant check
	// would report it.
	if need := e.blocksFor(r.KVTokens) - r.sharedN - r.blocks.Len(); need > 0 {
		e.vram.allocN(r.ID, min(need, e.vram.freeBlocks()), &r.blocks)
	}
}

// releaseVRAM lets go of a request's VRAM: its own blocks are freed, its
// cached ones held by one fewer.
func (e *Engine) releaseVRAM(r *Request) {
	e.addHeld(r, -(e.blocksFor(r.KVTokens) - r.sharedN))
	e.vram.release(&r.blocks)
	e.dropShared(r)
}

func insertSorted(s []int, id int) []int {
	i, _ := slices.BinarySearch(s, id)
	return slices.Insert(s, i, id)
}

func removeSorted(s []int, id int) []int {
	if i, found := slices.BinarySearch(s, id); found {
		return slices.Delete(s, i, i+1)
	}
	return s
}
