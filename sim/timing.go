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
	PrefillTokens  int // prompt tokens processed
	PrefillContext int // tokens already cached before this iteration's prompt chunks
	DecodeRequests int // requests producing one token each
	DecodeContext  int // KV tokens read by the decoding requests
}

// Timing prices an iteration.
type Timing interface {
	Duration(it Iteration) (time.Duration, Bound)
}

// TimingInfo describes a registered timing model.
type TimingInfo struct {
	Name        string
	Description string
	// New builds the model for a resolved configuration.
	New func(cfg *Config) Timing
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
		Description: "Fixed 15 ms ticks: one prompt prefills 512 tokens per tick while every decoding request makes one token (the original simulator's model).",
		New:         func(*Config) Timing { return classic{} }},
}

var timingCatalog = catalog[TimingInfo]{field: "timing", items: timings, id: func(t TimingInfo) string { return t.Name }}

// Timings lists the timing models sorted by name.
func Timings() []TimingInfo { return timingCatalog.all() }

// LookupTiming finds a timing model by name.
func LookupTiming(name string) (TimingInfo, error) { return timingCatalog.lookup(name) }
