package sim

import (
	"slices"
	"testing"
	"time"
)

// MLFQ on the classic model: a long prompt runs exactly 4 chunks (2,048
// tokens) at level 0, then 8 (4,096) at level 1, then the rest at level 2,
// and a newcomer at level 0 overtakes it.
func TestMLFQDemotesAfterQuantum(t *testing.T) {
	c := tinyConfig(t, "mlfq", 1_000_000, at(1, 512*20, 1, Batch), at(6, 100, 1, Interactive))
	e, events := runChecked(t, c, 1000)
	dem := eventsOf(events, EvDemoted, 0)
	if len(dem) != 2 {
		t.Fatalf("demotions %v, want two", dem)
	}
	if dem[0].Tick != 4 || dem[0].From != 0 || dem[0].To != 1 {
		t.Fatalf("first demotion %v, want at tick 4 (after 4 chunks) from 0 to 1", dem[0])
	}
	// Ticks 1-4 at level 0; the newcomer (arrived tick 6) runs at tick 6;
	// level 1 resumes at 5 and 7-13: its 8th chunk is at tick 13.
	if dem[1].Tick != 13 || dem[1].From != 1 || dem[1].To != 2 {
		t.Fatalf("second demotion %v, want at tick 13 from 1 to 2", dem[1])
	}
	if r := e.Request(1); r.PrefillStartTick != 6 || r.FirstTokenTick != 6 {
		t.Fatalf("newcomer prefilled at %d, first token %d; want 6, 6", r.PrefillStartTick, r.FirstTokenTick)
	}
	if p := eventsOf(events, EvPreempted, 0); len(p) != 1 || p[0].Tick != 6 || p[0].By != 1 {
		t.Fatalf("preemptions of R0: %v", p)
	}
}

// MLFQ evicts by decode level first: a request that decoded more than 200
// tokens goes before a larger one that decoded fewer.
func TestMLFQVictimByDecodeLevel(t *testing.T) {
	v := fakeView{
		0: {KVTokens: 5000, Decoded: 10},
		1: {KVTokens: 900, Decoded: 250},
		2: {KVTokens: 1000, Decoded: 201},
		3: {KVTokens: 8000, Decoded: 60},
	}
	p := newMLFQ()
	if got := p.Victim([]int{0, 1, 2, 3}, v); got != 2 {
		t.Fatalf("victim R%d, want R2 (level 2, largest KV there)", got)
	}
	if got := p.Victim([]int{0, 3}, v); got != 3 {
		t.Fatalf("victim R%d, want R3 (level 1)", got)
	}
}

func TestFCFSVictimLargestThenLatest(t *testing.T) {
	v := fakeView{0: {KVTokens: 700}, 1: {KVTokens: 900}, 2: {KVTokens: 900}, 3: {KVTokens: 100}}
	for _, name := range []string{"fcfs", "sjf", "srpt"} {
		p, _ := LookupPolicy(name)
		if got := p.New().Victim([]int{0, 1, 2, 3}, v); got != 2 {
			t.Errorf("%s victim R%d, want R2 (largest, later of a tie)", name, got)
		}
	}
}

// SJF picks the shortest prompt but never interrupts a started one; SRPT
// re-decides at every chunk.
func TestSJFAndSRPTPick(t *testing.T) {
	specs := []Spec{at(1, 3000, 1, Batch), at(2, 2000, 1, Batch), at(2, 100, 1, Interactive), at(3, 50, 1, Interactive)}
	order := func(policy string) []int {
		_, events := runChecked(t, tinyConfig(t, policy, 1_000_000, specs...), 100)
		var firsts []int
		for _, ev := range eventsOf(events, EvFirstToken, -1) {
			firsts = append(firsts, ev.Req)
		}
		return firsts
	}
	// SJF: R0 starts alone at tick 1 and keeps the slot (ticks 1-6); then
	// the shortest waiting: R3 (50), R2 (100), R1 (2000).
	if got := order("sjf"); !slices.Equal(got, []int{0, 3, 2, 1}) {
		t.Errorf("sjf order %v, want [0 3 2 1]", got)
	}
	// SRPT: R2 (100) preempts R0 at tick 2, R3 (50) runs at tick 3, then R0
	// has 2488 left and R1 2000: R1 first.
	if got := order("srpt"); !slices.Equal(got, []int{2, 3, 1, 0}) {
		t.Errorf("srpt order %v, want [2 3 1 0]", got)
	}
	if got := order("fcfs"); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("fcfs order %v, want [0 1 2 3]", got)
	}
}

// A preempted prompt keeps its KV in VRAM; if interrupted prompts alone
// overflow VRAM, their partial KV is dropped and recomputed later.
func TestPausedPromptsAreDroppedWhenNothingElseCanGo(t *testing.T) {
	// 3000 tokens of VRAM. MLFQ: R0 (2900) runs 4 chunks (2,048 tokens,
	// its quantum) and drops to level 1; R1 (2000) arrives at level 0 and
	// takes the slot; after its second chunk they hold 2048 + 1024 > 3000
	// with no decoder to evict.
	c := tinyConfig(t, "mlfq", 3000, at(1, 2900, 1, Batch), at(5, 2000, 1, Batch))
	e, events := runChecked(t, c, 1000)
	drops := eventsOf(events, EvDropped, 0)
	if len(drops) != 1 || drops[0].Tokens != 2048 {
		t.Fatalf("drops %v, want R0 dropping 2048 tokens", drops)
	}
	r0 := e.Request(0)
	if r0.State != Done || r0.Drops != 1 || r0.RecomputedTokens != 2048 {
		t.Fatalf("R0 %s drops %d recomputed %d", r0.State, r0.Drops, r0.RecomputedTokens)
	}
}

func TestPolicyRegistry(t *testing.T) {
	for _, name := range []string{"fcfs", "mlfq", "sjf", "srpt"} {
		p, err := LookupPolicy(name)
		if err != nil || p.Description == "" {
			t.Errorf("%s: %v, description %q", name, err, p.Description)
		}
	}
	if _, err := LookupPolicy("lifo"); err == nil {
		t.Error("unknown policy accepted")
	}
}

type fakeView map[int]Request

func (v fakeView) Request(id int) *Request { r := v[id]; r.ID = id; return &r }
func (fakeView) PreemptionMode() string    { return PreemptSwap }
func (fakeView) Now() time.Duration        { return 0 }
func (fakeView) PrefillEstimate(n int) time.Duration {
	return time.Duration(n) * time.Millisecond
}
