package sim

import (
	"fmt"
	"slices"
	"time"
)

// CheckInvariants verifies the engine's state after a tick: KV held never
// exceeds VRAM, the block maps agree with the requests, every token is
// counted once and every request is in exactly one consistent state. It costs
// time in proportion to all requests and blocks, so it is for tests.
func (e *Engine) CheckInvariants() error {
	if e.held > e.capacity {
		return fmt.Errorf("tick %d: %d KV blocks held, capacity %d", e.tick, e.held, e.capacity)
	}
	held, tokens, finished, evictions, drops := 0, 0, 0, 0, 0
	var byClass [2]int
	if err := e.checkBlockMaps(); err != nil {
		return fmt.Errorf("tick %d: %w", e.tick, err)
	}
	listedVRAM, listedCPU := 0, 0
	for i := range e.reqs {
		r := &e.reqs[i]
		if r.ID != i {
			return fmt.Errorf("request at %d has ID %d", i, r.ID)
		}
		if i >= e.next && r.State != Pending {
			return fmt.Errorf("R%d not arrived but %s", i, r.State)
		}
		if r.Prefilled < 0 || r.Prefilled > r.PrefillTarget() || r.Decoded < 0 || r.Decoded > r.Output || r.redo > r.Decoded {
			return fmt.Errorf("R%d progress out of range: prompt %d/%d, output %d/%d", i, r.Prefilled, r.Input, r.Decoded, r.Output)
		}
		need := e.blocksFor(r.KVTokens)
		switch r.State {
		case Waiting, Prefill:
			// Output tokens already produced are kept; after a recompute
			// preemption they are prefilled again with the prompt.
			if r.Decoded != r.redo || r.KVTokens != r.Prefilled {
				return fmt.Errorf("R%d %s holds %d KV tokens with %d prefilled, %d decoded", i, r.State, r.KVTokens, r.Prefilled, r.Decoded)
			}
		case Decode, Swapped, SwappingOut, SwappingIn, Sending:
			if r.Prefilled != r.PrefillTarget() || r.KVTokens != r.Input+r.Decoded {
				return fmt.Errorf("R%d %s holds %d KV tokens, want %d+%d", i, r.State, r.KVTokens, r.Input, r.Decoded)
			}
		case Done:
			if r.Decoded != r.Output || r.KVTokens != 0 || r.CompletionTick == 0 {
				return fmt.Errorf("R%d done with %d/%d tokens and %d KV", i, r.Decoded, r.Output, r.KVTokens)
			}
			finished++
		case Sent:
			if !r.sendOnly || r.Decoded != 0 || r.KVTokens != 0 || r.CompletionTick == 0 {
				return fmt.Errorf("R%d sent with %d tokens, %d KV, completed at tick %d", i, r.Decoded, r.KVTokens, r.CompletionTick)
			}
			finished++
		case Rejected:
			if r.Reason == "" || r.KVTokens != 0 {
				return fmt.Errorf("R%d rejected without a reason or with KV", i)
			}
			finished++
		}
		tokens += r.Decoded
		evictions += r.Evictions
		drops += r.Drops
		// Where the KV lives: VRAM while resident, CPU memory while
		// swapped, both while a copy is in flight (the VRAM blocks are
		// freed only when a copy out ends, and allocated before a copy in).
		// Cached prefix blocks it holds are the cache's, counted once below.
		wantVRAM, wantCPU := 0, 0
		switch {
		case r.Resident():
			wantVRAM = need - r.sharedN
		case r.State == Swapped:
			wantCPU = need
		case r.State == Fetching || r.State == Sending:
			// Fetching, it holds only cached blocks, some on their way
			// back; sending, its KV until the copy has left.
			wantVRAM = need - r.sharedN
		case r.Transferring():
			wantVRAM, wantCPU = need-r.sharedN, need
		}
		if r.sharedN > 0 && !(r.Resident() || r.State == SwappingOut || r.State == Fetching || r.State == Sending) || r.sharedN > max(e.shareable(r), e.takeable(r)) || r.taken || r.fetch != (fetchPlan{}) {
			return fmt.Errorf("R%d %s holds %d cached blocks (of %d shareable), taken %v", i, r.State, r.sharedN, e.shareable(r), r.taken)
		}
		held += wantVRAM
		byClass[r.Class] += wantVRAM
		if r.blocks.Len() != wantVRAM || r.cpuBlocks.Len() != wantCPU {
			return fmt.Errorf("R%d %s should own %d VRAM and %d CPU blocks, owns %d and %d",
				i, r.State, wantVRAM, wantCPU, r.blocks.Len(), r.cpuBlocks.Len())
		}
		listedVRAM += r.blocks.Len()
		listedCPU += r.cpuBlocks.Len()
	}
	cachedHeld, cachedByClass, placed, err := e.checkCache()
	if err != nil {
		return fmt.Errorf("tick %d: %w", e.tick, err)
	}
	held += cachedHeld
	for c, n := range cachedByClass {
		byClass[c] += n
	}
	listedVRAM += placed
	if e.held+e.cache.idle.n > e.capacity {
		return fmt.Errorf("tick %d: %d blocks held and %d cached, capacity %d", e.tick, e.held, e.cache.idle.n, e.capacity)
	}
	if listedVRAM != e.vram.used() || listedCPU != e.cpu.used() {
		return fmt.Errorf("requests list %d VRAM and %d CPU blocks, the pools hand out %d and %d", listedVRAM, listedCPU, e.vram.used(), e.cpu.used())
	}
	if held != e.held || byClass != e.stats.heldByClass {
		return fmt.Errorf("held count %d (by class %v), recount %d (%v)", e.held, e.stats.heldByClass, held, byClass)
	}
	if tokens != e.stats.Tokens {
		return fmt.Errorf("%d output tokens counted, requests hold %d", e.stats.Tokens, tokens)
	}
	waiting := 0
	for i := range e.reqs {
		if e.reqs[i].State == Waiting {
			waiting++
		}
	}
	if waiting != e.Waiting() {
		return fmt.Errorf("%d requests waiting, Waiting() says %d", waiting, e.Waiting())
	}
	if evictions != e.stats.Evictions || drops != e.stats.Drops {
		return fmt.Errorf("counters say %d evictions, %d drops; requests say %d, %d", e.stats.Evictions, e.stats.Drops, evictions, drops)
	}
	if finished != e.stats.finished {
		return fmt.Errorf("%d finished counted, %d found", e.stats.finished, finished)
	}
	if e.cpuLimit != 0 && e.cpu.used() > max(0, e.cpuLimit) {
		return fmt.Errorf("%d CPU blocks used, limit %d", e.cpu.used(), e.cpuLimit)
	}
	if err := e.checkSends(); err != nil {
		return fmt.Errorf("tick %d: %w", e.tick, err)
	}
	if err := e.checkTransfers(); err != nil {
		return fmt.Errorf("tick %d: %w", e.tick, err)
	}
	if e.stuck != "" {
		return fmt.Errorf("stuck: %s", e.stuck)
	}
	if err := e.checkLists(); err != nil {
		return fmt.Errorf("tick %d: %w", e.tick, err)
	}
	return nil
}

