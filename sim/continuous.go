package sim

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The roofline model's iteration, batched like a modern serving engine
// (vLLM's scheduler): running decodes first, one token each; then swapped
// requests coming back; then prompt chunks in the policy's order, while the
// token budget, the running cap and free VRAM allow. Nothing overflows VRAM:
// a decode that needs a block it cannot have preempts a victim first, and a
// prompt only takes free blocks.

// stepContinuous runs one iteration, first waiting (jumping the clock) for
// an arrival or a finished copy if there is nothing to run.
func (e *Engine) stepContinuous() {
	e.tick++
	for waits := 0; ; waits++ {
		if waits > maxWaits {
			e.stuck = fmt.Sprintf("tick %d: nothing ran after %d waits for arrivals and copies", e.tick, maxWaits)
			return
		}
		e.finishTransfers()
		e.arrive(e.now)
		e.plan()
		if len(e.chunks) > 0 || len(e.decoding) > 0 {
			break
		}
		if !e.waitForWork() {
			return
		}
	}
	e.runBatch()
	e.allocate()
	e.now = e.tickEnd
	e.observe()
}

// maxWaits bounds the waits in one step, a guard that turns a scheduling
// bug into a Stuck report instead of a hang.
const maxWaits = 1 << 20

// plan forms the iteration's batch.
func (e *Engine) plan() {
	free := e.capacity - e.held

	// Running decodes first. If VRAM lacks the blocks their next tokens
	// need, the policy's victims leave the batch until it has them.
	need := 0
	for _, id := range e.decoding {
		need += e.growthBlocks(&e.reqs[id], 1)
	}
	for need > free && len(e.decoding) > 0 {
		victims := e.mandatoryVictims(e.decoding, e.cfg.Preemption == PreemptRecompute)
		id := pick(e.policy.Victim(victims, e.view()), victims)
		need -= e.growthBlocks(&e.reqs[id], 1)
		free += e.preempt(id)
	}
	free -= need
	ordered := false // whether e.order is this iteration's queue order
	if pre, ok := e.policy.(Preemptor); ok && !e.static {
		// (A static batch admits no one while it runs: preempting a
		// member for a request that outranks it would gain nothing.)
		free, ordered = e.makeRoom(pre, free)
	}
	running := len(e.decoding)
	for _, t := range e.transfers {
		if t.Direction == ToGPU {
			running++ // on its way back into the batch
		}
	}
	budget := e.cfg.MaxBatchTokens - len(e.decoding)
	// Requests that are running or on their way back keep one free block
	// each in reserve for their next tokens: filling VRAM to the last
	// block would preempt someone at the very next iteration, and a
	// request swapped in would be swapped straight out again.
	reserve := running

	// Swapped requests come back next, in arrival order. While one waits
	// for room, no new prompt starts, so swapped work cannot starve.
	back := 0 // how many, from the first, come back now
	for _, id := range e.swapped {
		r := &e.reqs[id]
		// A static batch's swapped members come back whoever waits: no one
		// else may start before they finish.
		if r.cpuBlocks.Len()+reserve+1 > free || running >= e.cfg.MaxRunning || !e.static && e.waitsForOutranking(id) {
			break
		}
		free -= r.cpuBlocks.Len()
		running++
		e.swapIn(r)
		back++
	}
	if back > 0 {
		e.swapped = slices.Delete(e.swapped, 0, back)
	}
	blocked := -1 // the first swapped request still waiting
	if len(e.swapped) > 0 {
		blocked = e.swapped[0]
	} else if len(e.peer.landed) > 0 {
		// Then requests prefilled elsewhere, whose KV has landed.
		before := running
		free, running = e.admitLanded(free, running, reserve)
		budget -= running - before
	}
	free = max(0, free-running) // the reserve, now counting the returning ones
	if e.static {
		e.planStatic(free, budget)
		return
	}

	// A prompt starts only if VRAM has room for all of it on top of what
	// the prompts already started will still need, as vLLM admits whole
	// sequences: starting one that cannot finish would only fill VRAM with
	// a partial cache that someone must then drop. A prompt under way holds
	// that promise only against prompts the policy ranks below it: a chat
	// that MLFQ puts first must not wait for room promised to a long
	// prompt paused two levels down. If the paused prompt later finds VRAM
	// full, the last of them drops its cache (waitForWork), as before.
	promised := 0
	for _, id := range e.prefilling {
		promised += e.promptBlocksLeft(&e.reqs[id])
	}
	for _, id := range e.paused {
		promised += e.promptBlocksLeft(&e.reqs[id])
	}
	promised += e.fetchingPromise()

	// Prompt chunks in the policy's order.
	e.chunks = e.chunks[:0]
	if !ordered {
		e.readOrder(firstHead)
	}
	uncommitted := free - promised + e.promisedInOrder()
	ot, ok := e.policy.(Overtaker)
	overtakes := ok && ot.Overtakes()
	for i := 0; budget > 0 && running < e.cfg.MaxRunning; i++ {
		id, ok := e.orderAt(i)
		if !ok {
			break
		}
		if !e.queued(id) || e.inBatch(id) {
			continue
		}
		r := &e.reqs[id]
		if r.KVTokens > 0 {
			uncommitted -= e.promptBlocksLeft(r) // its promise, against every prompt after it
		} else {
			if blocked >= 0 && !e.outranks(id, blocked) {
				continue // a new prompt waits for swapped requests to come back
			}
			// A prompt that starts with cached blocks takes them now (those
			// that were idle are no longer free), and gives them back if it
			// does not start after all.
			woke := e.takePrefix(r)
			e.planFetch(r) // and blocks kept in the CPU tier come back, if that is faster
			free, uncommitted = free-woke, uncommitted-woke
			whole := e.promptBlocksLeft(r) + r.fetchBlocks()
			if whole > uncommitted {
				// Partial caches of prompts the policy ranks below this
				// one give way to it, last-ranked first.
				got := e.reclaimPaused(i, whole-uncommitted)
				uncommitted += got
				free += got
			}
			if whole > uncommitted {
				back := e.untakePrefix(r)
				free, uncommitted = free+back, uncommitted+back
				if overtakes {
					continue // VRAM cannot hold this prompt yet; later ones that fit go ahead
				}
				break // VRAM cannot hold this prompt yet: later ones must not overtake it
			}
			uncommitted -= whole
			if n := r.fetchBlocks(); n > 0 {
				// It waits for the copy; its VRAM is taken now.
				free -= n
				running++
				e.startFetch(r)
				continue
			}
		}
		tokens := r.Remaining()
		if !e.cfg.WholePrompts {
			tokens = min(tokens, budget)
		} else if tokens > budget && len(e.chunks) > 0 {
			e.untakePrefix(r)
			break // a whole prompt over the budget runs only alone
		}
		tokens = e.fitTokens(r, tokens, free)
		if tokens <= 0 || (e.cfg.WholePrompts && tokens < r.Remaining()) {
			e.untakePrefix(r)
			break // VRAM is full: later prompts must not overtake this one
		}
		need := e.growthBlocks(r, tokens)
		if tokens == r.Remaining() {
			need = e.growthBlocks(r, tokens+1)
		}
		free -= need
		budget -= tokens
		running++
		e.chunks = append(e.chunks, Chunk{Req: id, Tokens: tokens})
	}
	e.settlePrefilling()
}

