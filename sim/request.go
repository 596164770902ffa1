package sim

import (
	"fmt"
	"time"
)

// State is where a request is in its life.
type State uint8

const (
	// Pending: not arrived yet.
	Pending State = iota
	// Waiting: in the policy's queue. A request whose prompt was interrupted
	// keeps its partial KV cache in VRAM while it waits.
	Waiting
	// Prefill: ran a prompt chunk in the last tick.
	Prefill
	// Decode: produces one token per tick.
	Decode
	// Swapped: its KV cache sits in CPU memory; it resumes when the PCIe
	// penalty has passed and VRAM has room.
	Swapped
	// SwappingOut: its KV is being copied to CPU memory; its VRAM blocks
	// stay allocated until the copy finishes (roofline model).
	SwappingOut
	// SwappingIn: its KV is being copied back into VRAM blocks allocated for
	// it; it decodes again when the copy finishes (roofline model).
	SwappingIn
	// Done: every output token produced.
	Done
	// Rejected: can never fit in VRAM; see Request.Reason.
	Rejected
	// Fetching: still queued, waiting for the cached blocks its prompt
	// starts with to come back from the CPU tier (roofline model).
	Fetching
	// Sending: prefilled on a prefill replica, its KV on its way to a
	// decode replica; its VRAM blocks stay allocated until the copy ends.
	Sending
	// Sent: its KV has left for a decode replica, which serves the rest.
	Sent
)

func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Waiting:
		return "waiting"
	case Prefill:
		return "prefill"
	case Decode:
		return "decode"
	case Swapped:
		return "swapped"
	case SwappingOut:
		return "swapping-out"
	case SwappingIn:
		return "swapping-in"
	case Done:
		return "done"
	case Rejected:
		return "rejected"
	case Fetching:
		return "fetching"
	case Sending:
		return "sending"
	case Sent:
		return "sent"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Finished reports whether the request will never change again.
func (s State) Finished() bool { return s == Done || s == Rejected || s == Sent }

// Request is a request's whole state. Tick fields are 0 until the event
// happens; ticks are numbered from 1.
type Request struct {
	ID int
	Spec

	// ArrivalTick is the tick at which the request joins the queue: the
	// first tick that starts at or after its arrival time.
	ArrivalTick int

	State State
	// Prefilled counts the tokens prefilled so far: the prompt, and after a
	// recompute preemption also the output tokens produced before it.
	Prefilled int
	Decoded   int // output tokens produced so far
	KVTokens  int // tokens of KV cache held (in VRAM, or in CPU memory when swapped)

	PrefillStartTick int
	FirstTokenTick   int
	CompletionTick   int
	Evictions        int   // times swapped out to CPU memory
	Drops            int   // times its KV was dropped, to be prefilled again (recompute preemption)
	RecomputedTokens int   // tokens prefilled again after drops
	SwappedTicks     int   // ticks spent swapped out
	LinkBytes        int64 // KV bytes moved over the host link, both ways

	// Simulated times: JoinedAt and PrefillStartAt are the starts of those
	// ticks; FirstTokenAt and CompletedAt the ends, since a tick's work is
	// done when it ends. SwappedFor sums the time from each swap-out to
	// decoding again; TransferWait the part of it spent waiting for copies
	// (queued on the link or copying).
	JoinedAt       time.Duration
	PrefillStartAt time.Duration
	FirstTokenAt   time.Duration
	CompletedAt    time.Duration
	SwappedFor     time.Duration
	TransferWait   time.Duration

	evictedTick int           // tick of the latest swap-out
	evictedAt   time.Duration // when it left the batch
	// readyAt is when a request the serial batcher swapped out may come
	// back: its copy to CPU memory has landed. copying says that its
	// swapped-out event is still to be told.
	readyAt       time.Duration
	copying       bool
	kvHigh        int // most KV tokens ever held, to count recomputation
	redo          int // output tokens to prefill again after a recompute preemption
	prefilledTick int // last tick it ran a prompt chunk
	// returned is set when the request comes back, swapped in or started
	// again after its cache was dropped, and cleared by its next token:
	// until then it is not preempted again (see progress.go).
	returned bool
	// outranked counts the times a prompt that outranks it took its VRAM.
	outranked int
	// admitted orders the requests by when they last started prefilling
	// from nothing: the first admitted of the residents always progresses.
	admitted int
	// waitRoom holds a prompt dropped mid-way back until VRAM holds all of
	// it (classic model).
	waitRoom bool

	// sharedN counts the cached prefix blocks it holds: the first blocks
	// of its prompt, which its block list does not hold (prefixcache.go).
	// taken says it took them in this iteration's plan and has not run
	// yet. CachedTokens counts the prompt tokens it took from the cache
	// instead of prefilling them.
	sharedN      int
	taken        bool
	CachedTokens int
	// CPUCachedTokens counts the cached tokens that came back from the CPU
	// tier; fetch is what its plan chose to do about them (cputier.go).
	CPUCachedTokens int
	fetch           fetchPlan

	// Disaggregated serving (handoff.go). KVBytes is the prompt's KV sent
	// from the prefill replica to the decode replica, and KVWait the time
	// from the prompt's end to its last byte landing (queued behind other
	// copies, then copying); both replicas' requests have them. sendOnly
	// marks a prefill replica's request; handed a decode replica's, which
	// arrived (Arrival) when its KV landed and was prefilled elsewhere.
	KVBytes  int64
	KVWait   time.Duration
	sendOnly bool
	handed   bool
	sentAt   time.Duration // a decode replica's: when the client sent it

	// tag is what the source that sent it wants back when it finishes
	// (the closed loop's client), or -1 for a request given by Submit.
	tag int32

	// Reason says why a request was rejected.
	Reason string

	// blocks are the VRAM KV blocks the request owns, cpuBlocks its CPU
	// memory blocks; both while a copy is in flight.
	blocks    BlockList
	cpuBlocks BlockList
}

// PrefillTarget is the number of tokens to prefill before decoding: the
// prompt, plus the output so far after a recompute preemption.
func (r *Request) PrefillTarget() int { return r.Input + r.redo }

// Remaining is the number of tokens still to prefill.
func (r *Request) Remaining() int { return r.PrefillTarget() - r.Prefilled }

// Resident reports whether the request's KV cache is in VRAM.
func (r *Request) Resident() bool {
	switch r.State {
	case Prefill, Decode:
		return true
	case Waiting:
		return r.KVTokens > 0
	}
	return false
}

// Blocks lists the VRAM KV blocks the request owns; on an engine built
// WithoutBlockMap, only how many.
func (r Request) Blocks() BlockList { return r.blocks }

// CPUBlocks lists the CPU-memory KV blocks the request owns (while
// swapped, or while a copy is in flight); on an engine built
// WithoutBlockMap, only how many.
func (r Request) CPUBlocks() BlockList { return r.cpuBlocks }

// Transferring reports whether a copy of the request's KV is in flight.
func (r *Request) Transferring() bool {
	return r.State == SwappingOut || r.State == SwappingIn || r.State == Fetching
}