// checkLists verifies that the active lists hold exactly the requests in
// their states.
func (e *Engine) checkLists() error {
	lists := []struct {
		name string
		ids  []int
		ok   func(*Request) bool
	}{
		{"decoding", e.decoding, func(r *Request) bool { return r.State == Decode }},
		{"swapped", e.swapped, func(r *Request) bool { return r.State == Swapped }},
		{"paused", e.paused, func(r *Request) bool { return r.State == Waiting && r.KVTokens > 0 }},
	}
	for _, l := range lists {
		if !slices.IsSorted(l.ids) {
			return fmt.Errorf("%s list not sorted: %v", l.name, l.ids)
		}
		n := 0
		for i := range e.reqs {
			if l.ok(&e.reqs[i]) {
				n++
				if _, found := slices.BinarySearch(l.ids, i); !found {
					return fmt.Errorf("R%d belongs in %s", i, l.name)
				}
			}
		}
		if n != len(l.ids) {
			return fmt.Errorf("%s list has %d entries, %d requests qualify", l.name, len(l.ids), n)
		}
	}
	prefilling := 0
	for i := range e.reqs {
		if e.reqs[i].State == Prefill {
			prefilling++
			if !slices.Contains(e.prefilling, i) {
				return fmt.Errorf("R%d is prefilling but not listed", i)
			}
		}
	}
	if prefilling != len(e.prefilling) {
		return fmt.Errorf("prefilling list %v, %d requests prefilling", e.prefilling, prefilling)
	}
	return nil
}

// checkTransfers verifies that exactly the requests with a copy in flight
// have one, in the right direction, and that no copy in a direction starts
// before the one queued ahead of it ends.
func (e *Engine) checkTransfers() error {
	inFlight := 0
	for i := range e.reqs {
		if e.reqs[i].Transferring() {
			inFlight++
		}
	}
	if inFlight != len(e.transfers) {
		return fmt.Errorf("%d requests transferring, %d copies in flight", inFlight, len(e.transfers))
	}
	var lastEnd [2]time.Duration
	for _, t := range e.transfers {
		r := &e.reqs[t.Req]
		want := SwappingOut
		switch {
		case t.Cache:
			want = Fetching
		case t.Direction == ToGPU:
			want = SwappingIn
		}
		if r.State != want {
			return fmt.Errorf("R%d is %s with a copy %s in flight", t.Req, r.State, t.Direction)
		}
		if t.Start < t.Queued || t.End <= t.Start || t.Start < lastEnd[t.Direction] {
			return fmt.Errorf("R%d copy %s timed %v..%v (queued %v) overlaps the one before (ends %v)", t.Req, t.Direction, t.Start, t.End, t.Queued, lastEnd[t.Direction])
		}
		lastEnd[t.Direction] = t.End
	}
	return nil
}

