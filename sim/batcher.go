package sim

import "time"

// A batcher forms each iteration's batch from the engine's queues and runs
// it through the engine's phases; the timing model then prices what it
// formed. The two are chosen independently: any batcher runs under any
// timing model, and neither knows which the other is.
type batcher interface {
	// step runs one iteration (arrivals, the batch, evictions), or waits
	// for work first if there is none.
	step(e *Engine)
	// chunk is the most prompt tokens one iteration gives a prompt of
	// tokens tokens, to estimate its prefill.
	chunk(cfg *Config, tokens int) int
}

// BatcherInfo describes a registered batcher.
type BatcherInfo struct {
	Name        string
	Description string
	// Budgeted says whether the batch is bounded by MaxBatchTokens,
	// MaxRunning and WholePrompts; the serial batcher ignores them.
	Budgeted bool
	// Static says whether a batch, once formed, takes no new request until
	// all of its members have finished.
	Static bool
	new    func() batcher
}

var batchers = []BatcherInfo{
	{Name: "serial",
		Description: "One prompt slot: the policy's first prompt prefills up to 512 tokens per iteration beside every decode; VRAM may overflow mid-iteration and is settled by evictions after it (the original simulator's batching).",
		new:         func() batcher { return serialBatcher{} }},
	{Name: "continuous",
		Description: "A token budget shared by every decode and several prompt chunks, as vLLM forms an iteration; VRAM never overflows, and swaps hold their blocks until their copies land.",
		Budgeted:    true,
		new:         func() batcher { return continuousBatcher{} }},
	{Name: "static",
		Description: "A fixed batch: when the GPU is free, up to -max-running requests whose whole prompts fit in VRAM form a batch, prefill within the token budget and decode together; none joins until all have finished, so finished members' slots sit idle (batching before continuous batching).",
		Budgeted:    true, Static: true,
		new: func() batcher { return continuousBatcher{} }},
}

var batcherCatalog = catalog[BatcherInfo]{Field: "batcher", Items: batchers, ID: func(b BatcherInfo) string { return b.Name }}

// Batchers lists the batchers sorted by name.
func Batchers() []BatcherInfo { return batcherCatalog.All() }

// LookupBatcher finds a batcher by name.
func LookupBatcher(name string) (BatcherInfo, error) { return batcherCatalog.Lookup(name) }

// BatcherInfo resolves the configuration's batcher: the one it names, or
// its timing model's usual one.
func (c *Config) BatcherInfo() BatcherInfo {
	name := c.Batcher
	if name == "" {
		tim, _ := LookupTiming(c.Timing)
		name = tim.Batcher
	}
	b, err := LookupBatcher(name)
	if err != nil {
		return batchers[0]
	}
	return b
}

// serialBatcher is the classic model's batch: one prompt chunk beside
// every decode.
type serialBatcher struct{}

func (serialBatcher) step(e *Engine)         { e.stepSerial() }
func (serialBatcher) chunk(*Config, int) int { return ClassicChunk }

// continuousBatcher is a modern serving engine's batch (continuous.go).
type continuousBatcher struct{}

func (continuousBatcher) step(e *Engine) { e.stepContinuous() }
func (continuousBatcher) chunk(c *Config, tokens int) int {
	if c.WholePrompts {
		return max(c.MaxBatchTokens, tokens)
	}
	return c.MaxBatchTokens
}

// idleUntil moves the clock on to t when nothing can run before it. Under a
// fixed-tick model the clock moves in whole ticks and counts the idle ones,
// as the original simulator did, so that the next tick is the first to
// start at or after t; otherwise it jumps to t and counts no iteration.
func (e *Engine) idleUntil(t time.Duration) {
	if t <= e.now {
		return
	}
	if e.fixedTick == 0 {
		e.now = t
		return
	}
	// Ticks start at multiples of the tick; the first at or after t is
	// tick number ceil(t/T), counting from the current one.
	if skip := int((t - e.now + e.fixedTick - 1) / e.fixedTick); skip > 0 {
		e.tick += skip
		e.now += time.Duration(skip) * e.fixedTick
	}
}
