package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// A second, deliberately naive implementation of the classic model, written
// from its specification with token-sized blocks: plain loops over every
// request, no active lists, no block pools, its own policies. The engine
// must agree with it on every request after every tick.

type refReq struct {
	id, join, in, out      int
	state                  State
	prefilled, decoded, kv int
	penalty, level, used   int
	first, done, evictions int
}

type refSim struct {
	policy  string
	cap     int   // KV capacity in tokens
	perTick int64 // PCIe bytes per tick
	kvBytes int64 // KV bytes per token
	reqs    []*refReq
	queue   []*refReq    // waiting or prefilling, in arrival order
	levels  [3][]*refReq // mlfq: FIFO per level
	slot    *refReq
	holder  *refReq // sjf: the started prompt
	tick    int
}

func (s *refSim) resident() int {
	n := 0
	for _, r := range s.reqs {
		if r.state == Prefill || r.state == Decode || (r.state == Waiting && r.kv > 0) {
			n += r.kv
		}
	}
	return n
}

func (s *refSim) pick() *refReq {
	switch s.policy {
	case "fcfs":
		if len(s.queue) > 0 {
			return s.queue[0]
		}
	case "sjf", "srpt":
		if s.policy == "sjf" && s.holder != nil {
			return s.holder
		}
		key := func(r *refReq) int {
			if s.policy == "srpt" {
				return r.in - r.prefilled
			}
			return r.in
		}
		var best *refReq
		for _, r := range s.queue { // arrival order, so a tie keeps the earlier
			if best == nil || key(r) < key(best) {
				best = r
			}
		}
		return best
	case "mlfq":
		for _, l := range s.levels {
			if len(l) > 0 {
				return l[0]
			}
		}
	}
	return nil
}

func without(list []*refReq, r *refReq) []*refReq {
	return slices.DeleteFunc(list, func(x *refReq) bool { return x == r })
}

func (s *refSim) victim(cands []*refReq) *refReq {
	best := cands[0]
	if s.policy == "mlfq" {
		lv := func(r *refReq) int {
			if r.decoded > 200 {
				return 2
			} else if r.decoded > 50 {
				return 1
			}
			return 0
		}
		for _, r := range cands[1:] {
			if lv(r) > lv(best) || (lv(r) == lv(best) && r.kv > best.kv) {
				best = r
			}
		}
		return best
	}
	for _, r := range cands[1:] {
		if r.kv >= best.kv {
			best = r
		}
	}
	return best
}

func (s *refSim) step() {
	s.tick++
	t := s.tick
	for _, r := range s.reqs { // 1. arrive
		if r.state == Pending && r.join == t {
			if r.in+r.out > s.cap {
				r.state = Rejected
				continue
			}
			r.state = Waiting
			s.queue = append(s.queue, r)
			s.levels[0] = append(s.levels[0], r)
		}
	}
	free := s.cap - s.resident() // 2. resume
	for _, r := range s.reqs {
		if r.state != Swapped {
			continue
		}
		if r.penalty > 0 {
			r.penalty--
		} else if r.kv <= free {
			r.state, free = Decode, free-r.kv
		}
	}
	p := s.pick() // 3. schedule
	if s.slot != nil && s.slot != p && s.slot.state == Prefill {
		s.slot.state = Waiting
	}
	s.slot = p
	if p != nil { // 4. prefill
		chunk := min(512, p.in-p.prefilled)
		p.prefilled += chunk
		p.kv += chunk
		p.state = Prefill
		s.holder = p
		p.used++
		if q := [3]int{4, 8, 0}[p.level]; q > 0 && p.used >= q {
			s.levels[p.level] = without(s.levels[p.level], p)
			p.level, p.used = p.level+1, 0
			s.levels[p.level] = append(s.levels[p.level], p)
		}
		if p.prefilled == p.in {
			p.state, p.first = Decode, t
			s.queue = without(s.queue, p)
			s.levels[p.level] = without(s.levels[p.level], p)
			s.slot, s.holder = nil, nil
		}
	}
	for _, r := range s.reqs { // 5. decode
		if r.state == Decode {
			r.decoded++
			r.kv++
			if r.decoded == r.out {
				r.state, r.done, r.kv = Done, t, 0
			}
		}
	}
	for s.resident() > s.cap { // 6. evict
		var decoding, paused []*refReq
		for _, r := range s.reqs {
			if r.state == Decode {
				decoding = append(decoding, r)
			} else if r.state == Waiting && r.kv > 0 {
				paused = append(paused, r)
			}
		}
		if len(decoding) > 0 {
			v := s.victim(decoding)
			bytes := int64(v.kv) * s.kvBytes
			v.state, v.penalty = Swapped, max(1, int((bytes+s.perTick-1)/s.perTick))
			v.evictions++
		} else {
			v := s.victim(paused)
			v.kv, v.prefilled = 0, 0
		}
	}
}

