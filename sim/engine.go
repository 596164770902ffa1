package sim

import (
	"math/bits"
	"time"
)

// Engine runs one simulation. It is not safe for concurrent use; Clone it to
// explore another future.
type Engine struct {
	cfg    Config
	timing Timing
	policy Policy

	blockSize        int
	capacity         int   // VRAM KV blocks
	pcieBytesPerTick int64 // bytes the host link moves in one classic tick

	reqs []Request
	next int // index of the next request to arrive

	tick    int
	now     time.Duration // start of the next tick
	tickEnd time.Duration // end of the tick being run
	// prefilling lists the requests that ran a prompt chunk in the last
	// tick, in batch order (the classic model runs at most one).
	prefilling []int
	chunks     []Chunk // this tick's prompt chunks (a reused buffer)
	decoding   []int   // sorted by ID
	swapped    []int   // sorted by ID
	paused     []int   // waiting with partial prompt KV in VRAM, sorted by ID

	vram blockPool
	cpu  blockPool
	held int // VRAM blocks the resident requests need (may exceed capacity mid-tick)

	stats  runStats
	events []Event
}

// runStats are running totals: peaks that cannot be derived from the
// requests afterwards, and counts a live display reads every frame.
type runStats struct {
	finished    int
	peakHeld    int
	heldByClass [2]int
	peakByClass [2]int
	Counters
}

// Counters are running totals, cheap to read every frame.
type Counters struct {
	Tokens    int // output tokens produced
	Evictions int // swaps out to CPU memory
	Drops     int // partial prompts dropped
}

// New validates cfg and builds an engine at tick 0.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	specs, err := cfg.specs()
	if err != nil {
		return nil, err
	}
	pol, _ := LookupPolicy(cfg.Scheduler)
	tim, _ := LookupTiming(cfg.Timing)
	e := &Engine{
		cfg:              cfg,
		timing:           tim.New(&cfg),
		policy:           pol.New(),
		blockSize:        cfg.BlockSize,
		capacity:         cfg.KVCapacityBlocks(),
		pcieBytesPerTick: bytesPerTick(cfg.GPU.PCIeBW),
		reqs:             make([]Request, len(specs)),
	}
	e.vram = newBlockPool(e.capacity, false)
	e.cpu = newBlockPool(0, true)
	for i, s := range specs {
		e.reqs[i] = Request{ID: i, Spec: s}
	}
	return e, nil
}

// bytesPerTick is how many bytes a link of bw bytes per second moves in one
// classic tick, in 128-bit arithmetic so that no bandwidth can overflow.
func bytesPerTick(bw int64) int64 {
	hi, lo := bits.Mul64(uint64(bw), uint64(ClassicTick))
	q, _ := bits.Div64(hi, lo, uint64(time.Second))
	return int64(q)
}

// Config returns the resolved configuration.
func (e *Engine) Config() Config { return e.cfg }

// Tick is the number of the last tick run (0 before the first).
func (e *Engine) Tick() int { return e.tick }

// Now is the simulated time at the end of the last tick.
func (e *Engine) Now() time.Duration { return e.now }

// Done reports whether every request has completed or been rejected.
func (e *Engine) Done() bool { return e.stats.finished == len(e.reqs) }

// Request returns a request by ID. It must not be modified.
func (e *Engine) Request(id int) *Request { return &e.reqs[id] }

// Len is the number of requests in the run.
func (e *Engine) Len() int { return len(e.reqs) }

// Prefilling lists the requests that ran a prompt chunk in the last tick
// and are still prefilling, in batch order. The slice must not be modified.
func (e *Engine) Prefilling() []int { return e.prefilling }

// Decoding lists the decoding requests by ID. The slice must not be modified.
func (e *Engine) Decoding() []int { return e.decoding }

// Swapped lists the requests whose KV is in CPU memory.
func (e *Engine) Swapped() []int { return e.swapped }

// Paused lists waiting requests that hold a partial prompt's KV in VRAM.
func (e *Engine) Paused() []int { return e.paused }

// Policy returns the engine's policy, for UIs that show levels (Leveled).
// It must not be modified.
func (e *Engine) Policy() Policy { return e.policy }

// VRAMOwners gives the owning request ID of every VRAM KV block (-1 free).
func (e *Engine) VRAMOwners() []int32 { return e.vram.owner }

