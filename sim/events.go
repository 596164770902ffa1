package sim

import "fmt"

// EventKind names what happened to a request during a tick.
type EventKind uint8

const (
	EvArrived      EventKind = iota // joined the queue
	EvRejected                      // can never fit in VRAM
	EvPrefillStart                  // first prompt chunk
	EvPrefillChunk                  // a prompt chunk ran (Tokens)
	EvPreempted                     // prefilled last tick but not this one, progress kept (By took its place)
	EvDemoted                       // dropped a priority level (From -> To)
	EvFirstToken                    // prompt done, first token out
	EvToken                         // one output token
	EvCompleted                     // all output tokens produced
	EvSwapOut                       // KV copied to CPU memory (Bytes, Ticks of penalty)
	EvSwapIn                        // KV back in VRAM, decoding again
	EvDropped                       // partial prompt KV dropped, to be prefilled again (Tokens)
)

var eventNames = [...]string{
	EvArrived: "arrived", EvRejected: "rejected", EvPrefillStart: "prefill-start",
	EvPrefillChunk: "prefill-chunk", EvPreempted: "preempted", EvDemoted: "demoted",
	EvFirstToken: "first-token", EvToken: "token", EvCompleted: "completed",
	EvSwapOut: "swap-out", EvSwapIn: "swap-in", EvDropped: "dropped",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", uint8(k))
}

// Event is one thing that happened in a tick. Only the fields that matter
// for its kind are set.
type Event struct {
	Tick   int
	Kind   EventKind
	Req    int
	Tokens int   // prompt chunk size, or tokens dropped
	Bytes  int64 // KV bytes moved by a swap
	Ticks  int   // swap penalty in ticks
	From   int   // priority level before a demotion
	To     int   // priority level after
	By     int   // the request prefilling instead (EvPreempted), or -1
}

func (e Event) String() string {
	s := fmt.Sprintf("t%d R%d %s", e.Tick, e.Req, e.Kind)
	switch e.Kind {
	case EvPrefillChunk:
		s += fmt.Sprintf(" %d tokens", e.Tokens)
	case EvDemoted:
		s += fmt.Sprintf(" level %d -> %d", e.From, e.To)
	case EvSwapOut:
		s += fmt.Sprintf(" %s, %d ticks", FormatBytes(e.Bytes), e.Ticks)
	case EvDropped:
		s += fmt.Sprintf(" %d tokens", e.Tokens)
	case EvPreempted:
		if e.By >= 0 {
			s += fmt.Sprintf(" by R%d", e.By)
		}
	}
	return s
}
