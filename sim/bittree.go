package sim

import "math/bits"

// bitTree is a set of small integers that finds its least member in a few
// word reads however large it is: above the bits sits a summary with one
// bit per word below that is not zero, and so on up to a single word.
type bitTree struct {
	levels [][]uint64 // levels[0] holds the members
	n      int        // members may be 0 .. n-1
}

// resize makes room for members below n, keeping the members it has.
// The summaries cover all the room the bits have, so that they need
// rebuilding only when the bits move to a larger array, which at least
// doubles it.
func (t *bitTree) resize(n int) {
	if n <= t.n && len(t.levels) > 0 {
		return
	}
	t.n = n
	words := max(1, (n+63)/64)
	if len(t.levels) > 0 && words <= cap(t.levels[0]) {
		t.levels[0] = t.levels[0][:words] // beyond its length still zero
		return
	}
	members := make([]uint64, words, max(words, 2*words))
	if len(t.levels) > 0 {
		copy(members, t.levels[0])
	}
	t.levels = [][]uint64{members}
	for below := members[:cap(members)]; len(below) > 1; {
		up := make([]uint64, (len(below)+63)/64)
		for i, w := range below {
			if w != 0 {
				up[i/64] |= 1 << (i % 64)
			}
		}
		t.levels = append(t.levels, up)
		below = up
	}
}

func (t *bitTree) add(i int) {
	for _, level := range t.levels {
		w := i / 64
		was := level[w]
		level[w] |= 1 << (i % 64)
		if was != 0 {
			return // the summaries above already count this word
		}
		i = w
	}
}

func (t *bitTree) remove(i int) {
	for _, level := range t.levels {
		w := i / 64
		level[w] &^= 1 << (i % 64)
		if level[w] != 0 {
			return
		}
		i = w
	}
}

func (t *bitTree) has(i int) bool {
	return i >= 0 && i < t.n && t.levels[0][i/64]&(1<<(i%64)) != 0
}

// least is the smallest member, or -1 for an empty set.
func (t *bitTree) least() int {
	if len(t.levels) == 0 {
		return -1
	}
	i := 0
	for k := len(t.levels) - 1; k >= 0; k-- {
		w := t.levels[k][i]
		if w == 0 {
			return -1 // only the top word can be empty
		}
		i = i*64 + bits.TrailingZeros64(w)
	}
	return i
}

func (t bitTree) clone() bitTree {
	c := bitTree{n: t.n, levels: make([][]uint64, len(t.levels))}
	for k, level := range t.levels {
		// The same room: the summaries cover all of it (see resize).
		c.levels[k] = make([]uint64, len(level), cap(level))
		copy(c.levels[k], level)
	}
	return c
}
