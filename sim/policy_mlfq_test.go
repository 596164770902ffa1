package sim

import (
	"testing"
	"time"
)

// MLFQ's quanta are prompt tokens served: the top level's 2,048 tokens are
// used up by any mix of chunk sizes, and tokens beyond a quantum count at
// the next level.
func TestMLFQQuantaCountTokens(t *testing.T) {
	v := fakeView{0: {}, 1: {}}
	p := newMLFQ()
	p.Add(0, v)
	p.Add(1, v)
	ran := func(tokens int) { p.Ran(0, tokens, time.Millisecond, v) }
	ran(2000)
	ran(0) // a decode step is not prompt work
	if p.Level(0) != 0 {
		t.Fatalf("level %d after 2,000 prompt tokens, want 0", p.Level(0))
	}
	ran(47)
	if p.Level(0) != 0 {
		t.Fatalf("level %d after 2,047 prompt tokens, want 0", p.Level(0))
	}
	ran(1)
	if p.Level(0) != 1 {
		t.Fatalf("level %d after 2,048 prompt tokens, want 1", p.Level(0))
	}
	if got := p.Order(nil, v); got[0] != 1 || got[1] != 0 {
		t.Fatalf("order %v, want the demoted request behind the other", got)
	}
	ran(4095)
	if p.Level(0) != 1 {
		t.Fatalf("level %d after 4,095 tokens at level 1, want 1", p.Level(0))
	}
	ran(1)
	if p.Level(0) != 2 {
		t.Fatalf("level %d after 4,096 tokens at level 1, want 2", p.Level(0))
	}
	ran(1 << 20) // the last level has no limit
	if p.Level(0) != 2 {
		t.Fatalf("level %d at the bottom, want 2", p.Level(0))
	}

	// One chunk larger than both quanta: 2,048 at the top, 4,096 at the
	// next, the rest at the bottom.
	q := newMLFQ()
	q.Add(0, v)
	q.Ran(0, 8192, time.Millisecond, v)
	if q.Level(0) != 2 {
		t.Fatalf("level %d after one 8,192-token chunk, want 2", q.Level(0))
	}
	if got := q.Order(nil, v); len(got) != 1 || got[0] != 0 {
		t.Fatalf("order %v, want the request once", got)
	}
}

// Every quantum is a whole number of the classic model's 512-token chunks,
// so that model demotes after exactly 4 and then 8 chunks: the original
// simulator's schedule (which TestEngineAgreesWithNaiveReference checks
// against a reference that counts chunks).
func TestMLFQQuantaAreWholeClassicChunks(t *testing.T) {
	want := []int{4, 8, 0}
	for i, q := range MLFQQuanta() {
		if q%ClassicChunk != 0 || q/ClassicChunk != want[i] {
			t.Errorf("level %d quantum %d tokens, want %d chunks of %d", i, q, want[i], ClassicChunk)
		}
	}
}

func TestMLFQQuantaText(t *testing.T) {
	const want = "A new prompt is served its first 2,048 tokens at the top level, the next 4,096 one level down, and the rest at the bottom level."
	if got := MLFQQuantaText(); got != want {
		t.Fatalf("MLFQQuantaText() = %q, want %q", got, want)
	}
}

// Under the roofline model a chunk is up to a whole batch of tokens: a long
// prompt still leaves the top level once it has been served 2,048 tokens,
// and the next once it has been served 6,144, not after 4 and 12 chunks.
func TestMLFQRooflineDemotesByTokens(t *testing.T) {
	c := rooflineConfig(t, "llama3-8b", "h100", "fp16", 1, 0, 0, 0)
	c.Scheduler = "mlfq"
	c.Trace = []Spec{{Input: 16000, Output: 4, Class: Batch}}
	_, events := runChecked(t, c, 10_000)
	served := 0
	var at []int
	for _, ev := range events {
		switch {
		case ev.Kind == EvPrefillChunk && ev.Req == 0:
			served += ev.Tokens
		case ev.Kind == EvDemoted && ev.Req == 0:
			at = append(at, served)
		}
	}
	if len(at) != 2 || at[0] != 2048 || at[1] != 6144 {
		t.Fatalf("demoted after %v prompt tokens, want [2048 6144]", at)
	}
}

// The engine tells a request's level under MLFQ, and says there is none
// under a policy without levels.
func TestEngineLevel(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	c.Scheduler = "mlfq"
	e, _ := New(c)
	for e.Len() == 0 {
		e.Step()
	}
	if _, ok := e.Level(0); !ok {
		t.Fatal("no level under mlfq")
	}
	if _, ok := e.Level(-1); ok {
		t.Fatal("a level for R-1")
	}
	c.Scheduler = "fcfs"
	f, _ := New(c)
	f.Step()
	if _, ok := f.Level(0); ok {
		t.Fatal("a level under fcfs")
	}
}