// promisedInOrder is the room promised to the prompts under way that the
// policy's order holds: they are counted again as the batch reaches them,
// while those the order leaves out (a policy that lost one) count as ranked
// first. A Header policy holds every queued request, so the prompts under
// way are those queued with a partial cache, and the sum needs none of the
// order; for other policies, the order read is whole.
func (e *Engine) promisedInOrder() int {
	sum := 0
	if _, ok := e.policy.(Header); !ok {
		for _, id := range e.order {
			if e.queued(id) && e.reqs[id].KVTokens > 0 {
				sum += e.promptBlocksLeft(&e.reqs[id])
			}
		}
		return sum
	}
	for _, list := range [2][]int{e.prefilling, e.paused} {
		for _, id := range list {
			if e.queued(id) && e.reqs[id].KVTokens > 0 {
				sum += e.promptBlocksLeft(&e.reqs[id])
			}
		}
	}
	return sum
}

// reclaimPaused drops the partial caches of paused prompts that come after
// position i of the queue's order, the last first, until need blocks are
// freed or none is left; it returns the blocks freed. A prompt gives way
// so at most maxGiveWay times, so that a long one cannot be sent back to
// the start for ever.
func (e *Engine) reclaimPaused(i, need int) int {
	if len(e.paused) == 0 {
		return 0 // only paused prompts have partial caches to give
	}
	e.wholeOrder() // before any drop changes the policy's order
	freed := 0
	for j := len(e.order) - 1; j > i && freed < need; j-- {
		id := e.order[j]
		if !e.queued(id) {
			continue
		}
		r := &e.reqs[id]
		if r.State != Waiting || r.KVTokens == 0 || r.Drops >= maxGiveWay {
			continue
		}
		before := e.held
		e.dropKV(id)
		freed += before - e.held
	}
	return freed
}

