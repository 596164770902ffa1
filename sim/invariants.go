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
	vramOwned := make([]int, len(e.reqs))
	cpuOwned := make([]int, len(e.reqs))
	for b, o := range e.vram.owner {
		if o >= 0 {
			if int(o) >= len(e.reqs) {
				return fmt.Errorf("vram block %d owned by unknown request %d", b, o)
			}
			vramOwned[o]++
		}
	}
	for _, o := range e.cpu.owner {
		if o >= 0 {
			cpuOwned[o]++
		}
	}
	if free := len(e.vram.owner) - e.vram.used(); free != len(e.vram.free) {
		return fmt.Errorf("vram free list has %d blocks, map says %d", len(e.vram.free), free)
	}
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
		case Decode, Swapped, SwappingOut, SwappingIn:
			if r.Prefilled != r.PrefillTarget() || r.KVTokens != r.Input+r.Decoded {
				return fmt.Errorf("R%d %s holds %d KV tokens, want %d+%d", i, r.State, r.KVTokens, r.Input, r.Decoded)
			}
		case Done:
			if r.Decoded != r.Output || r.KVTokens != 0 || r.CompletionTick == 0 {
				return fmt.Errorf("R%d done with %d/%d tokens and %d KV", i, r.Decoded, r.Output, r.KVTokens)
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
		wantVRAM, wantCPU := 0, 0
		switch {
		case r.Resident():
			wantVRAM = need
		case r.State == Swapped:
			wantCPU = need
		case r.Transferring():
			wantVRAM, wantCPU = need, need
		}
		held += wantVRAM
		byClass[r.Class] += wantVRAM
		if vramOwned[i] != wantVRAM || len(r.blocks) != wantVRAM || cpuOwned[i] != wantCPU || len(r.cpuBlocks) != wantCPU {
			return fmt.Errorf("R%d %s should own %d VRAM and %d CPU blocks, owns %d (map %d) and %d (map %d)",
				i, r.State, wantVRAM, wantCPU, len(r.blocks), vramOwned[i], len(r.cpuBlocks), cpuOwned[i])
		}
		for _, b := range r.blocks {
			if int(b) >= len(e.vram.owner) || e.vram.owner[b] != int32(i) {
				return fmt.Errorf("R%d lists VRAM block %d it does not own", i, b)
			}
		}
		for _, b := range r.cpuBlocks {
			if int(b) >= len(e.cpu.owner) || e.cpu.owner[b] != int32(i) {
				return fmt.Errorf("R%d lists CPU block %d it does not own", i, b)
			}
		}
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
		if t.Direction == ToGPU {
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
