package sim

import (
	"slices"
	"testing"
	"time"
)

// clockView is a View over hand-made requests with a clock the test sets.
// PrefillEstimate defaults to one millisecond per token.
type clockView struct {
	reqs     map[int]*Request
	now      time.Duration
	estimate func(tokens int) time.Duration
}

func newClockView(reqs ...Request) *clockView {
	v := &clockView{reqs: map[int]*Request{}, estimate: func(n int) time.Duration { return time.Duration(n) * time.Millisecond }}
	for _, r := range reqs {
		v.put(r)
	}
	return v
}

func (v *clockView) put(r Request)                            { v.reqs[r.ID] = &r }
func (v *clockView) Request(id int) *Request                  { return v.reqs[id] }
func (v *clockView) Now() time.Duration                       { return v.now }
func (v *clockView) PrefillEstimate(tokens int) time.Duration { return v.estimate(tokens) }
func (v *clockView) PreemptionMode() string                   { return PreemptSwap }

func newPolicyByName(t *testing.T, name string) Policy {
	t.Helper()
	info, err := LookupPolicy(name)
	if err != nil {
		t.Fatal(err)
	}
	if info.Description == "" {
		t.Fatalf("%s has no description", name)
	}
	return info.New()
}

func clockOrder(p Policy, v View) []int { return p.Order(nil, v) }

