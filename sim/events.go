package sim

import (
	"fmt"
	"time"
)

// EventKind names what happened to a request during a tick.
type EventKind uint8

const (
	EvArrived        EventKind = iota // joined the queue
	EvRejected                        // can never fit in VRAM
	EvPrefillStart                    // first prompt chunk
	EvPrefillChunk                    // a prompt chunk ran (Tokens)
	EvPreempted                       // prefilled last tick but not this one, progress kept (By took its place)
	EvDemoted                         // dropped a priority level (From -> To)
	EvFirstToken                      // prompt done, first token out
	EvToken                           // one output token
	EvCompleted                       // all output tokens produced
	EvSwapOut                         // preempted: a copy of its KV to CPU memory starts (Bytes, start At, Dur)
	EvSwapIn                          // a copy of its KV back to VRAM starts (Bytes, start At, Dur)
	EvDropped                         // preempted: KV dropped, to be prefilled again (Tokens)
	EvIteration                       // the iteration ran (Req -1; Tokens in the batch, start At, Dur, Bound)
	EvSwappedOut                      // the copy to CPU memory landed (Bytes, end At, Dur)
	EvSwappedIn                       // the copy back landed: decoding again (Bytes, end At, Dur)
	EvPromoted                        // rose a priority level (From -> To), e.g. after starving
	EvPrefixHit                       // started with cached prefix blocks instead of prefilling them (Tokens)
	EvCacheStore                      // idle cached blocks start their copy to the CPU tier (Req -1; Tokens, Bytes, start At, Dur)
	EvCacheStored                     // that copy landed (Req -1; Tokens, Bytes, end At, Dur)
	EvCacheFetch                      // cached blocks kept in the CPU tier start their copy back for the prompt (Tokens, Bytes, start At, Dur; Alt: prefilling them instead)
	EvCacheFetched                    // that copy landed: the prompt may prefill the rest (Tokens, Bytes, end At, Dur)
	EvCacheRecompute                  // the prompt prefills blocks kept in the CPU tier: faster than copying them back (Tokens; Dur: prefilling, Alt: the copy)
	EvKVSend                          // a prefill replica's prompt is done: its KV starts for a decode replica (Bytes, start At, Dur)
	EvKVSent                          // that copy landed: the prefill replica frees the request's VRAM (Bytes, end At)
)

var eventNames = [...]string{
	EvArrived: "arrived", EvRejected: "rejected", EvPrefillStart: "prefill-start",
	EvPrefillChunk: "prefill-chunk", EvPreempted: "preempted", EvDemoted: "demoted",
	EvFirstToken: "first-token", EvToken: "token", EvCompleted: "completed",
	EvSwapOut: "swap-out", EvSwapIn: "swap-in", EvDropped: "dropped",
	EvIteration: "iteration", EvSwappedOut: "swapped-out", EvSwappedIn: "swapped-in", EvPromoted: "promoted",
	EvPrefixHit: "prefix-hit", EvCacheStore: "cache-store", EvCacheStored: "cache-stored",
	EvCacheFetch: "cache-fetch", EvCacheFetched: "cache-fetched", EvCacheRecompute: "cache-recompute",
	EvKVSend: "kv-send", EvKVSent: "kv-sent",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", uint8(k))
}

// Event is one thing that happened in a tick. Only the fields that matter
// for its kind are set.
//
// Every copy over the host link has a start event (EvSwapOut, EvSwapIn) and
// an end event (EvSwappedOut, EvSwappedIn), each with the copy's bytes and
// duration, under every batcher and timing model: a consumer reads what
// happened from them and never needs to know which model ran. A copy's
// start may lie after the tick that issued it (copies queue on the link),
// and a copy may take no time at all (the serial batcher moves KV back to
// VRAM at once).
type Event struct {
	Tick   int
	Kind   EventKind
	Req    int
	Tokens int   // prompt chunk size, or tokens dropped
	Bytes  int64 // KV bytes a copy moves
	From   int   // priority level before a demotion
	To     int   // priority level after
	By     int   // the request prefilling instead (EvPreempted), or -1
	// At and Dur time an iteration (its start and length) or a copy on the
	// host link (its start, or its end for an end event, and its length).
	At    time.Duration
	Dur   time.Duration
	Bound Bound // what bounded an iteration
	// Alt is the price of what was not chosen: prefilling instead of a
	// fetch from the CPU tier, or the copy instead of prefilling.
	Alt time.Duration
}

func (e Event) String() string {
	if e.Kind == EvIteration {
		return fmt.Sprintf("t%d iteration %d tokens, %s, %s-bound", e.Tick, e.Tokens, e.Dur, e.Bound)
	}
	s := fmt.Sprintf("t%d R%d %s", e.Tick, e.Req, e.Kind)
	switch e.Kind {
	case EvPrefillChunk:
		s += fmt.Sprintf(" %d tokens", e.Tokens)
	case EvDemoted, EvPromoted:
		s += fmt.Sprintf(" level %d -> %d", e.From, e.To)
	case EvSwapOut, EvSwapIn:
		s += fmt.Sprintf(" %s, copy %s from %s", FormatBytes(e.Bytes), e.Dur, e.At)
	case EvSwappedOut, EvSwappedIn, EvCacheStored, EvCacheFetched:
		s += fmt.Sprintf(" %s, copy %s, landed at %s", FormatBytes(e.Bytes), e.Dur, e.At)
	case EvCacheStore:
		s += fmt.Sprintf(" %d tokens, %s, copy %s from %s", e.Tokens, FormatBytes(e.Bytes), e.Dur, e.At)
	case EvCacheFetch:
		s += fmt.Sprintf(" %d tokens, %s, copy %s from %s (prefilling them: %s)", e.Tokens, FormatBytes(e.Bytes), e.Dur, e.At, e.Alt)
	case EvCacheRecompute:
		s += fmt.Sprintf(" %d tokens, prefilling %s (copying them back: %s)", e.Tokens, e.Dur, e.Alt)
	case EvDropped:
		s += fmt.Sprintf(" %d tokens", e.Tokens)
	case EvPreempted:
		if e.By >= 0 {
			s += fmt.Sprintf(" by R%d", e.By)
		}
	}
	return s
}