// maxGiveWay bounds how often one prompt's partial cache is dropped for a
// prompt ranked above it.
const maxGiveWay = 2

// promptBlocksLeft is how many more blocks a prompt needs to finish,
// including its first output token.
func (e *Engine) promptBlocksLeft(r *Request) int {
	return e.blocksFor(r.PrefillTarget()+1) - e.blocksFor(r.KVTokens)
}

// fitTokens shrinks a prompt chunk to what free VRAM holds. A chunk that
// completes the prompt also needs room for the first output token.
func (e *Engine) fitTokens(r *Request, tokens, free int) int {
	room := (e.blocksFor(r.KVTokens)+free)*e.blockSize - r.KVTokens
	if tokens == r.Remaining() && tokens+1 <= room {
		return tokens
	}
	return min(tokens, room, r.Remaining()-1)
}

// preempt takes a decoding request out of the batch to make room: by a copy
// to CPU memory when the run swaps and CPU memory has room, otherwise by
// dropping its KV to recompute later. It returns the VRAM blocks freed at
// once: none for a swap, whose blocks stay allocated until the copy ends.
func (e *Engine) preempt(id int) int {
	r := &e.reqs[id]
	if !e.canSwap(id) {
		before := e.held
		e.dropKV(id)
		return before - e.held
	}
	e.decoding = removeSorted(e.decoding, id)
	e.allocCPU(r, e.blocksFor(r.KVTokens)) // all of its KV: what it shares too
	r.State = SwappingOut
	r.Evictions++
	r.evictedTick = e.tick
	r.evictedAt = e.now
	e.stats.Evictions++
	e.startTransfer(r, ToCPU, EvSwapOut)
	return 0
}

// swapIn allocates VRAM for a swapped request's KV and starts the copy back.
func (e *Engine) swapIn(r *Request) {
	n := r.cpuBlocks.Len()
	e.roomFor(n)                      // idle cached blocks count as free: they go first
	e.vram.allocN(r.ID, n, &r.blocks) // plan checked that n blocks are free
	e.addHeld(r, n)
	r.State = SwappingIn
	r.returned = true
	r.SwappedTicks += e.tick - r.evictedTick
	e.startTransfer(r, ToGPU, EvSwapIn)
}