// check verifies a pool against its owner map: its runs tile the pool,
// free runs are joined to their free neighbours and found among the free
// starts and through their tails, and the free count agrees.
func (p *blockPool) check(owners []int32) error {
	free, runs, prevFree := 0, 0, false
	for b := 0; b < len(p.head); {
		h := p.head[b]
		if h.n <= 0 || b+int(h.n) > len(p.head) {
			return fmt.Errorf("run at %d of %d blocks overruns the pool of %d", b, h.n, len(p.head))
		}
		isFree := h.owner == -1
		for i := b; i < b+int(h.n); i++ {
			want := int32(-1)
			if isFree && i == b+int(h.n)-1 {
				want = int32(b)
			}
			if p.tail[i] != want || owners[i] != h.owner {
				return fmt.Errorf("block %d in the run at %d: tail %d (want %d), owner %d (want %d)", i, b, p.tail[i], want, owners[i], h.owner)
			}
		}
		if isFree {
			if prevFree {
				return fmt.Errorf("free run at %d follows a free run", b)
			}
			if !p.starts.has(b) {
				return fmt.Errorf("free run at %d is not among the free starts", b)
			}
			free += int(h.n)
			runs++
		}
		if !isFree && p.starts.has(b) {
			return fmt.Errorf("run at %d, owned by %d, is among the free starts", b, h.owner)
		}
		for i := b + 1; i < b+int(h.n); i++ {
			if p.starts.has(i) {
				return fmt.Errorf("block %d inside the run at %d is among the free starts", i, b)
			}
		}
		prevFree = isFree
		b += int(h.n)
	}
	if free != p.nfree {
		return fmt.Errorf("%d blocks free in %d runs, counted %d", free, runs, p.nfree)
	}
	return nil
}

// check verifies that a block list's runs add up to its length.
func (l BlockList) check() error {
	n := 0
	for _, r := range l.runs {
		if r.Len <= 0 {
			return fmt.Errorf("empty run %+v", r)
		}
		n += int(r.Len)
	}
	if n != l.n {
		return fmt.Errorf("runs hold %d blocks, length says %d", n, l.n)
	}
	return nil
}

