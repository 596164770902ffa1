package sim

import (
	"slices"
	"time"
)

// The CPU tier of the prefix cache (-cpu-cache-gb), as LMCache and vLLM's
// KV offloading keep one: a cached block that no request holds is copied
// to CPU memory while it waits, so that when VRAM needs its room only the
// VRAM copy goes and the tokens are still cached. A request whose prompt
// continues into blocks kept only in CPU memory then has them copied back
// over the host link, queued behind the copies already on it, when that
// is faster than prefilling those tokens again, as the timing model prices
// both; otherwise it prefills them and the cache takes its VRAM copy.
//
// The tier has its own room, apart from the CPU memory swapped requests
// use, and forgets its least recently used blocks first. Only the
// continuous batcher keeps one: it is the batcher with a copy queue.

// tierOn reports whether the run keeps a CPU tier.
func (e *Engine) tierOn() bool { return e.tier.blocks > 0 }

// inTier reports whether an entry has a slot in the tier: a CPU copy,
// landed or on its way.
func (en *cacheEntry) inTier() bool { return en.stored || en.storing }

// dropCPUCopy frees an entry's slot in the tier; the entry itself stays
// (in VRAM) or is forgotten by the caller.
func (e *Engine) dropCPUCopy(i int32) {
	c := &e.cache
	en := &c.entries[i]
	if !en.inTier() {
		return
	}
	c.tier.remove(c.entries, i)
	e.tier.freeOne(en.slot)
	en.slot, en.stored, en.storing = -1, false, false
}

// forgetTierHead makes room in the tier: its least recently used block
// loses its CPU copy, and is forgotten if that was its only one.
func (e *Engine) forgetTierHead() {
	c := &e.cache
	i := c.tier.head
	e.dropCPUCopy(i)
	if c.entries[i].cpuOnly {
		e.forget(i)
	}
}

// queueStore notes an entry that has just gone idle, to copy to the tier
// at the iteration's end.
func (e *Engine) queueStore(i int32) {
	if en := &e.cache.entries[i]; e.tierOn() && !en.inTier() {
		e.cache.toStore = append(e.cache.toStore, i)
	}
}

// storeIdle copies to the tier, in one copy over the link, the blocks that
// went idle in this iteration and are still idle, in VRAM and without a
// CPU copy, as many as the tier holds. They went idle tail first, so they
// are copied head first: what a smaller tier keeps is a prefix's head,
// which is what a hit needs. Room is made by forgetting the tier's least
// recently used, which are tails first too.
func (e *Engine) storeIdle() {
	c := &e.cache
	if len(c.toStore) == 0 {
		return
	}
	set := e.storeSet[:0]
	for k := len(c.toStore) - 1; k >= 0 && len(set) < e.tier.blocks; k-- {
		i := c.toStore[k]
		if en := &c.entries[i]; en.refs == 0 && en.placed && !en.loading && !en.inTier() {
			en.storing = true // (and so counted once)
			set = append(set, i)
		}
	}
	c.toStore = c.toStore[:0]
	e.storeSet = set[:0]
	if len(set) == 0 {
		return
	}
	for e.tier.freeBlocks() < len(set) {
		e.forgetTierHead()
	}
	set = slices.Clone(set)
	c.storeSeq++
	for k := len(set) - 1; k >= 0; k-- {
		en := &c.entries[set[k]]
		en.slot = e.tier.allocOne(cacheOwner)
		en.seq = c.storeSeq
		c.tier.push(c.entries, set[k]) // the tail least recently used
	}
	bytes := int64(len(set)) * e.blockBytes
	// The blocks went idle as the iteration ended: the copy is issued then.
	start, end := e.links[ToCPU].copy(e.tickEnd, bytes)
	e.stores = append(e.stores, Transfer{Req: -1, Direction: ToCPU, Bytes: bytes, Queued: e.tickEnd, Start: start, End: end, Cache: true, seq: c.storeSeq})
	e.storeSets = append(e.storeSets, set)
	e.stats.LinkBytes += bytes
	e.stats.CacheStoreBytes += bytes
	e.emit(Event{Kind: EvCacheStore, Req: -1, Tokens: len(set) * e.blockSize, Bytes: bytes, At: start, Dur: end - start})
}

// finishStores marks the blocks of every store that has landed by now as
// kept in the tier (those forgotten on the way are not).
func (e *Engine) finishStores() {
	kept, keptSets := e.stores[:0], e.storeSets[:0]
	for k, t := range e.stores {
		set := e.storeSets[k]
		if t.End > e.now {
			kept, keptSets = append(kept, t), append(keptSets, set)
			continue
		}
		for _, i := range set {
			if en := &e.cache.entries[i]; en.storing && en.seq == t.seq {
				en.storing, en.stored = false, true
			}
		}
		e.emit(Event{Kind: EvCacheStored, Req: -1, Tokens: len(set) * e.blockSize, Bytes: t.Bytes, At: t.End, Dur: t.End - t.Start})
	}
	clear(e.storeSets[len(kept):])
	e.stores, e.storeSets = kept, keptSets
}

// fetchPlan is what a prompt that continues into blocks kept only in CPU
// memory does about them, decided when it is planned to start.
type fetchPlan struct {
	blocks  int           // blocks kept only in CPU memory, from sharedN on
	fetch   bool          // copy them back (else prefill them)
	copy    time.Duration // the copy's price: waiting for the link, then copying
	compute time.Duration // prefilling them instead
}

