package sim

import "slices"

// blockPool hands out KV blocks and remembers who owns each one. VRAM is a
// fixed pool; CPU memory grows on demand.
type blockPool struct {
	owner    []int32 // request ID per block, -1 when free
	free     []int32 // stack of free blocks; the top is handed out next
	growable bool
}

func newBlockPool(n int, growable bool) blockPool {
	p := blockPool{owner: make([]int32, n), free: make([]int32, n), growable: growable}
	for i := range p.owner {
		p.owner[i] = -1
		p.free[i] = int32(n - 1 - i) // block 0 on top: a fresh pool fills from the start
	}
	return p
}

// alloc gives one block to owner. It reports false when a fixed pool is empty.
func (p *blockPool) alloc(owner int) (int32, bool) {
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		p.owner[b] = int32(owner)
		return b, true
	}
	if !p.growable {
		return 0, false
	}
	p.owner = append(p.owner, int32(owner))
	return int32(len(p.owner) - 1), true
}

// allocN appends n blocks for owner to dst, the same blocks in the same
// order as n calls of alloc, in one pass: a swap at one token per block
// moves thousands. A fixed pool gives what it has; the caller checked.
func (p *blockPool) allocN(owner, n int, dst []int32) []int32 {
	dst = slices.Grow(dst, n)
	take := min(n, len(p.free))
	top := len(p.free)
	// Indexed rather than appended, so that the loop is a plain copy: at
	// one token per block a swap moves thousands of blocks.
	out := dst[len(dst) : len(dst)+take]
	from := p.free[top-take : top]
	id := int32(owner)
	for i := range out {
		b := from[len(from)-1-i]
		p.owner[b] = id
		out[i] = b
	}
	dst = dst[:len(dst)+take]
	p.free = p.free[:top-take]
	if p.growable {
		first := len(p.owner)
		if need := first + n - take; need > cap(p.owner) {
			// Double, at least: at one token per block CPU memory grows by
			// thousands of blocks a swap, and append's gentler growth for
			// large slices would copy the map over and over.
			p.owner = slices.Grow(p.owner, max(need, 2*cap(p.owner))-first)
		}
		for i := range n - take {
			p.owner = append(p.owner, int32(owner))
			dst = append(dst, int32(first+i))
		}
	}
	return dst
}

// release frees blocks, last first, so the next owner gets them back in the
// same order and a request's cache stays visually contiguous.
func (p *blockPool) release(blocks []int32) {
	n := len(p.free)
	p.free = slices.Grow(p.free, len(blocks))[:n+len(blocks)]
	pushed := p.free[n:]
	for i, b := range blocks {
		p.owner[b] = -1
		pushed[len(pushed)-1-i] = b
	}
}

func (p *blockPool) used() int { return len(p.owner) - len(p.free) }

func (p blockPool) clone() blockPool {
	return blockPool{owner: append([]int32(nil), p.owner...), free: append([]int32(nil), p.free...), growable: p.growable}
}
