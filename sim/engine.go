package sim

import (
	"math"
	"math/bits"
	"time"
)

// Engine runs one simulation. It is not safe for concurrent use; Clone it to
// explore another future.
type Engine struct {
	cfg     Config
	timing  Timing
	policy  Policy
	batcher batcher
	// fixedTick is the timing model's fixed iteration length, or 0.
	fixedTick time.Duration

	blockSize        int
	blockBytes       int64 // KV bytes per block over all GPUs, read on hot paths
	capacity         int   // VRAM KV blocks
	cpuLimit         int   // CPU-memory KV blocks, 0 for no limit
	pcieBytesPerTick int64 // bytes the host link moves in one classic tick

	// reqs holds every request that has arrived or been submitted, by ID
	// (IDs follow arrival order); next is the first still to join the
	// queue. src feeds the engine its own workload as the run goes.
	reqs []Request
	next int
	src  source

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
	order      []int   // the policy's queue order, or its head (queueorder.go)
	orderWhole bool    // whether order holds all of it
	victims    []int   // candidates for preemption (a reused buffer)
	admissions int     // prompts started from nothing so far, to order them (progress.go)

	// swapWake and swapNeed bound from below, for the serial batcher, the
	// earliest end of a copy to CPU memory still under way and the least
	// KV of a swapped request whose copy has ended: while the clock is
	// before the one and free VRAM below the other, resume has nothing to
	// do and need not look at every swapped request.
	swapWake time.Duration
	swapNeed int
	// quiet drops events while Run, RunSteps or AdvanceTo runs: nobody
	// reads them there.
	quiet bool
	// blockShift is log2 of the block size when it is a power of two,
	// else -1.
	blockShift int

	// static marks the static batcher, and members are its batch.
	static  bool
	members []int

	// waitEnd is when a wait for a copy that StepBefore cut short at its
	// horizon ends: until then nothing can run (Submit may change that).
	waitEnd time.Duration

	vram  blockPool
	cpu   blockPool
	cache prefixCache // cached prefix blocks, in VRAM and the CPU tier
	tier  blockPool   // the CPU tier's room (cputier.go)
	// stores are the copies of idle cached blocks to the tier in flight,
	// storeSets the entries each copies.
	stores    []Transfer
	storeSets [][]int32
	storeSet  []int32 // a reused buffer
	// held counts the VRAM blocks requests need, including those of copies
	// in flight; in the classic model it may exceed capacity mid-tick.
	held int

	links     [2]link    // the host link, one queue per direction
	transfers []Transfer // copies in flight, in the order they were queued
	peer      peerSide   // a replica of a disaggregated cluster (handoff.go)

	// horizon, while bounded (AdvanceTo, StepBefore), is a time the clock
	// must not wait past: a driver may have requests to submit there.
	horizon time.Duration
	bounded bool

	last   IterationInfo
	stats  runStats
	events []Event
	// stuck explains why the run cannot go on, if that ever happens; Done
	// then reports true so that no caller loops forever.
	stuck string
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
	Evictions int // preemptions by swapping to CPU memory
	Drops     int // preemptions by dropping KV to recompute it
	LinkBytes int64
	// Iterations counts iterations by what bounded them (see Bound).
	Iterations [3]int
	Busy       time.Duration // time spent in iterations
	// CacheFetches counts the copies of cached blocks back from the CPU
	// tier, CacheStoreBytes the bytes copied to it.
	CacheFetches    int
	CacheStoreBytes int64
	// PromptTokens are the prompt tokens of the requests started, and
	// CachedTokens those of them taken from the prefix cache: the hit rate
	// a live picture shows, without a pass over every request.
	PromptTokens, CachedTokens int
}

// Preemptions is the number of times a request lost its place in VRAM.
func (c Counters) Preemptions() int { return c.Evictions + c.Drops }

// New validates cfg and builds an engine at tick 0.
func New(cfg Config, opts ...Option) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	src, err := newSource(&cfg)
	if err != nil {
		return nil, err
	}
	return build(cfg, src, opts), nil
}

