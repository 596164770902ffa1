package lesson

import "math/rand/v2"

// Paging compares two ways of holding the KV cache of users whose
// conversations differ in length, both in the engine's blocks:
//
//   - reserved: each user gets room for the longest conversation allowed
//     (the setup's Tokens) in one piece when it arrives, since how long it
//     will grow is not known; the part it has not used yet is reserved but
//     empty, and no one else can have it;
//   - paged, as in vLLM's PagedAttention: a user takes one block when its
//     last one is full, wherever a free block is, and a block table maps
//     its logical blocks (0, 1, 2, ...) to the physical blocks that hold
//     them. Only the last block of each user is part empty.
type Paging struct {
	Budget KVBudget
	// Lengths are the users' conversations so far, in tokens, one per user
	// of the setup: 1 to Tokens each, short ones more often than long.
	Lengths    []int
	MeanTokens int

	// Reserved in one piece: Budget.UserBlocks blocks a user, so
	// Budget.FitUsers fit (ReservedFit); the first ReservedResident users
	// have their room, the others wait.
	ReservedFit, ReservedResident int
	// Of the resident users' reservations: the bytes their tokens take, and
	// the bytes reserved for tokens they have not got.
	ReservedUsedBytes, ReservedIdleBytes int64

	// PagedFit is how many users with conversations like these the blocks
	// hold, paged: the setup's users and, when they all fit, more drawn
	// the same way until a next one would not fit (at most pagedFitCap).
	PagedFit, PagedResident int
	// PagedBlocks are the blocks the resident users take; PagedUsedBytes
	// what their tokens take of them, PagedIdleBytes the empty ends of
	// their last blocks.
	PagedBlocks                    int
	PagedUsedBytes, PagedIdleBytes int64
	// Shown is the user whose table the scene draws (-1: none resident): one
	// with a few blocks and a part-full last one. Table is its block table:
	// Table[j] is the physical block (0 is the first block after the
	// weights) that holds its logical block j.
	Shown int
	Table []int
}

// pagedFitCap bounds how far PagedFit counts past the setup's users: far
// more than a screen can show, and it keeps a slider's drag quick.
const pagedFitCap = 1 << 20

// Streams of the seeded generator: one for lengths, one for arrivals.
const (
	lengthStream  = 0x6b762d6c656e // "kv-len"
	arrivalStream = 0x6b762d617272 // "kv-arr"
)

// Paging computes both schemes for the setup's users. The seed draws the
// users' lengths and when they arrived; the same seed gives the same users.
func (s KVSetup) Paging(seed uint64) (Paging, error) {
	b, err := s.Budget()
	if err != nil {
		return Paging{}, err
	}
	p := Paging{Budget: b, Lengths: make([]int, s.Users)}
	length := lengthDraw(seed, s.Tokens)
	total := 0
	for u := range p.Lengths {
		p.Lengths[u] = length()
		total += p.Lengths[u]
	}
	p.MeanTokens = (total + s.Users/2) / s.Users

	p.ReservedFit = ReservedFit(s.Tokens, b.BlockTokens, b.CapacityBlocks)
	p.ReservedResident = min(s.Users, p.ReservedFit)
	for _, n := range p.Lengths[:p.ReservedResident] {
		p.ReservedUsedBytes += int64(n) * b.BytesPerToken
	}
	p.ReservedIdleBytes = int64(p.ReservedResident)*int64(b.UserBlocks)*b.BlockBytes - p.ReservedUsedBytes

	p.PagedResident = PagedFit(p.Lengths, b.BlockTokens, b.CapacityBlocks)
	p.PagedFit = p.PagedResident
	if p.PagedResident == s.Users {
		// Everyone fits: count on, with users drawn the same way.
		used := 0
		for _, n := range p.Lengths {
			used += blocksFor(n, b.BlockTokens)
		}
		for p.PagedFit < max(pagedFitCap, p.ReservedFit) {
			used += blocksFor(length(), b.BlockTokens)
			if used > b.CapacityBlocks {
				break
			}
			p.PagedFit++
		}
	}
	for _, n := range p.Lengths[:p.PagedResident] {
		p.PagedBlocks += blocksFor(n, b.BlockTokens)
		p.PagedUsedBytes += int64(n) * b.BytesPerToken
	}
	p.PagedIdleBytes = int64(p.PagedBlocks)*b.BlockBytes - p.PagedUsedBytes
	p.Shown = shownUser(p.Lengths[:p.PagedResident], b.BlockTokens)
	if p.Shown >= 0 {
		p.Table = BlockTable(p.Shown, p.Lengths[:p.PagedResident], arrivals(seed, p.PagedResident, s.Tokens), b.BlockTokens)
	}
	return p, nil
}

