package sim

import "github.com/google/btree"

// rankedQueue is a policy's queue: request IDs in order of a key, ties by
// ID (earlier arrival first). Adding, removing and re-keying a request
// cost O(log n), and reading the first k in order costs O(k + log n), so
// a policy can hand the engine the front of a queue of a million without
// touching the rest. As a FIFO (pushBack, pushFront) its keys are sequence
// numbers. A clone shares the tree's nodes until either copy changes them
// and copies only the map of keys.
type rankedQueue struct {
	tree        *btree.BTreeG[rankedItem]
	keys        map[int]int64
	front, back int64 // the next FIFO keys at each end
}

type rankedItem struct {
	key int64
	id  int
}

func rankedLess(a, b rankedItem) bool {
	return a.key < b.key || (a.key == b.key && a.id < b.id)
}

// rankedDegree suits queues from a few to millions of IDs.
const rankedDegree = 16

func (q *rankedQueue) init() {
	if q.tree == nil {
		q.tree = btree.NewG(rankedDegree, rankedLess)
		q.keys = map[int]int64{}
	}
}

// put adds id with key, or moves it there if it is queued already.
func (q *rankedQueue) put(id int, key int64) {
	q.init()
	if old, ok := q.keys[id]; ok {
		if old == key {
			return
		}
		q.tree.Delete(rankedItem{old, id})
	}
	q.keys[id] = key
	q.tree.ReplaceOrInsert(rankedItem{key, id})
}

// pushBack queues id last, pushFront first.
func (q *rankedQueue) pushBack(id int) {
	q.put(id, q.back)
	q.back++
}

func (q *rankedQueue) pushFront(id int) {
	q.front--
	q.put(id, q.front)
}

// remove takes id out and reports whether it was queued.
func (q *rankedQueue) remove(id int) bool {
	key, ok := q.keys[id]
	if !ok {
		return false
	}
	delete(q.keys, id)
	q.tree.Delete(rankedItem{key, id})
	return true
}

func (q *rankedQueue) has(id int) bool {
	_, ok := q.keys[id]
	return ok
}

func (q *rankedQueue) len() int { return len(q.keys) }

// head appends the first n IDs in order to dst (all of them for n < 0).
func (q *rankedQueue) head(dst []int, n int) []int {
	if q.tree == nil || n == 0 {
		return dst
	}
	q.tree.Ascend(func(it rankedItem) bool {
		dst = append(dst, it.id)
		n--
		return n != 0
	})
	return dst
}

// clone returns an independent copy.
func (q *rankedQueue) clone() rankedQueue {
	if q.tree == nil {
		return rankedQueue{front: q.front, back: q.back}
	}
	keys := make(map[int]int64, len(q.keys))
	for id, k := range q.keys {
		keys[id] = k
	}
	return rankedQueue{tree: q.tree.Clone(), keys: keys, front: q.front, back: q.back}
}