// waitForWork is called when nothing can run now. If no copy is in flight,
// prompts paused mid-way hold the VRAM the prompt at the head of the queue
// needs: the one last in the policy's order drops its KV, so the head always
// progresses (dropping by any other rule, two prompts can take turns
// dropping each other forever). Otherwise it jumps the clock to the next
// arrival or finished copy. It reports false if the run cannot go on, or if
// it stopped at a driver's horizon (AdvanceTo) with no iteration run.
func (e *Engine) waitForWork() bool {
	next := time.Duration(math.MaxInt64)
	if at, ok := e.nextArrival(); ok {
		next = at
	}
	if end, ok := e.nextTransferEnd(); ok {
		next = min(next, end)
	}
	if len(e.transfers) == 0 && len(e.peer.sends) == 0 && len(e.paused) > 0 {
		e.dropKV(e.lastPaused())
		return true
	}
	if at, stopped := e.capped(next); stopped {
		// A driver may submit work before then: stop at its horizon,
		// having run no iteration, and remember when the wait ends.
		e.tick--
		e.idleUntil(at)
		e.waitEnd = next
		return false
	}
	if next != math.MaxInt64 {
		e.idleUntil(next)
		return true
	}
	if !e.Done() {
		e.stuck = fmt.Sprintf("tick %d: nothing can run: %d waiting, %d swapped, %d of %d KV blocks held",
			e.tick, e.Waiting(), len(e.swapped), e.held, e.capacity)
	}
	return false
}

// lastPaused is the paused prompt that comes last in the policy's order (as
// plan last asked for it).
func (e *Engine) lastPaused() int {
	e.wholeOrder()
	for i := len(e.order) - 1; i >= 0; i-- {
		if id := e.order[i]; id >= 0 && id < len(e.reqs) && e.reqs[id].State == Waiting && e.reqs[id].KVTokens > 0 {
			return id
		}
	}
	return e.paused[len(e.paused)-1] // a policy that lost a request: the latest arrival
}

// outranks asks a Preemptor policy whether a waiting request goes before a
// running or swapped one; other policies never let it.
func (e *Engine) outranks(waiting, other int) bool {
	pre, ok := e.policy.(Preemptor)
	return ok && pre.Outranks(waiting, other, e.view())
}

// makeRoom lets the first new prompt in the policy's order preempt the
// running requests it outranks, the policy's victims first, until VRAM
// will hold it: now, or once the copies out already under way have ended,
// so that no more is preempted than needed. It returns free VRAM blocks,
// and whether e.order still holds the queue's order (a victim whose KV was
// dropped rejoins the queue, and then the order must be asked again).
func (e *Engine) makeRoom(pre Preemptor, free int) (int, bool) {
	e.readOrder(firstHead)
	drops := e.stats.Drops
	for i := 0; ; i++ {
		id, ok := e.orderAt(i)
		if !ok {
			break
		}
		r := &e.reqs[id]
		if !e.queued(id) || r.KVTokens > 0 {
			continue // a prompt under way already has its room promised
		}
		avail := free - len(e.decoding) // keep the running requests' reserve
		for _, t := range e.transfers {
			if t.Direction == ToCPU {
				avail += e.reqs[t.Req].blocks.Len()
			}
		}
		for _, p := range e.prefilling {
			avail -= e.promptBlocksLeft(&e.reqs[p])
		}
		for _, p := range e.paused {
			avail -= e.promptBlocksLeft(&e.reqs[p])
		}
		avail -= e.fetchingPromise()
		for e.promptBlocksLeft(r) > avail {
			e.victims = e.victims[:0]
			for _, d := range e.decoding {
				if pre.Outranks(id, d, e.view()) && e.mayOutrank(d) {
					e.victims = append(e.victims, d)
				}
			}
			if len(e.victims) == 0 {
				break
			}
			v := pick(e.policy.Victim(e.victims, e.view()), e.victims)
			blocks, growth := e.reqs[v].blocks.Len(), e.growthBlocks(&e.reqs[v], 1)
			e.reqs[v].outranked++
			if !e.canSwap(v) {
				// A drop puts the victim back in the queue; the swapped
				// requests are then weighed against the order as it was.
				e.wholeOrder()
			}
			freed := e.preempt(v)
			free += growth + freed
			avail += growth + blocks + 1 // its blocks, now or when the copy ends, and its reserve
		}
		break
	}
	return free, e.stats.Drops == drops
}