// planFetch looks, after the blocks a prompt took from VRAM, for the run
// of its blocks kept only in CPU memory, and chooses by price whether to
// copy them back. Fetched blocks count as the prompt's, tentatively, as
// taken ones do, until startFetch or untakePrefix.
func (e *Engine) planFetch(r *Request) {
	r.fetch = fetchPlan{}
	if !e.tierOn() || r.KVTokens != r.sharedN*e.blockSize {
		return
	}
	run := e.cachedRun(r, r.sharedN, e.takeable(r), func(en *cacheEntry) bool { return en.cpuOnly }, nil)
	if run == 0 {
		return
	}
	bytes := int64(run) * e.blockBytes
	wait := max(0, e.links[ToGPU].busyUntil-e.now)
	p := fetchPlan{blocks: run, copy: wait + e.cfg.CopyTime(bytes), compute: e.prefillPrice(r.sharedN*e.blockSize, run*e.blockSize)}
	p.fetch = p.copy < p.compute
	r.fetch = p
	if p.fetch {
		r.taken = true
		r.KVTokens += run * e.blockSize
		r.Prefilled = r.KVTokens
	}
}

// prefillPrice is how long tokens of a prompt take to prefill after ctx
// tokens of it, alone, in the batcher's chunks.
func (e *Engine) prefillPrice(ctx, tokens int) time.Duration {
	chunk := e.batcher.chunk(&e.cfg, tokens)
	var total time.Duration
	for done := 0; done < tokens; {
		n := min(chunk, tokens-done)
		d, _ := e.timing.Duration(Iteration{PrefillTokens: n, ContextTokens: int64(ctx + done), AttendedPairs: attendedByChunk(ctx+done, n)})
		total += d
		done += n
	}
	return total
}

// fetchBlocks is how many VRAM blocks a planned fetch needs now.
func (r *Request) fetchBlocks() int {
	if r.fetch.fetch {
		return r.fetch.blocks
	}
	return 0
}

// startFetch copies a prompt's blocks kept only in CPU memory back into
// VRAM blocks given to the cache now; the prompt holds them and waits,
// still queued, until the copy lands. The plan checked that VRAM has room.
func (e *Engine) startFetch(r *Request) {
	c := &e.cache
	n := r.fetch.blocks
	for j := r.sharedN + n - 1; j >= r.sharedN; j-- { // the tail least recently used
		i, _ := c.lookup(prefixKey{e.blockGroup(r, j), int32(j)})
		e.roomFor(1)
		en := &c.entries[i]
		en.block, en.placed, en.cpuOnly, en.loading = e.vram.allocOne(cacheOwner), true, false, true
		en.refs = 1
		e.held++
		e.stats.heldByClass[en.class]++
		c.tier.remove(c.entries, i) // most recently used now
		c.tier.push(c.entries, i)
	}
	r.sharedN += n
	r.taken = false
	r.State = Fetching
	if r.PrefillStartTick == 0 {
		r.CachedTokens = r.KVTokens
		r.CPUCachedTokens = n * e.blockSize
	}
	e.admissions++
	r.admitted = e.admissions
	e.stats.CacheFetches++
	bytes := int64(n) * e.blockBytes
	start, end := e.links[ToGPU].copy(e.now, bytes)
	e.transfers = append(e.transfers, Transfer{Req: r.ID, Direction: ToGPU, Bytes: bytes, Queued: e.now, Start: start, End: end, Cache: true})
	r.LinkBytes += bytes
	e.stats.LinkBytes += bytes
	e.promptChanged(r.ID)
	e.emit(Event{Kind: EvPrefixHit, Req: r.ID, Tokens: r.KVTokens})
	e.emit(Event{Kind: EvCacheFetch, Req: r.ID, Tokens: n * e.blockSize, Bytes: bytes, At: start, Dur: end - start, Alt: r.fetch.compute})
	r.fetch = fetchPlan{}
}

// fetched ends a fetch: the blocks are in VRAM, and the prompt, with that
// much of it cached, waits for its turn to prefill the rest.
func (e *Engine) fetched(r *Request, t Transfer) {
	e.eachShared(r, func(i int32) { e.cache.entries[i].loading = false })
	r.State = Waiting
	r.TransferWait += t.End - t.Queued
	e.paused = insertSorted(e.paused, r.ID)
	e.emit(Event{Kind: EvCacheFetched, Req: r.ID, Tokens: int(t.Bytes/e.blockBytes) * e.blockSize, Bytes: t.Bytes, At: t.End, Dur: t.End - t.Start})
}

// fetchingPromise is the room the prompts waiting for a fetch will need
// once it lands.
func (e *Engine) fetchingPromise() int {
	sum := 0
	for _, t := range e.transfers {
		if t.Cache {
			sum += e.promptBlocksLeft(&e.reqs[t.Req])
		}
	}
	return sum
}

// CacheStores lists the copies of idle cached blocks to the CPU tier in
// flight, oldest first (Req -1).
func (e *Engine) CacheStores() List[Transfer] { return ListOf(e.stores) }

// TierBlocks is how many blocks the CPU tier keeps (landed or on the
// way), and TierCapacity how many it has room for.
func (e *Engine) TierBlocks() int   { return e.tier.used() }
func (e *Engine) TierCapacity() int { return e.tier.blocks }

// TierOwners gives, for every block of the CPU tier, CachedCell if it
// holds a cached block's copy, else -1.
func (e *Engine) TierOwners() List[int32] { return ListOf(e.tier.ownerMap()) }
