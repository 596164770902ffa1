package lesson

import (
	"slices"
	"testing"
)

// allTables hands out every block of every user in the order they are
// needed, the slow way: the reference BlockTable must agree with.
func allTables(lengths, arrival []int, blockTokens int) [][]int {
	type need struct{ step, user, logical int }
	var needs []need
	tables := make([][]int, len(lengths))
	for u, n := range lengths {
		tables[u] = make([]int, blocksFor(n, blockTokens))
		for j := range tables[u] {
			needs = append(needs, need{arrival[u] + j*blockTokens, u, j})
		}
	}
	slices.SortFunc(needs, func(a, b need) int {
		if a.step != b.step {
			return a.step - b.step
		}
		return a.user - b.user
	})
	for phys, n := range needs {
		tables[n.user][n.logical] = phys
	}
	return tables
}

func TestBlockTableMatchesHandingOutEveryBlock(t *testing.T) {
	for seed := range uint64(20) {
		length := lengthDraw(seed, 300)
		n := 1 + int(seed%9)
		lengths := make([]int, n)
		for u := range lengths {
			lengths[u] = length()
		}
		arrival := arrivals(seed, n, 300)
		want := allTables(lengths, arrival, 16)
		for u := range lengths {
			if got := BlockTable(u, lengths, arrival, 16); !slices.Equal(got, want[u]) {
				t.Fatalf("seed %d user %d: table %v, want %v (lengths %v arrivals %v)", seed, u, got, want[u], lengths, arrival)
			}
		}
	}
}

// The paged beat's numbers must agree with each other and with the beats
// before it, for every user count the slider reaches.
func TestPagingAddsUp(t *testing.T) {
	for _, base := range []KVSetup{
		{Users: 1, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
		{Users: 1, Tokens: 131072, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
		{Users: 1, Tokens: 128, Model: "qwen2.5-7b", GPU: "a100", Precision: "int4"},
	} {
		for users := MinUsers; users <= MaxUsers; users += 1 + users/8 {
			s := base
			s.Users = users
			p, err := s.Paging(42)
			if err != nil {
				t.Fatal(err)
			}
			b := p.Budget
			if p.ReservedFit != b.FitUsers {
				t.Errorf("%+v: %d fit reserved, the budget says %d", s, p.ReservedFit, b.FitUsers)
			}
			if p.PagedResident < p.ReservedResident || p.PagedFit < p.PagedResident || p.PagedFit < p.ReservedFit {
				t.Errorf("%+v: paged holds fewer than reserved: %+v", s, p)
			}
			if p.ReservedUsedBytes+p.ReservedIdleBytes != int64(p.ReservedResident)*int64(b.UserBlocks)*b.BlockBytes {
				t.Errorf("%+v: reserved bytes do not add up", s)
			}
			if p.PagedUsedBytes+p.PagedIdleBytes != int64(p.PagedBlocks)*b.BlockBytes || p.PagedBlocks > b.CapacityBlocks {
				t.Errorf("%+v: paged blocks do not add up: %d of %d", s, p.PagedBlocks, b.CapacityBlocks)
			}
			if p.PagedIdleBytes >= int64(max(1, p.PagedResident))*b.BlockBytes {
				t.Errorf("%+v: more than a block a user empty when paged", s)
			}
			if p.PagedResident == 0 {
				if p.Shown != -1 {
					t.Errorf("%+v: a table shown with no one resident", s)
				}
				continue
			}
			if p.Shown < 0 || p.Shown >= p.PagedResident || len(p.Table) != blocksFor(p.Lengths[p.Shown], b.BlockTokens) {
				t.Fatalf("%+v: shown user %d with %d blocks", s, p.Shown, len(p.Table))
			}
			for _, phys := range p.Table {
				if phys < 0 || phys >= p.PagedBlocks {
					t.Errorf("%+v: physical block %d outside the %d taken", s, phys, p.PagedBlocks)
				}
			}
			if !slices.IsSorted(p.Table) {
				t.Errorf("%+v: a later logical block went out earlier: %v", s, p.Table)
			}
		}
	}
}

func TestPagingIsSeeded(t *testing.T) {
	s := KVSetup{Users: 256, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"}
	a, _ := s.Paging(7)
	b, _ := s.Paging(7)
	c, _ := s.Paging(8)
	if !slices.Equal(a.Lengths, b.Lengths) || !slices.Equal(a.Table, b.Table) || a.PagedFit != b.PagedFit {
		t.Error("the same seed drew different users")
	}
	if slices.Equal(a.Lengths, c.Lengths) {
		t.Error("another seed drew the same users")
	}
}

// The beat's own setup must make the point it is there for.
func TestPagedBeatFitsMore(t *testing.T) {
	s := KVSetup{Users: 256, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"}
	p, err := s.Paging(42)
	if err != nil {
		t.Fatal(err)
	}
	if p.ReservedResident >= s.Users || p.PagedResident != s.Users || p.PagedFit < 2*p.ReservedFit {
		t.Errorf("reserved %d, paged %d of %d (room for %d): the beat shows no difference", p.ReservedResident, p.PagedResident, s.Users, p.PagedFit)
	}
	t.Logf("reserved fit %d, paged fit %d, empty share %.0f%%, mean %d tokens", p.ReservedFit, p.PagedFit,
		100*float64(p.ReservedIdleBytes)/float64(p.ReservedIdleBytes+p.ReservedUsedBytes), p.MeanTokens)
}

func BenchmarkPagingAtTheSlidersEnd(b *testing.B) {
	s := KVSetup{Users: MaxUsers, Tokens: MaxTokens, Model: "qwen2.5-7b", GPU: "h100", Precision: "int4"}
	for b.Loop() {
		if _, err := s.Paging(42); err != nil {
			b.Fatal(err)
		}
	}
}