// build makes the engine for a validated configuration and its source.
func build(cfg Config, src source, opts []Option) *Engine {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	pol, _ := LookupPolicy(cfg.Scheduler)
	tim, _ := LookupTiming(cfg.Timing)
	hostBW := cfg.HostLinkBW()
	e := &Engine{
		cfg:              cfg,
		timing:           tim.New(&cfg),
		policy:           pol.New(),
		batcher:          cfg.BatcherInfo().new(),
		static:           cfg.BatcherInfo().Static,
		blockShift:       -1,
		fixedTick:        tim.Tick,
		blockSize:        cfg.BlockSize,
		blockBytes:       cfg.BlockBytes(),
		capacity:         cfg.KVCapacityBlocks(),
		cpuLimit:         int(min(cfg.CPUKVBytes/cfg.BlockBytes(), MaxKVBlocks)),
		pcieBytesPerTick: bytesPerTick(cfg.GPU.PCIeBW * int64(cfg.GPUs())),
		links:            [2]link{{bw: hostBW}, {bw: hostBW}},
		src:              src,
		reqs:             make([]Request, 0, src.left()),
	}
	if cfg.CPUKVBytes > 0 && e.cpuLimit == 0 {
		e.cpuLimit = -1 // a limit smaller than one block: nothing can be swapped
	}
	if bs := cfg.BlockSize; bs > 0 && bs&(bs-1) == 0 {
		e.blockShift = bits.TrailingZeros(uint(bs))
	}
	e.vram = newBlockPool(e.capacity, false, !o.noBlockMap)
	e.cpu = newBlockPool(0, true, !o.noBlockMap)
	e.cache = newPrefixCache()
	e.tier = newBlockPool(cfg.CPUCacheBlocks(), false, !o.noBlockMap)
	return e
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

// Done reports whether every request has completed or been rejected (or,
// should the run ever be unable to go on, whether Stuck says why).
func (e *Engine) Done() bool {
	return (e.stats.finished == len(e.reqs) && e.Unsent() == 0) || e.stuck != ""
}

// Stuck explains why the run stopped before every request finished, or is
// empty. The engine is built never to get stuck; this guards the promise
// that no configuration hangs a caller.
func (e *Engine) Stuck() string { return e.stuck }

// PrefillEstimate is how long a prompt of this many tokens takes to prefill
// alone: its chunks priced one by one by the timing model.
func (e *Engine) PrefillEstimate(tokens int) time.Duration {
	chunk := e.batcher.chunk(&e.cfg, tokens)
	var total time.Duration
	for done := 0; done < tokens; {
		n := min(chunk, tokens-done)
		d, _ := e.timing.Duration(Iteration{PrefillTokens: n, ContextTokens: int64(done), AttendedPairs: attendedByChunk(done, n)})
		total += d
		done += n
	}
	return total
}

// attendedByChunk counts the attention pairs of a prompt chunk of n tokens
// after ctx cached ones: each token attends to the context and, causally,
// to the chunk's tokens up to itself.
func attendedByChunk(ctx, n int) int64 {
	return int64(n)*int64(ctx) + int64(n)*int64(n+1)/2
}

// LastIteration describes the iteration the last Step ran.
func (e *Engine) LastIteration() IterationInfo { return e.last }

// Transfers lists the KV copies in flight on the host link, oldest first.
func (e *Engine) Transfers() List[Transfer] { return ListOf(e.transfers) }

// Request returns a copy of a request's state, by ID: changing it changes
// nothing in the engine.
func (e *Engine) Request(id int) Request { return e.reqs[id] }

// Len is the number of requests that have arrived or been submitted so far;
// Unsent counts those of the engine's own workload still to come.
func (e *Engine) Len() int { return len(e.reqs) }

// Prefilling lists the requests that ran a prompt chunk in the last tick
// and are still prefilling, in batch order.
func (e *Engine) Prefilling() List[int] { return ListOf(e.prefilling) }

// Decoding lists the decoding requests by ID.
func (e *Engine) Decoding() List[int] { return ListOf(e.decoding) }

// Swapped lists the requests whose KV is in CPU memory.
func (e *Engine) Swapped() List[int] { return ListOf(e.swapped) }

// Paused lists waiting requests that hold a partial prompt's KV in VRAM.
func (e *Engine) Paused() List[int] { return ListOf(e.paused) }

// Level is a request's priority level under a policy that has levels
// (MLFQ and its kin), for UIs that show them; ok is false under others.
func (e *Engine) Level(id int) (level int, ok bool) {
	lv, ok := e.policy.(Leveled)
	if !ok || id < 0 || id >= len(e.reqs) {
		return 0, false
	}
	return lv.Level(id), true
}

// VRAMOwners gives the owning request ID of every VRAM KV block (-1 free);
// it is empty on an engine built WithoutBlockMap.
func (e *Engine) VRAMOwners() List[int32] { return ListOf(e.vram.ownerMap()) }

// CPUOwners gives the owning request ID of every CPU-memory KV block.
func (e *Engine) CPUOwners() List[int32] { return ListOf(e.cpu.ownerMap()) }

// HasBlockMap reports whether the engine places its KV blocks, so that
// VRAMOwners, CPUOwners and the requests' block lists name them: it does
// unless built WithoutBlockMap.
func (e *Engine) HasBlockMap() bool { return e.vram.mapped }

// Counters returns the running totals.
func (e *Engine) Counters() Counters { return e.stats.Counters }

// Finished is the number of requests completed or rejected.
func (e *Engine) Finished() int { return e.stats.finished }

// Arrived is the number of requests that have arrived.
func (e *Engine) Arrived() int { return e.next }

// Waiting is the number of arrived requests waiting for a prompt chunk.
func (e *Engine) Waiting() int {
	return e.next - e.stats.finished - len(e.prefilling) - len(e.decoding) - len(e.swapped) - len(e.transfers) - len(e.peer.sends)
}

// CPUBlocksHeld is the number of CPU-memory blocks holding swapped KV.
func (e *Engine) CPUBlocksHeld() int { return e.cpu.used() }

// CapacityBlocks is the number of KV blocks that fit in VRAM.
func (e *Engine) CapacityBlocks() int { return e.capacity }

// HeldBlocks is the number of VRAM blocks held by resident requests.
func (e *Engine) HeldBlocks() int { return e.held }

// HeldBlocksByClass splits HeldBlocks by request class (indexed by Class).
func (e *Engine) HeldBlocksByClass() [2]int { return e.stats.heldByClass }

// blocksFor is the number of blocks tokens occupy.
func (e *Engine) blocksFor(tokens int) int {
	if e.blockShift >= 0 {
		// A power of two, as block sizes usually are: a shift, not a
		// division, on the per-token path.
		return (tokens + e.blockSize - 1) >> e.blockShift
	}
	return (tokens + e.blockSize - 1) / e.blockSize
}

// Run steps until every request is finished or MaxTicks is reached.
func (e *Engine) Run() {
	for !e.Done() && (e.cfg.MaxTicks == 0 || e.tick < e.cfg.MaxTicks) {
		e.RunSteps(math.MaxInt)
	}
}

// RunSteps runs up to n iterations, as Run does (to the end, or MaxTicks),
// and returns how many it ran: for a caller that runs an engine a slice at
// a time. Like Run, it records no events, which nobody would read.
func (e *Engine) RunSteps(n int) int {
	e.quiet = true
	defer func() { e.quiet = false }()
	ran := 0
	for ; ran < n && !e.Done() && (e.cfg.MaxTicks == 0 || e.tick < e.cfg.MaxTicks); ran++ {
		e.events = e.events[:0]
		e.batcher.step(e)
	}
	return ran
}

// Step runs one tick (one iteration of the batch) and returns its events.
// The slice is reused by the next call. On a finished engine it does
// nothing.
func (e *Engine) Step() []Event {
	e.events = e.events[:0]
	if e.Done() {
		return e.events
	}
	e.batcher.step(e)
	return e.events
}

// runBatch prices the planned batch, then runs its prompt chunks and decode
// steps and tells the policy what ran.
func (e *Engine) runBatch() {
	start := e.now
	it := e.iteration()
	d, bound := e.timing.Duration(it)
	e.tickEnd = start + d
	e.last = IterationInfo{Tick: e.tick, Start: start, Duration: d, Bound: bound, Iteration: it}
	e.stats.Iterations[bound]++
	e.stats.Busy += d
	e.emit(Event{Kind: EvIteration, Req: -1, Tokens: it.Tokens(), At: start, Dur: d, Bound: bound})

	for _, c := range e.chunks {
		e.prefill(c, d)
	}
	e.decode(d)
}

// nextArrival is when the next request arrives, if any is still to come.
func (e *Engine) nextArrival() (time.Duration, bool) {
	if e.next < len(e.reqs) {
		return e.reqs[e.next].Arrival, true
	}
	return e.src.next()
}

func (e *Engine) emit(ev Event) {
	if e.quiet {
		return
	}
	ev.Tick = e.tick
	e.events = append(e.events, ev)
}

// iteration describes the tick's work for the timing model.
func (e *Engine) iteration() Iteration {
	var it Iteration
	for _, c := range e.chunks {
		ctx := e.reqs[c.Req].KVTokens
		it.PrefillTokens += c.Tokens
		it.ContextTokens += int64(ctx)
		it.AttendedPairs += attendedByChunk(ctx, c.Tokens)
	}
	it.DecodeTokens = len(e.decoding)
	for _, id := range e.decoding {
		ctx := int64(e.reqs[id].KVTokens)
		it.ContextTokens += ctx
		it.AttendedPairs += ctx + 1 // the new token attends to its context and itself
	}
	return it
}

// grow adds tokens to a resident request's KV and to the held count.
func (e *Engine) grow(r *Request, tokens int) {
	before := e.blocksFor(r.KVTokens)
	r.KVTokens += tokens
	r.kvHigh = max(r.kvHigh, r.KVTokens)
	e.addHeld(r, e.blocksFor(r.KVTokens)-before)
}

// growthBlocks is how many more blocks a request needs to hold tokens more.
func (e *Engine) growthBlocks(r *Request, tokens int) int {
	return e.blocksFor(r.KVTokens+tokens) - e.blocksFor(r.KVTokens)
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

// IterationInfo describes one iteration: when it ran, how long it took,
// what bounded it and the work it did.
type IterationInfo struct {
	Tick     int
	Start    time.Duration
	Duration time.Duration
	Bound    Bound
	Iteration
}

// PreemptionMode tells policies whether victims are swapped or recomputed.
func (e *Engine) PreemptionMode() string { return e.cfg.Preemption }
