package sim

import "iter"

// Extent is a run of consecutive KV blocks: Start, Start+1, ...,
// Start+Len-1.
type Extent struct{ Start, Len int32 }

// BlockList is the KV blocks a request owns in one pool, in the order it
// got them, kept as runs of consecutive blocks. A prompt's blocks come in
// long runs, so a swap moves a few runs rather than one block per token.
type BlockList struct {
	runs []Extent
	n    int
}

// Len is the number of blocks.
func (l BlockList) Len() int { return l.n }

// Last is the block got most recently; ok is false for an empty list.
func (l BlockList) Last() (b int32, ok bool) {
	if len(l.runs) == 0 {
		return 0, false
	}
	r := l.runs[len(l.runs)-1]
	return r.Start + r.Len - 1, true
}

// Runs lists the runs in the order the blocks were got.
func (l BlockList) Runs() List[Extent] { return ListOf(l.runs) }

// All yields every block in the order it was got.
func (l BlockList) All() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, r := range l.runs {
			for b := r.Start; b < r.Start+r.Len; b++ {
				if !yield(b) {
					return
				}
			}
		}
	}
}

// add appends n blocks from start on, joining the last run when they
// continue it.
func (l *BlockList) add(start, n int32) {
	l.n += int(n)
	if k := len(l.runs); k > 0 && l.runs[k-1].Start+l.runs[k-1].Len == start {
		l.runs[k-1].Len += n
		return
	}
	l.runs = append(l.runs, Extent{start, n})
}

// clear empties the list and keeps its room for the next owner of it.
func (l *BlockList) clear() { l.runs, l.n = l.runs[:0], 0 }

func (l BlockList) clone() BlockList {
	if l.runs == nil {
		return l
	}
	return BlockList{runs: append(make([]Extent, 0, cap(l.runs)), l.runs...), n: l.n}
}