func (s *refSim) done() bool {
	for _, r := range s.reqs {
		if !r.state.Finished() {
			return false
		}
	}
	return true
}

// referencePolicies are the policies the reference knows: the original's.
var referencePolicies = []string{"fcfs", "mlfq", "sjf", "srpt"}

func TestEngineAgreesWithNaiveReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	seen := map[EventKind]int{}
	for trial := range 200 {
		policy := referencePolicies[trial%len(referencePolicies)]
		capTokens := 2000 + rng.IntN(20000)
		var specs []Spec
		for range 3 + rng.IntN(25) {
			in := 1 + rng.IntN(capTokens/2)
			if rng.IntN(3) == 0 {
				in = 1 + rng.IntN(300)
			}
			specs = append(specs, at(1+rng.IntN(300), in, 1+rng.IntN(capTokens/3), Class(rng.IntN(2))))
		}
		specs = append(specs, at(1+rng.IntN(50), capTokens, 1, Batch)) // can never fit
		cfg := tinyConfig(t, policy, capTokens, specs...)
		cfg.GPU.PCIeBW = 1e9 + rng.Int64N(50e9)
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ref := &refSim{policy: policy, cap: capTokens, perTick: e.pcieBytesPerTick, kvBytes: cfg.Model.KVBytesPerToken()}
		for i := range e.Len() {
			r := e.Request(i)
			ref.reqs = append(ref.reqs, &refReq{id: i, join: int(ArrivalTickOf(r.Arrival)), in: r.Input, out: r.Output})
		}
		for !e.Done() || !ref.done() {
			if e.Tick() > 200_000 {
				t.Fatalf("trial %d: no end", trial)
			}
			for _, ev := range e.Step() {
				seen[ev.Kind]++
			}
			for ref.tick < e.Tick() {
				ref.step() // the engine skips idle ticks in one step
			}
			if err := agree(e, ref); err != nil {
				t.Fatalf("trial %d (%s, capacity %d): tick %d: %v", trial, policy, capTokens, e.Tick(), err)
			}
		}
	}
	// The trials must have exercised every mechanism.
	for _, k := range []EventKind{EvRejected, EvPreempted, EvDemoted, EvSwapOut, EvSwapIn, EvDropped} {
		if seen[k] < 5 {
			t.Errorf("only %d %s events in all trials", seen[k], k)
		}
	}
	t.Logf("events seen: %v", seen)
}

// penaltyLeft is the original engine's penalty counter after a tick: the
// whole ticks a swapped request still waits for its copy.
func penaltyLeft(e *Engine, r Request) int {
	if r.State != Swapped || r.readyAt <= e.Now() {
		return 0
	}
	return int((r.readyAt - e.Now()) / ClassicTick)
}

func agree(e *Engine, ref *refSim) error {
	for i, want := range ref.reqs {
		r := e.Request(i)
		got := refReq{id: i, join: want.join, in: r.Input, out: r.Output, state: r.State, prefilled: r.Prefilled,
			decoded: r.Decoded, kv: r.KVTokens, penalty: penaltyLeft(e, r), level: want.level, used: want.used,
			first: r.FirstTokenTick, done: r.CompletionTick, evictions: r.Evictions}
		if got != *want {
			return fmt.Errorf("R%d engine %+v, reference %+v", i, got, *want)
		}
	}
	return nil
}