func wantClockOrder(t *testing.T, p Policy, v View, want ...int) {
	t.Helper()
	if got := clockOrder(p, v); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func clockInteractive(id int, joined time.Duration) Request {
	return Request{ID: id, Spec: Spec{Class: Interactive, Input: 10}, JoinedAt: joined}
}

func clockBatch(id int, joined time.Duration) Request {
	return Request{ID: id, Spec: Spec{Class: Batch, Input: 10}, JoinedAt: joined}
}

func TestPriorityInteractiveFirst(t *testing.T) {
	v := newClockView(clockBatch(0, 0), clockInteractive(1, time.Second), clockBatch(2, 2*time.Second), clockInteractive(3, 3*time.Second))
	v.now = 4 * time.Second
	p := newPolicyByName(t, "priority")
	for id := range 4 {
		p.Add(id, v)
	}
	wantClockOrder(t, p, v, 1, 3, 0, 2)
	p.Remove(1)
	wantClockOrder(t, p, v, 3, 0, 2)
}

// A batch request queues as if it had joined PriorityAging later: it goes
// behind interactive requests that joined less than that after it, ahead of
// those that joined more than that after it, whatever the clock says.
func TestPriorityAgingPreventsStarvation(t *testing.T) {
	a := PriorityAging
	v := newClockView(clockBatch(0, 0), clockInteractive(1, a-1), clockInteractive(2, a+1), clockBatch(3, time.Second))
	p := newPolicyByName(t, "priority")
	for id := range 4 {
		p.Add(id, v)
	}
	for _, now := range []time.Duration{a + 1, 10 * a} {
		v.now = now
		wantClockOrder(t, p, v, 1, 0, 2, 3)
	}
	// A preempted request keeps its join time, so its place.
	p.Remove(0)
	p.Requeue(0, v)
	wantClockOrder(t, p, v, 1, 0, 2, 3)
}

func TestPriorityVictimBatchThenLargestKV(t *testing.T) {
	v := newClockView(clockInteractive(0, 0), clockBatch(1, 0), clockBatch(2, 0), clockBatch(3, 0), clockInteractive(4, 0))
	for id, kv := range []int{9000, 100, 500, 500, 9000} {
		v.reqs[id].KVTokens = kv
	}
	p := newPolicyByName(t, "priority")
	if got := p.Victim([]int{0, 1, 2, 3, 4}, v); got != 3 {
		t.Errorf("victim R%d, want R3 (batch, largest KV, later of a tie)", got)
	}
	if got := p.Victim([]int{0, 4}, v); got != 4 {
		t.Errorf("victim R%d, want R4 (later of a tie)", got)
	}
	if got := p.Victim([]int{0, 1}, v); got != 1 {
		t.Errorf("victim R%d, want R1 (batch, though smaller)", got)
	}
}

// clockPrompt is a request with a prompt of n tokens still to prefill.
func clockPrompt(id, n int) Request { return Request{ID: id, Spec: Spec{Input: n, Class: Batch}} }

func skipJoinPolicy(t *testing.T) (Policy, Observer, Leveled) {
	t.Helper()
	p := newPolicyByName(t, "skipjoin-mlfq")
	obs, ok := p.(Observer)
	if !ok {
		t.Fatal("skipjoin-mlfq is not an Observer")
	}
	lv, ok := p.(Leveled)
	if !ok {
		t.Fatal("skipjoin-mlfq is not Leveled")
	}
	return p, obs, lv
}

// With 1 ms per token, quantum(k) = 2^k ms: a prompt joins the first level
// whose quantum covers its estimated prefill.
func TestSkipJoinLevels(t *testing.T) {
	v := newClockView(clockPrompt(0, 1), clockPrompt(1, 100), clockPrompt(2, 64), clockPrompt(3, 65), clockPrompt(4, 1_000_000))
	p, _, lv := skipJoinPolicy(t)
	for id := range 5 {
		p.Add(id, v)
	}
	for id, want := range []int{0, 7, 6, 7, SkipJoinLevels - 1} {
		if got := lv.Level(id); got != want {
			t.Errorf("R%d (%d tokens) at level %d, want %d", id, v.reqs[id].Input, got, want)
		}
	}
	wantClockOrder(t, p, v, 0, 2, 1, 3, 4)
}

// A request is demoted exactly when its time at a level reaches the
// quantum, and goes to the tail of the next level.
func TestSkipJoinDemotesAtQuantum(t *testing.T) {
	v := newClockView(clockPrompt(0, 1), clockPrompt(1, 2), clockPrompt(2, 2))
	p, obs, lv := skipJoinPolicy(t)
	p.Add(0, v) // level 0 (quantum 1 ms)
	p.Add(1, v) // level 1 (quantum 2 ms)
	wantClockOrder(t, p, v, 0, 1)

	half := 500 * time.Microsecond
	obs.Ran(0, 1, half, v)
	if lv.Level(0) != 0 {
		t.Fatalf("demoted after %v of a 1 ms quantum", half)
	}
	v.now += half
	obs.Ran(0, 0, half, v) // decode steps count too
	if lv.Level(0) != 1 {
		t.Fatalf("level %d after using the 1 ms quantum, want 1", lv.Level(0))
	}
	wantClockOrder(t, p, v, 1, 0)
	p.Add(2, v)
	wantClockOrder(t, p, v, 1, 0, 2)

	v.now += half
	obs.Ran(0, 0, 2*time.Millisecond-1, v)
	if lv.Level(0) != 1 {
		t.Fatal("demoted before using the 2 ms quantum")
	}
	v.now += 2 * time.Millisecond
	obs.Ran(0, 0, 1, v)
	if lv.Level(0) != 2 {
		t.Fatalf("level %d after using the 2 ms quantum, want 2", lv.Level(0))
	}
}

// A queued request that has not run for SkipJoinStarve orders as level 0
// without Order changing its level; the promotion sticks when it runs, and
// the promoted prompt stays first until it is done, so starving requests do
// not take turns (which, with dropped KV, could livelock).
func TestSkipJoinStarvationPromotes(t *testing.T) {
	v := newClockView(clockPrompt(0, 1000), clockPrompt(1, 1), clockPrompt(2, 1))
	p, obs, lv := skipJoinPolicy(t)
	p.Add(0, v) // level 10 at time 0
	v.now = 2 * time.Second
	p.Add(1, v) // level 0
	v.now = SkipJoinStarve - 1
	wantClockOrder(t, p, v, 1, 0)
	v.now = SkipJoinStarve
	wantClockOrder(t, p, v, 0, 1)
	if lv.Level(0) != 10 {
		t.Fatalf("Order changed the level to %d", lv.Level(0))
	}
	obs.Ran(0, 512, 100*time.Microsecond, v)
	if lv.Level(0) != 0 {
		t.Fatalf("level %d after running while starving, want 0", lv.Level(0))
	}
	v.now += time.Millisecond
	obs.Ran(0, 512, time.Millisecond, v)
	if lv.Level(0) != 1 {
		t.Fatalf("level %d after using the 1 ms quantum, want 1", lv.Level(0))
	}
	v.now = 5 * time.Second // R1 starves too, but R0's prompt is not done
	p.Add(2, v)
	wantClockOrder(t, p, v, 0, 1, 2)
	p.Remove(0)
	wantClockOrder(t, p, v, 1, 2)

	// Waiting counts from the end of the last iteration.
	obs.Ran(2, 1, time.Millisecond, v)
	if lv.Level(2) != 1 {
		t.Fatalf("level %d after a 1 ms step, want 1", lv.Level(2))
	}
	v.now += time.Millisecond + SkipJoinStarve - 1
	obs.Ran(2, 1, 1, v)
	if lv.Level(2) != 1 {
		t.Fatalf("promoted to %d after waiting less than %v", lv.Level(2), SkipJoinStarve)
	}
}

// A preempted request goes to the head of the level its remaining prompt
// joins.
func TestSkipJoinRequeueAtHead(t *testing.T) {
	v := newClockView(clockPrompt(0, 2), clockPrompt(1, 2), clockPrompt(2, 2), clockPrompt(3, 2), clockPrompt(4, 1))
	p, _, lv := skipJoinPolicy(t)
	p.Add(0, v)
	p.Add(1, v)
	p.Add(4, v)
	p.Requeue(2, v)
	wantClockOrder(t, p, v, 4, 2, 0, 1)
	p.Requeue(3, v)
	wantClockOrder(t, p, v, 4, 3, 2, 0, 1)
	if lv.Level(3) != 1 {
		t.Fatalf("requeued at level %d, want 1", lv.Level(3))
	}
}

// Remove ends the prompt but not the level: it still decides eviction.
// Finished forgets the request.
func TestSkipJoinRemoveKeepsLevelFinishedForgets(t *testing.T) {
	v := newClockView(clockPrompt(0, 1000), clockPrompt(1, 1), clockPrompt(2, 1), clockPrompt(3, 1))
	v.reqs[0].KVTokens = 100
	v.reqs[1].KVTokens = 5000
	v.reqs[2].KVTokens = 300
	v.reqs[3].KVTokens = 300
	p, obs, lv := skipJoinPolicy(t)
	for id := range 4 {
		p.Add(id, v)
	}
	p.Remove(0)
	p.Remove(1)
	wantClockOrder(t, p, v, 2, 3)
	v.now = time.Hour // decoders do not starve: they are not queued
	if lv.Level(0) != 10 {
		t.Fatalf("level %d after Remove, want 10", lv.Level(0))
	}
	if got := p.Victim([]int{0, 1}, v); got != 0 {
		t.Fatalf("victim R%d, want R0 (lowest level)", got)
	}
	obs.Finished(0)
	if lv.Level(0) != 0 {
		t.Fatalf("level %d after Finished, want 0", lv.Level(0))
	}
	if got := p.Victim([]int{0, 1}, v); got != 1 {
		t.Fatalf("victim R%d, want R1 (largest KV)", got)
	}
	if got := p.Victim([]int{2, 3}, v); got != 3 {
		t.Fatalf("victim R%d, want R3 (later of a tie)", got)
	}
}

func TestSkipJoinCloneIsIndependent(t *testing.T) {
	v := newClockView(clockPrompt(0, 1), clockPrompt(1, 2), clockPrompt(2, 1))
	p, _, lv := skipJoinPolicy(t)
	p.Add(0, v)
	p.Add(1, v)
	c := p.Clone()
	c.(Observer).Ran(0, 1, time.Millisecond, v)
	c.Add(2, v)
	p.Remove(1)
	if lv.Level(0) != 0 || c.(Leveled).Level(0) != 1 {
		t.Fatalf("levels: original %d, clone %d; want 0, 1", lv.Level(0), c.(Leveled).Level(0))
	}
	wantClockOrder(t, p, v, 0)
	wantClockOrder(t, c, v, 2, 1, 0)
}

// Order must not change the queue and must not allocate once dst has room:
// the engine calls it every iteration.
func TestNewPoliciesOrderDoesNotAllocate(t *testing.T) {
	cv := newClockView()
	for id := range 64 {
		r := clockPrompt(id, 1+id*37%900)
		r.Class = Class(id % 2)
		r.JoinedAt = time.Duration(id*97%13) * time.Second
		cv.put(r)
	}
	cv.now = 9 * time.Second
	var v View = cv
	for _, name := range []string{"priority", "skipjoin-mlfq"} {
		p := newPolicyByName(t, name)
		for id := range 64 {
			p.Add(id, v)
		}
		first := clockOrder(p, v)
		dst := make([]int, 0, 64)
		if allocs := testing.AllocsPerRun(100, func() { dst = p.Order(dst[:0], v) }); allocs != 0 {
			t.Errorf("%s: Order allocates %v times", name, allocs)
		}
		if !slices.Equal(dst, first) {
			t.Errorf("%s: Order changed between calls", name)
		}
	}
}