// lengthDraw returns a generator of conversation lengths up to limit
// tokens: limit × u² for u uniform, so that most are short and a few long,
// as chats are; at least one token.
func lengthDraw(seed uint64, limit int) func() int {
	r := rand.New(rand.NewPCG(seed, lengthStream))
	return func() int {
		u := r.Float64()
		return max(1, min(limit, int(float64(limit)*u*u)+1))
	}
}

// arrivals draws when each of n users arrived, in steps of one token, over
// the time the longest conversation takes.
func arrivals(seed uint64, n, limit int) []int {
	r := rand.New(rand.NewPCG(seed, arrivalStream))
	a := make([]int, n)
	for u := range a {
		a[u] = r.IntN(limit)
	}
	return a
}

func blocksFor(tokens, blockTokens int) int { return (tokens + blockTokens - 1) / blockTokens }

// ReservedFit is how many users fit when each reserves room for limit
// tokens: whole blocks, in one piece.
func ReservedFit(limit, blockTokens, capacityBlocks int) int {
	return capacityBlocks / blocksFor(limit, blockTokens)
}

// PagedFit is how many of the users, in turn, fit when each takes only the
// blocks its tokens fill.
func PagedFit(lengths []int, blockTokens, capacityBlocks int) int {
	used := 0
	for u, n := range lengths {
		used += blocksFor(n, blockTokens)
		if used > capacityBlocks {
			return u
		}
	}
	return len(lengths)
}

// BlockTable is user u's block table when physical blocks are handed out
// as the users' conversations grow: user v arrived at step arrival[v] and
// grows by a token a step, so it needs its logical block j at step
// arrival[v] + j × blockTokens; the blocks go out in that order (ties to
// the lower user), each the next free one. Users growing at the same time
// interleave, so a user's blocks lie scattered among everyone else's, and
// only its table says where.
//
// Block j's physical number is how many blocks went out before it; that is
// counted user by user, so the cost is users × u's blocks, not the sort of
// every block of every user.
func BlockTable(u int, lengths, arrival []int, blockTokens int) []int {
	table := make([]int, blocksFor(lengths[u], blockTokens))
	for j := range table {
		step := arrival[u] + j*blockTokens
		for v, n := range lengths {
			// Blocks of v needed strictly before step, or at step by a
			// lower user.
			last := step - 1
			if v < u {
				last = step
			}
			if last >= arrival[v] {
				table[j] += min(blocksFor(n, blockTokens), (last-arrival[v])/blockTokens+1)
			}
		}
	}
	return table
}

// LastBlockFill is how many tokens a conversation's last block holds.
func LastBlockFill(tokens, blockTokens int) int {
	if tokens <= 0 {
		return 0
	}
	return (tokens-1)%blockTokens + 1
}

// shownUser picks the user whose table reads best on screen: a few blocks,
// the last one part full; failing that any part-full one, or the first.
func shownUser(lengths []int, blockTokens int) int {
	if len(lengths) == 0 {
		return -1
	}
	for _, ok := range []func(n int) bool{
		func(n int) bool { b := blocksFor(n, blockTokens); return b >= 3 && b <= 5 && n%blockTokens != 0 },
		func(n int) bool { return blocksFor(n, blockTokens) >= 2 && n%blockTokens != 0 },
	} {
		for u, n := range lengths {
			if ok(n) {
				return u
			}
		}
	}
	return 0
}
