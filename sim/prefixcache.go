package sim

import (
	"slices"
)

// Automatic prefix caching, as vLLM does it: a full KV block of a prompt's
// shared prefix is computed once and kept, and a request whose prompt
// starts with the same tokens takes the block instead of prefilling it.
// Blocks are reference-counted: the requests holding one count it once
// between them, it is freed or copied out only when none holds it, and
// once none does it stays cached, as VRAM that costs nothing to give up,
// until VRAM is needed, the least recently used first.
//
// A block's identity is its place in the tokens it belongs to: while it
// lies within a system prompt, that prompt's group (requests of one group
// share their first PrefixTokens tokens, so block j of one is block j of
// another); past it, the conversation the request is a turn of, whose
// every turn resends what the turns before it said (so its blocks are
// shared by its turns, answers included). The last prompt token is always
// computed (its output is the first answer token), so at most all but one
// of the tokens to prefill are taken from the cache.

// prefixKey names a full block of a shared prefix.
type prefixKey struct{ group, index int32 }

// cacheOwner owns a cached block in the VRAM pool's map.
const cacheOwner = -3

// CachedCell is the owner VRAMOwners gives a cached prefix block: the
// cache's, shared by the requests holding it, or by none.
const CachedCell int32 = cacheOwner

// cacheEntry is one cached block.
type cacheEntry struct {
	key   prefixKey
	refs  int32 // requests holding it
	block int32 // where it is in VRAM (-1: not placed yet, or a pool that only counts)
	class Class // the class of the request that computed it: whose held count it is in
	// placed says the block has its VRAM; links put it on the idle chain
	// (no refs, in VRAM) and the tier's (a copy in the CPU tier).
	placed bool
	links  [2]chainLink
	// The CPU tier (cputier.go): slot is the entry's block there, or -1;
	// storing says its copy is on the way (by the store numbered seq),
	// stored that it has landed; cpuOnly that VRAM gave it up and only the
	// CPU copy is left; loading that it is being copied back into its
	// VRAM block. tprev and tnext link the entries with a slot, least
	// recently used first.
	slot                              int32
	storing, stored, cpuOnly, loading bool
	seq                               uint32
}

// freshEntry is an entry of no block, on no chain.
func freshEntry() cacheEntry {
	return cacheEntry{block: -1, slot: -1, links: [2]chainLink{{-1, -1}, {-1, -1}}}
}

// prefixCache is the cache's entries, indexed by group and place: a
// group's list holds at j the entry of its block j, or -1, so that a
// prompt's blocks are found one after another without a lookup each.
type prefixCache struct {
	groups  map[int32][]int32
	entries []cacheEntry
	spare   []int32 // entries no longer used, to reuse
	// idle chains the entries no request holds, in VRAM; tier those with
	// a copy in the CPU tier.
	idle, tier chain
	unplaced   []int32 // entries made this iteration, to place
	// The entries gone idle this iteration, to copy to the CPU tier, and
	// the number of the last store.
	toStore  []int32
	storeSeq uint32
}

func newPrefixCache() prefixCache {
	return prefixCache{groups: map[int32][]int32{}, idle: newChain(idleChain), tier: newChain(tierChain)}
}

func (c prefixCache) clone() prefixCache {
	d := c
	d.groups = make(map[int32][]int32, len(c.groups))
	for g, l := range c.groups {
		d.groups[g] = slices.Clone(l)
	}
	d.entries = slices.Clone(c.entries)
	d.spare = slices.Clone(c.spare)
	d.unplaced = slices.Clone(c.unplaced)
	d.toStore = slices.Clone(c.toStore)
	return d
}

// add makes an entry for a block just computed, held by its computer.
func (c *prefixCache) add(key prefixKey, class Class) int32 {
	en := freshEntry()
	en.key, en.refs, en.class = key, 1, class
	var i int32
	if n := len(c.spare); n > 0 {
		i, c.spare = c.spare[n-1], c.spare[:n-1]
		c.entries[i] = en
	} else {
		i = int32(len(c.entries))
		c.entries = append(c.entries, en)
	}
	l := c.groups[key.group]
	for int(key.index) >= len(l) {
		l = append(l, -1)
	}
	l[key.index] = i
	c.groups[key.group] = l
	c.unplaced = append(c.unplaced, i)
	return i
}

// lookup is the entry of a block, if it is cached.
func (c *prefixCache) lookup(key prefixKey) (int32, bool) {
	l := c.groups[key.group]
	if int(key.index) >= len(l) || l[key.index] < 0 {
		return -1, false
	}
	return l[key.index], true
}

// blockGroup is the group block j of a request's tokens is named in: its
// system prompt's while the block lies within it, else its conversation's
// (as a negative group: the two never meet).
func (e *Engine) blockGroup(r *Request, j int) int32 {
	if r.PrefixGroup > 0 && (j+1)*e.blockSize <= r.PrefixTokens {
		return int32(r.PrefixGroup)
	}
	return int32(-r.Session)
}