// CPUOwners gives the owning request ID of every CPU-memory KV block.
func (e *Engine) CPUOwners() []int32 { return e.cpu.owner }

// Counters returns the running totals.
func (e *Engine) Counters() Counters { return e.stats.Counters }

// Finished is the number of requests completed or rejected.
func (e *Engine) Finished() int { return e.stats.finished }

// Arrived is the number of requests that have arrived.
func (e *Engine) Arrived() int { return e.next }

// Waiting is the number of arrived requests waiting for a prompt chunk.
func (e *Engine) Waiting() int {
	return e.next - e.stats.finished - len(e.prefilling) - len(e.decoding) - len(e.swapped)
}

// CPUBlocksHeld is the number of CPU-memory blocks holding swapped KV.
func (e *Engine) CPUBlocksHeld() int { return e.cpu.used() }

// CapacityBlocks is the number of KV blocks that fit in VRAM.
func (e *Engine) CapacityBlocks() int { return e.capacity }

// HeldBlocks is the number of VRAM blocks held by resident requests.
func (e *Engine) HeldBlocks() int { return e.held }

// blocksFor is the number of blocks tokens occupy.
func (e *Engine) blocksFor(tokens int) int { return (tokens + e.blockSize - 1) / e.blockSize }

// Run steps until every request is finished or MaxTicks is reached.
func (e *Engine) Run() {
	for !e.Done() && (e.cfg.MaxTicks == 0 || e.tick < e.cfg.MaxTicks) {
		e.Step()
	}
}

// Step runs one tick and returns its events. The slice is reused by the next
// call. On a finished engine it does nothing.
func (e *Engine) Step() []Event {
	e.events = e.events[:0]
	if e.Done() {
		return e.events
	}
	e.skipIdle()
	e.tick++
	start := e.now

	e.arrive(start)
	e.resume()
	e.schedule()
	d, _ := e.timing.Duration(e.iteration())
	e.tickEnd = start + d

	for _, c := range e.chunks {
		e.prefill(c)
	}
	e.decode()
	e.evict()
	e.allocate()

	e.now = e.tickEnd
	e.observe()
	return e.events
}

// skipIdle jumps over ticks in which nothing can happen: nothing is active
// and the next arrival is later. Work per tick then depends only on active
// requests, and a sparse trace costs no more than a dense one.
func (e *Engine) skipIdle() {
	if e.next > e.stats.finished || e.next >= len(e.reqs) {
		return // something is active, or nothing is left to arrive
	}
	arrival := e.reqs[e.next].Arrival
	if arrival <= e.now {
		return
	}
	// With fixed ticks, tick k starts at (k-1)T, so the first tick starting
	// at or after arrival is ceil(arrival/T)+1; jump so that it is next.
	ticks := int((arrival + ClassicTick - 1) / ClassicTick)
	if e.cfg.MaxTicks > 0 {
		ticks = min(ticks, e.cfg.MaxTicks-1) // never jump past the guard
	}
	if ticks > e.tick {
		e.tick = ticks
		e.now = time.Duration(ticks) * ClassicTick
	}
}

func (e *Engine) emit(ev Event) {
	ev.Tick = e.tick
	e.events = append(e.events, ev)
}

// iteration describes the tick's work for the timing model.
func (e *Engine) iteration() Iteration {
	var it Iteration
	for _, c := range e.chunks {
		it.PrefillTokens += c.Tokens
		it.PrefillContext += e.reqs[c.Req].KVTokens
	}
	it.DecodeRequests = len(e.decoding)
	for _, id := range e.decoding {
		it.DecodeContext += e.reqs[id].KVTokens
	}
	return it
}

// grow adds tokens to a resident request's KV and to the held count.
func (e *Engine) grow(r *Request, tokens int) {
	before := e.blocksFor(r.KVTokens)
	r.KVTokens += tokens
	e.addHeld(r, e.blocksFor(r.KVTokens)-before)
}

func (e *Engine) addHeld(r *Request, blocks int) {
	e.held += blocks
	e.stats.heldByClass[r.Class] += blocks
}

// observe records peaks after a tick.
func (e *Engine) observe() {
	e.stats.peakHeld = max(e.stats.peakHeld, e.held)
	for c, h := range e.stats.heldByClass {
		e.stats.peakByClass[c] = max(e.stats.peakByClass[c], h)
	}
}
