package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refPool is the pool's specification, one block at a time: an allocation
// takes the lowest free blocks in address order, and a CPU pool grows at
// its end by what it lacks.
type refPool struct {
	owner    []int32
	growable bool
}

func (p *refPool) alloc(owner, n int) []int32 {
	var got []int32
	for b := range p.owner {
		if len(got) == n {
			break
		}
		if p.owner[b] == -1 {
			p.owner[b] = int32(owner)
			got = append(got, int32(b))
		}
	}
	for p.growable && len(got) < n {
		p.owner = append(p.owner, int32(owner))
		got = append(got, int32(len(p.owner)-1))
	}
	return got
}

func (p *refPool) release(blocks []int32) {
	for _, b := range blocks {
		p.owner[b] = -1
	}
}

// Random allocations and releases, from one block to hundreds, give every
// owner the same blocks as the specification, in the same order, and keep
// the pool's runs, free starts and counts consistent after every step.
func TestBlockPoolMatchesOneBlockAtATime(t *testing.T) {
	for _, growable := range []bool{false, true} {
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 7))
			size := 1 + rng.IntN(700)
			if growable {
				size = rng.IntN(50)
			}
			pool := newBlockPool(size, growable, true)
			ref := refPool{owner: slices.Repeat([]int32{-1}, size), growable: growable}
			lists := make([]BlockList, 12)
			for step := range 3000 {
				owner := rng.IntN(len(lists))
				if rng.IntN(3) == 0 {
					want := slices.Collect(lists[owner].All())
					ref.release(want)
					pool.release(&lists[owner])
				} else {
					n := 1 + rng.IntN(3)
					if rng.IntN(4) == 0 {
						n = 1 + rng.IntN(300)
					}
					if !growable {
						n = min(n, pool.freeBlocks())
					}
					before := slices.Collect(lists[owner].All())
					want := append(before, ref.alloc(owner, n)...)
					pool.allocN(owner, n, &lists[owner])
					if got := slices.Collect(lists[owner].All()); !slices.Equal(got, want) {
						t.Fatalf("growable %v seed %d step %d: owner %d got %v, want %v", growable, seed, step, owner, got, want)
					}
				}
				owners := pool.ownerMap()
				if !slices.Equal(owners, ref.owner) {
					t.Fatalf("growable %v seed %d step %d: map\n got %v\nwant %v", growable, seed, step, owners, ref.owner)
				}
				if err := pool.check(owners); err != nil {
					t.Fatalf("growable %v seed %d step %d: %v", growable, seed, step, err)
				}
				for i := range lists {
					if err := lists[i].check(); err != nil {
						t.Fatalf("step %d: owner %d: %v", step, i, err)
					}
				}
			}
		}
	}
}

// A clone's map is its own: changing the original leaves the copy's
// picture as it was.
func TestBlockPoolCloneIsIndependent(t *testing.T) {
	p := newBlockPool(64, false, true)
	var a, b BlockList
	p.allocN(0, 10, &a)
	c := p.clone()
	before := slices.Clone(c.ownerMap())
	p.allocN(1, 20, &b)
	p.release(&a)
	if !slices.Equal(c.ownerMap(), before) {
		t.Fatal("changing the original changed the clone's map")
	}
	if got := p.ownerMap(); got[0] != -1 || got[10] != 1 {
		t.Fatalf("original map %v", got[:32])
	}
}

// The set behind the free starts finds its least member across every
// level of summary, over sets from one word to three levels deep.
func TestBitTreeLeast(t *testing.T) {
	for _, n := range []int{1, 63, 64, 65, 4096, 4097, 300_000} {
		var tr bitTree
		tr.resize(n)
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		members := map[int]bool{}
		for range 2000 {
			i := rng.IntN(n)
			if members[i] {
				tr.remove(i)
				delete(members, i)
			} else {
				tr.add(i)
				members[i] = true
			}
			want := -1
			for m := range members {
				if want < 0 || m < want {
					want = m
				}
			}
			if got := tr.least(); got != want {
				t.Fatalf("n %d: least %d, want %d", n, got, want)
			}
		}
		// Growing keeps the members and finds them.
		tr.resize(4 * n)
		tr.add(4*n - 1)
		if !tr.has(4*n-1) || (len(members) > 0 && tr.least() >= 4*n-1) {
			t.Fatalf("n %d: after growing, least %d", n, tr.least())
		}
	}
}