// caching reports whether a request's blocks are shared at all: not
// without a system prompt or a conversation, with caching off, or on the
// static batcher (whose batches start together, so nothing cached is there
// to take).
func (e *Engine) caching(r *Request) bool {
	return (r.PrefixGroup > 0 || r.Session > 0) && !e.cfg.NoPrefixCaching && !e.static
}

// takeable is how many full blocks a request starting from nothing may
// take from the cache: its system prompt's, or, in a conversation, all of
// what it must prefill (what the cache has of its own conversation is its
// own), but never the last token's.
func (e *Engine) takeable(r *Request) int {
	if !e.caching(r) {
		return 0
	}
	if r.Session > 0 {
		return (r.PrefillTarget() - 1) / e.blockSize
	}
	return min(r.PrefixTokens, r.Input-1) / e.blockSize
}

// shareable is how many full blocks of a request's tokens go into the
// cache as it computes them: its system prompt's, or, in a conversation,
// every one, its answer's too (the next turn resends them).
func (e *Engine) shareable(r *Request) int {
	if !e.caching(r) {
		return 0
	}
	if r.Session > 0 {
		return max(r.Input+r.Output, r.PrefillTarget()) / e.blockSize
	}
	return min(r.PrefixTokens, r.Input-1) / e.blockSize
}

// eachShared calls f with the entry of every cached block a request
// holds, in order, looking each group's list up once.
func (e *Engine) eachShared(r *Request, f func(i int32)) {
	c := &e.cache
	var l []int32
	last := int32(0)
	for j := range r.sharedN {
		if g := e.blockGroup(r, j); g != last || l == nil {
			l, last = c.groups[g], g
		}
		f(l[j])
	}
}

// takePrefix gives a request starting from nothing the cached blocks its
// prompt begins with: it holds them, and its prompt counts as prefilled
// that far. It returns how many of them were idle: VRAM that counted as
// free and is held again.
func (e *Engine) takePrefix(r *Request) int {
	n := e.takeable(r)
	if n == 0 || r.KVTokens > 0 {
		return 0
	}
	woke := 0
	r.sharedN = e.cachedRun(r, 0, n, (*cacheEntry).inVRAM, func(i int32) {
		if e.holdEntry(i) {
			woke++
		}
	})
	if r.sharedN == 0 {
		return 0
	}
	r.taken = true
	r.KVTokens = r.sharedN * e.blockSize
	r.Prefilled = r.KVTokens
	r.kvHigh = max(r.kvHigh, r.KVTokens)
	return woke
}

// untakePrefix gives back what takePrefix took, for a prompt that does
// not start after all, and returns the blocks that went idle again.
func (e *Engine) untakePrefix(r *Request) int {
	r.fetch = fetchPlan{}
	if !r.taken {
		return 0
	}
	r.taken = false
	before := e.held
	e.dropShared(r)
	r.KVTokens, r.Prefilled = 0, 0
	return before - e.held
}

// holdEntry adds a holder to an entry; it reports whether the entry was
// idle.
func (e *Engine) holdEntry(i int32) bool {
	c := &e.cache
	en := &c.entries[i]
	en.refs++
	if en.refs > 1 {
		return false
	}
	c.idle.remove(c.entries, i)
	e.held++
	e.stats.heldByClass[en.class]++
	return true
}

// dropShared lets go of a request's cached blocks: one that no one holds
// any more stays cached, idle, as the most recently used. They go idle
// last block first, as vLLM frees them, so that VRAM gives up a prefix's
// tail before its head: a head left in VRAM is still a hit, a tail
// without its head is not.
func (e *Engine) dropShared(r *Request) {
	c := &e.cache
	var l []int32
	last := int32(0)
	for j := r.sharedN - 1; j >= 0; j-- {
		if g := e.blockGroup(r, j); g != last || l == nil {
			l, last = c.groups[g], g
		}
		i := l[j]
		en := &c.entries[i]
		if en.refs--; en.refs == 0 {
			c.idle.push(c.entries, i)
			e.held--
			e.stats.heldByClass[en.class]--
			e.queueStore(i)
		}
	}
	r.sharedN = 0
}

// shareComputed turns the prefix blocks a request has just computed whole
// into cached blocks: its own block becomes the cache's, or, if another
// request computed the same block meanwhile, it takes that one and its own
// goes.
func (e *Engine) shareComputed(r *Request) {
	n := e.shareable(r)
	c := &e.cache
	for r.sharedN < n && (r.sharedN+1)*e.blockSize <= r.KVTokens {
		key := prefixKey{e.blockGroup(r, r.sharedN), int32(r.sharedN)}
		if i, ok := c.lookup(key); ok && c.entries[i].loading {
			return // on its way back from CPU memory: shared once it lands
		} else if ok && c.entries[i].cpuOnly {
			// Kept only in CPU memory, and prefilled again rather than
			// copied back: the block it computed is the entry's VRAM copy.
			en := &c.entries[i]
			en.cpuOnly, en.refs, en.class = false, 1, r.Class
			c.unplaced = append(c.unplaced, i)
		} else if ok {
			e.holdEntry(i)
			// Its own copy is not needed: it no longer counts.
			e.addHeld(r, -1)
		} else {
			c.add(key, r.Class) // the block it counted is the cache's now
		}
		// The block it held for this place, if it has one yet, goes back
		// to the pool; the cache places its own at the iteration's end.
		e.vram.releaseFirst(&r.blocks)
		r.sharedN++
	}
}

