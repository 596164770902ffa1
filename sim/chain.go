package sim

// chainLink joins a cache entry to the entries before and after it on one of
// the cache's lists (-1: none).
type chainLink struct{ prev, next int32 }

// A chain is a list of cache entries, least recently used first, linked
// through the entries' own links of its kind, so that an entry can be on
// both lists at once (idle in VRAM, and kept in the CPU tier) and join or
// leave either in constant time.
type chain struct {
	kind       int // which of an entry's links the chain uses
	head, tail int32
	n          int
}

// The chains of the prefix cache.
const (
	idleChain = iota // entries no request holds, in VRAM
	tierChain        // entries with a copy in the CPU tier
)

func newChain(kind int) chain { return chain{kind: kind, head: -1, tail: -1} }

// push puts an entry at the most recent end.
func (l *chain) push(entries []cacheEntry, i int32) {
	lk := &entries[i].links[l.kind]
	lk.prev, lk.next = l.tail, -1
	if l.tail >= 0 {
		entries[l.tail].links[l.kind].next = i
	} else {
		l.head = i
	}
	l.tail = i
	l.n++
}

// remove takes an entry off the chain.
func (l *chain) remove(entries []cacheEntry, i int32) {
	lk := &entries[i].links[l.kind]
	if lk.prev >= 0 {
		entries[lk.prev].links[l.kind].next = lk.next
	} else {
		l.head = lk.next
	}
	if lk.next >= 0 {
		entries[lk.next].links[l.kind].prev = lk.prev
	} else {
		l.tail = lk.prev
	}
	lk.prev, lk.next = -1, -1
	l.n--
}

// after is the entry after i on the chain, or -1.
func (l *chain) after(entries []cacheEntry, i int32) int32 { return entries[i].links[l.kind].next }