func countOf(s []int32, v int32) (n int32) {
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// checkCache verifies the prefix cache: every entry's count is the number
// of requests holding it, the idle list is exactly the entries no one
// holds, every entry is placed at the end of a tick, and on a mapped pool
// its block is the cache's. It returns the blocks held (by class) and the
// blocks placed.
func (e *Engine) checkCache() (held int, byClass [2]int, placed int, err error) {
	c := &e.cache
	refs := map[int32]int32{}
	for i := range e.reqs {
		r := &e.reqs[i]
		for j := range r.sharedN {
			k, ok := c.lookup(prefixKey{e.blockGroup(r, j), int32(j)})
			if !ok {
				return 0, byClass, 0, fmt.Errorf("R%d holds cached block %d of group %d, which is not cached", i, j, r.PrefixGroup)
			}
			refs[k]++
		}
	}
	idle, inTier := 0, 0
	for g, l := range c.groups {
		for j, k := range l {
			if k < 0 {
				continue
			}
			key := prefixKey{g, int32(j)}
			en := &c.entries[k]
			if en.inTier() {
				inTier++
			}
			if en.key != key || en.refs != refs[k] || en.placed == en.cpuOnly || len(c.unplaced) > 0 {
				return 0, byClass, 0, fmt.Errorf("cached block %v: %d holders counted, %d found, placed %v, only in CPU memory %v", key, en.refs, refs[k], en.placed, en.cpuOnly)
			}
			if en.cpuOnly {
				if en.refs != 0 || !en.stored || en.loading {
					return 0, byClass, 0, fmt.Errorf("cached block %v kept only in CPU memory: %d holders, copy landed %v, loading %v", key, en.refs, en.stored, en.loading)
				}
				continue
			}
			if en.loading && en.refs == 0 || en.stored && en.storing {
				return 0, byClass, 0, fmt.Errorf("cached block %v: loading with no holder, or both stored and storing", key)
			}
			if e.vram.mapped && e.vram.ownerMap()[en.block] != cacheOwner {
				return 0, byClass, 0, fmt.Errorf("cached block %v at %d is owned by %d", key, en.block, e.vram.ownerMap()[en.block])
			}
			placed++
			if en.refs == 0 {
				idle++
				continue
			}
			held++
			byClass[en.class]++
		}
	}
	n := 0
	for k := c.idle.head; k >= 0; k = c.idle.after(c.entries, k) {
		if c.entries[k].refs != 0 || n > len(c.entries) {
			return 0, byClass, 0, fmt.Errorf("the idle list holds a block in use, or loops")
		}
		n++
	}
	if n != idle || idle != c.idle.n {
		return 0, byClass, 0, fmt.Errorf("%d idle cached blocks, the list holds %d, the count says %d", idle, n, c.idle.n)
	}
	n = 0
	for k := c.tier.head; k >= 0; k = c.tier.after(c.entries, k) {
		if !c.entries[k].inTier() || n > len(c.entries) {
			return 0, byClass, 0, fmt.Errorf("the CPU tier's list holds a block without a copy there, or loops")
		}
		n++
	}
	if n != inTier || inTier != e.tier.used() {
		return 0, byClass, 0, fmt.Errorf("%d cached blocks have a CPU copy, the tier's list holds %d, its room %d used", inTier, n, e.tier.used())
	}
	return held, byClass, placed, nil
}

// checkBlockMaps verifies, on an engine that places its blocks, that every
// request's lists name exactly the blocks the pools give it.
func (e *Engine) checkBlockMaps() error {
	if !e.vram.mapped {
		return nil
	}
	vramOwners, cpuOwners := e.vram.ownerMap(), e.cpu.ownerMap()
	if err := e.vram.check(vramOwners); err != nil {
		return fmt.Errorf("vram: %w", err)
	}
	if err := e.cpu.check(cpuOwners); err != nil {
		return fmt.Errorf("cpu memory: %w", err)
	}
	owned := func(owners []int32) ([]int, error) {
		n := make([]int, len(e.reqs))
		for b, o := range owners {
			if o >= int32(len(e.reqs)) {
				return nil, fmt.Errorf("block %d owned by unknown request %d", b, o)
			}
			if o >= 0 {
				n[o]++
			}
			if o < -1 && o != cacheOwner {
				return nil, fmt.Errorf("block %d owned by %d", b, o)
			}
		}
		return n, nil
	}
	vramOwned, err := owned(vramOwners)
	if err != nil {
		return fmt.Errorf("vram: %w", err)
	}
	cpuOwned, err := owned(cpuOwners)
	if err != nil {
		return fmt.Errorf("cpu memory: %w", err)
	}
	for i := range e.reqs {
		r := &e.reqs[i]
		for _, l := range []struct {
			pool   string
			list   BlockList
			owners []int32
			owned  int
		}{{"VRAM", r.blocks, vramOwners, vramOwned[i]}, {"CPU", r.cpuBlocks, cpuOwners, cpuOwned[i]}} {
			if err := l.list.check(); err != nil {
				return fmt.Errorf("R%d %s blocks: %w", i, l.pool, err)
			}
			if l.list.Len() != l.owned {
				return fmt.Errorf("R%d lists %d %s blocks, the map gives it %d", i, l.list.Len(), l.pool, l.owned)
			}
			for b := range l.list.All() {
				if int(b) >= len(l.owners) || l.owners[b] != int32(i) {
					return fmt.Errorf("R%d lists %s block %d it does not own", i, l.pool, b)
				}
			}
		}
	}
	return nil
}

// checkSends verifies that exactly the requests sending their KV to a
// decode replica have a copy in flight, in the order issued, and that the
// requests whose KV has landed wait for VRAM, in arrival order.
func (e *Engine) checkSends() error {
	sending := 0
	for i := range e.reqs {
		if r := &e.reqs[i]; r.State == Sending {
			sending++
		} else if r.sendOnly && r.State == Decode {
			return fmt.Errorf("R%d decodes on a prefill replica", i)
		}
	}
	if sending != len(e.peer.sends) {
		return fmt.Errorf("%d requests sending, %d copies in flight", sending, len(e.peer.sends))
	}
	for i, s := range e.peer.sends {
		if e.reqs[s.Req].State != Sending || s.Start < s.Queued || s.End <= s.Start || i > 0 && s.Start < e.peer.sends[i-1].End-e.peer.latency {
			return fmt.Errorf("R%d copy to a decode replica timed %v..%v (queued %v) is out of order", s.Req, s.Start, s.End, s.Queued)
		}
	}
	if !slices.IsSorted(e.peer.landed) {
		return fmt.Errorf("landed list not in arrival order: %v", e.peer.landed)
	}
	for _, id := range e.peer.landed {
		if r := &e.reqs[id]; !r.handed || r.State != Waiting || r.KVTokens != 0 {
			return fmt.Errorf("R%d is %s with %d KV, not landed", id, r.State, r.KVTokens)
		}
	}
	return nil
}