// placeCache gives VRAM to the blocks cached this iteration, first
// evicting the least recently used idle ones while VRAM would hold more
// than its capacity.
func (e *Engine) placeCache() {
	c := &e.cache
	for e.held+c.idle.n > e.capacity && c.idle.head >= 0 {
		e.evictIdle()
	}
	for _, i := range c.unplaced {
		en := &c.entries[i]
		en.block, en.placed = e.vram.allocOne(cacheOwner), true
	}
	c.unplaced = c.unplaced[:0]
	e.storeIdle()
}

// roomFor evicts idle cached blocks until the VRAM pool has n free.
func (e *Engine) roomFor(n int) {
	for e.vram.freeBlocks() < n && e.cache.idle.head >= 0 {
		e.evictIdle()
	}
}

// evictIdle gives up the VRAM of the least recently used idle block: the
// block is forgotten, unless the CPU tier has its copy, which stays.
func (e *Engine) evictIdle() {
	c := &e.cache
	i := c.idle.head
	c.idle.remove(c.entries, i)
	en := &c.entries[i]
	if en.placed {
		e.vram.freeOne(en.block)
	} else {
		// Made this iteration by a request dropped before its end: it goes
		// before it has its VRAM.
		c.unplaced = slices.DeleteFunc(c.unplaced, func(k int32) bool { return k == i })
	}
	en.block, en.placed = -1, false
	if en.stored {
		en.cpuOnly = true
		return
	}
	e.dropCPUCopy(i) // a copy still on its way is abandoned
	e.forget(i)
}

// forget removes an entry that is in neither VRAM nor the CPU tier.
func (e *Engine) forget(i int32) {
	c := &e.cache
	en := &c.entries[i]
	c.groups[en.key.group][en.key.index] = -1
	*en = freshEntry()
	c.spare = append(c.spare, i)
}

// SharedBlocks appends to dst the VRAM blocks of the cached prefix a
// request holds (on an engine built WithoutBlockMap, -1 for each).
func (e *Engine) SharedBlocks(id int, dst []int32) []int32 {
	if id < 0 || id >= len(e.reqs) {
		return dst
	}
	e.eachShared(&e.reqs[id], func(i int32) { dst = append(dst, e.cache.entries[i].block) })
	return dst
}

// EachCachedBlock calls f with every cached block's place in VRAM and how
// many requests hold it (0: idle, kept until VRAM is needed).
func (e *Engine) EachCachedBlock(f func(block int32, holders int)) {
	for _, l := range e.cache.groups {
		for _, i := range l {
			if i >= 0 && e.cache.entries[i].placed {
				f(e.cache.entries[i].block, int(e.cache.entries[i].refs))
			}
		}
	}
}

// CachedBlocks is how many VRAM blocks hold cached KV that no request
// holds: room given up as soon as it is needed.
func (e *Engine) CachedBlocks() int { return e.cache.idle.n }

// CachedPrefixTokens is how many of a prompt's tokens the engine would
// take from its cache in VRAM if the prompt started now: the full blocks
// of its system prompt or conversation cached and not on their way back
// from CPU memory. A router that sends a request where its prefix is
// cached asks it (prefix affinity).
func (e *Engine) CachedPrefixTokens(s Spec) int {
	r := Request{Spec: s}
	return e.cachedRun(&r, 0, e.takeable(&r), (*cacheEntry).inVRAM, nil) * e.blockSize
}

// inVRAM reports whether a cached block can be taken from VRAM now: it has
// its VRAM and is not on its way back from CPU memory.
func (en *cacheEntry) inVRAM() bool { return en.placed && !en.loading }

// cachedRun counts the blocks of a request's tokens from block j up to
// block n whose cache entries are there and pass ok, stopping at the first
// that does not, and calls each (if not nil) with every one, in order. A
// group's list is looked up once, not a map access a block.
func (e *Engine) cachedRun(r *Request, j, n int, ok func(*cacheEntry) bool, each func(i int32)) int {
	c := &e.cache
	var l []int32
	last := int32(0)
	run := 0
	for ; j < n; j++ {
		if g := e.blockGroup(r, j); g != last || l == nil {
			l, last = c.groups[g], g
		}
		if j >= len(l) || l[j] < 0 || !ok(&c.entries[l[j]]) {
			break
		}
		if each != nil {
			each(l[j])
		}
		run++
	}
	return run
}
