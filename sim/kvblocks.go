package sim

import "slices"

// blockPool hands out KV blocks and remembers who owns each one. VRAM is a
// fixed pool; CPU memory grows on demand.
//
// Blocks move in runs of consecutive blocks, so that handing out or taking
// back a request's cache costs the same at one token per block as at
// sixteen. The pool is split into runs, each described at its first block
// by its owner (-1 free) and length. Free runs are handed out lowest
// address first, and a freed run joins its free neighbours, so that the free
// space does not splinter as a stack of freed blocks would: a fresh pool
// fills from the start, and a request's cache is as contiguous as the free
// space allows. The map of every block's owner, which only a picture needs, is
// written out when asked for.
//
// A pool without a map (an engine built WithoutBlockMap) only counts: the
// engine's decisions depend on how many blocks are free and held, never on
// which, so a run that nobody draws need not place them.
type blockPool struct {
	blocks int       // in the pool, free or not
	mapped bool      // whether blocks are placed, or only counted
	head   []runHead // at the first block of every run; elsewhere stale
	// tail holds, at the last block of each free run, the run's first
	// block, and -1 at every other block: a freed run finds its free left
	// neighbour through it.
	tail     []int32
	starts   bitTree // the first blocks of the free runs
	nfree    int     // free blocks
	growable bool

	owners      []int32 // the owner of every block, as of ownersAt
	changes     uint64  // bumped by every change of ownership
	ownersAt    uint64
	ownersValid bool
}

// runHead describes the run of blocks that starts where it is stored.
type runHead struct{ owner, n int32 }

func newBlockPool(n int, growable, mapped bool) blockPool {
	p := blockPool{blocks: n, mapped: mapped, growable: growable, nfree: n}
	if !mapped {
		return p
	}
	p.head, p.tail = make([]runHead, n), make([]int32, n)
	for i := range p.tail {
		p.tail[i] = -1
	}
	p.starts.resize(n)
	if n > 0 {
		p.head[0] = runHead{-1, int32(n)}
		p.tail[n-1] = 0
		p.starts.add(0)
	}
	return p
}

func (p *blockPool) used() int { return p.blocks - p.nfree }

func (p *blockPool) freeBlocks() int { return p.nfree }

// allocN gives n blocks to owner, appended to dst, lowest free address
// first; a CPU pool grows by what its free space lacks. A fixed pool gives
// what it has: the caller checked.
func (p *blockPool) allocN(owner, n int, dst *BlockList) {
	if !p.mapped {
		take := min(n, p.nfree)
		p.nfree -= take
		if p.growable {
			p.blocks += n - take
			take = n
		}
		dst.n += take
		return
	}
	id := int32(owner)
	for n > 0 && p.nfree > 0 {
		x := int32(p.starts.least())
		m := p.head[x].n
		k := min(int32(n), m)
		p.head[x] = runHead{id, k}
		dst.add(x, k)
		p.starts.remove(int(x))
		if k == m {
			p.tail[x+m-1] = -1
		} else {
			y := x + k
			p.head[y] = runHead{-1, m - k}
			p.tail[x+m-1] = y
			p.starts.add(int(y))
		}
		n -= int(k)
		p.nfree -= int(k)
		p.changes++
	}
	if n > 0 && p.growable {
		start := len(p.head)
		p.grow(start + n)
		p.blocks = start + n
		p.head[start] = runHead{id, int32(n)}
		dst.add(int32(start), int32(n))
		p.changes++
	}
}

// grow extends a CPU pool to n blocks, all of them to be handed out.
func (p *blockPool) grow(n int) {
	old := len(p.head)
	// Double, at least: at one token per block CPU memory grows by
	// thousands of blocks a swap, and append's gentler growth for large
	// slices would copy the pool over and over.
	if n > cap(p.head) {
		p.head = slices.Grow(p.head, max(n, 2*cap(p.head))-old)
	}
	if n > cap(p.tail) {
		p.tail = slices.Grow(p.tail, max(n, 2*cap(p.tail))-old)
	}
	p.head = p.head[:n]
	p.tail = p.tail[:n]
	p.starts.resize(n)
	for i := old; i < n; i++ {
		p.tail[i] = -1
	}
}

// release frees a request's blocks and empties its list.
func (p *blockPool) release(l *BlockList) {
	if !p.mapped {
		p.nfree += l.n
		l.clear()
		return
	}
	for _, r := range l.runs {
		p.free(r.Start, r.Len)
	}
	if len(l.runs) > 0 {
		p.changes++
	}
	l.clear()
}

// free returns one run, joined to the free runs either side of it.
func (p *blockPool) free(s, n int32) {
	p.nfree += int(n)
	start, length := s, n
	// The block after the run starts a run of its own, and the block
	// before it ends one.
	if e := s + n; int(e) < len(p.head) && p.head[e].owner == -1 {
		length += p.head[e].n
		p.starts.remove(int(e))
	}
	if s > 0 && p.tail[s-1] >= 0 {
		start = p.tail[s-1]
		p.tail[s-1] = -1
		length += p.head[start].n
	} else {
		p.starts.add(int(s))
	}
	p.head[start] = runHead{-1, length}
	p.tail[start+length-1] = start
}

// ownerMap gives the owner of every block (-1 free), written out from the
// run heads only when ownership changed since the last call.
func (p *blockPool) ownerMap() []int32 {
	if !p.mapped {
		return nil
	}
	if p.ownersValid && p.ownersAt == p.changes && len(p.owners) == len(p.head) {
		return p.owners
	}
	p.owners = slices.Grow(p.owners[:0], len(p.head))[:len(p.head)]
	for b := 0; b < len(p.head); {
		h := p.head[b]
		n := max(int(h.n), 1)
		fill(p.owners[b:min(b+n, len(p.owners))], h.owner)
		b += n
	}
	p.ownersAt, p.ownersValid = p.changes, true
	return p.owners
}

func fill(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

func (p blockPool) clone() blockPool {
	c := p
	c.head = slices.Clone(p.head)
	c.tail = slices.Clone(p.tail)
	c.starts = p.starts.clone()
	// The copy writes its own map when asked: sharing the array would let
	// one engine's picture overwrite the other's.
	c.owners, c.ownersValid = nil, false
	return c
}

// allocOne gives one block to owner and returns it (-1 on a pool that only
// counts). The caller checked that one is free.
func (p *blockPool) allocOne(owner int) int32 {
	if !p.mapped {
		p.nfree--
		return -1
	}
	var l BlockList
	p.allocN(owner, 1, &l)
	return l.runs[0].Start
}

// freeOne returns one block got from allocOne.
func (p *blockPool) freeOne(b int32) {
	if !p.mapped {
		p.nfree++
		return
	}
	p.free(b, 1)
	p.changes++
}

// releaseFirst frees the first block of a list, if it has one.
func (p *blockPool) releaseFirst(l *BlockList) {
	if l.n == 0 {
		return
	}
	l.n--
	if !p.mapped {
		p.nfree++
		return
	}
	first := &l.runs[0]
	// The block heads a run of its owner's: the rest of that run gets a
	// head of its own before the block goes.
	if h := p.head[first.Start]; h.n > 1 {
		p.head[first.Start+1] = runHead{h.owner, h.n - 1}
	}
	p.free(first.Start, 1)
	p.changes++
	first.Start++
	if first.Len--; first.Len == 0 {
		l.runs = slices.Delete(l.runs, 0, 1)
	}
}
