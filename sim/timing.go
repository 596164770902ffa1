package sim

import "time"

// Bound says what limited an iteration's duration.
type Bound uint8

const (
	BoundFixed   Bound = iota // a fixed tick, whatever the work
	BoundCompute              // FLOPs
	BoundMemory               // bytes moved
)

func (b Bound) String() string {
	switch b {
	case BoundCompute:
		return "compute"
	case BoundMemory:
		return "memory"
	}
	return "fixed"
}

// Iteration is the work one engine iteration does, as a timing model needs
// to price it.
type Iteration struct {
	PrefillTokens int // prompt tokens processed
	DecodeTokens  int // decoding requests, one token each
	// ContextTokens are the KV tokens cached before the iteration that its
	// requests read: every decoding request's context and every prompt
	// chunk's earlier part.
	ContextTokens int64
	// AttendedPairs counts (new token, token it attends to) pairs, the
	// attention work: a decode token attends to its whole context, a prompt
	// chunk's tokens to the context before them and to each other causally.
	AttendedPairs int64
}

// Tokens is the number of new tokens the iteration processes.
func (it Iteration) Tokens() int { return it.PrefillTokens + it.DecodeTokens }

// Empty reports whether the iteration does no work.
func (it Iteration) Empty() bool { return it.Tokens() == 0 }

// Timing prices an iteration.
type Timing interface {
	Duration(it Iteration) (time.Duration, Bound)
}

// TimingInfo describes a registered timing model.
type TimingInfo struct {
	Name        string
	Description string
	// Batcher is the batcher a run uses with this model unless it names
	// another: the one the model was made with.
	Batcher string
	// Tick is the model's fixed iteration length, or 0 when it prices
	// each iteration. A fixed-tick clock moves in whole ticks, idle or not.
	Tick time.Duration
	// New builds the model for a validated configuration.
	New func(cfg *Config) Timing
	// Check reports what in cfg the model cannot price, or nil.
	Check func(cfg *Config) error
}

// The classic model's constants, from the original simulator: every tick is
// 15 ms of simulated time and a prompt advances 512 tokens per tick.
const (
	ClassicTick  = 15 * time.Millisecond
	ClassicChunk = 512
)

// classic is the fixed-tick model: one prompt chunk and one token per
// decoding request per 15 ms tick, whatever the GPU.
type classic struct{}

func (classic) Duration(Iteration) (time.Duration, Bound) { return ClassicTick, BoundFixed }

var timings = []TimingInfo{
	{Name: "classic",
		Description: "Fixed 15 ms ticks, whatever the work (the original simulator's model; batched serially unless -batcher says otherwise).",
		Batcher:     "serial",
		Tick:        ClassicTick,
		New:         func(*Config) Timing { return classic{} },
		Check:       func(*Config) error { return nil }},
	{Name: "roofline",
		Description: "Each iteration lasts as long as its FLOPs or its bytes take on this GPU (whichever is slower), plus a fixed overhead (batched continuously unless -batcher says otherwise).",
		Batcher:     "continuous",
		New:         func(c *Config) Timing { return newRoofline(c) },
		Check:       checkRoofline},
}

var timingCatalog = catalog[TimingInfo]{Field: "timing", Items: timings, ID: func(t TimingInfo) string { return t.Name }}

// Timings lists the timing models sorted by name.
func Timings() []TimingInfo { return timingCatalog.All() }

// LookupTiming finds a timing model by name.
func LookupTiming(name string) (TimingInfo, error) { return timingCatalog.Lookup(name) }
