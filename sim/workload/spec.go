package workload

import (
	"fmt"
	"time"
)

// Class tells interactive traffic (a person waiting for an answer) from batch
// traffic (long documents, offline jobs).
type Class uint8

const (
	Interactive Class = iota
	Batch
)

// Classes lists every class in reporting order.
var Classes = []Class{Interactive, Batch}

func (c Class) String() string {
	switch c {
	case Interactive:
		return "interactive"
	case Batch:
		return "batch"
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// ParseClass reads a class name as written in traces and flags.
func ParseClass(s string) (Class, error) {
	switch s {
	case "interactive", "i":
		return Interactive, nil
	case "batch", "b":
		return Batch, nil
	}
	return 0, fmt.Errorf("unknown class %q (valid: interactive, batch)", s)
}

// Spec is a request as a workload or trace describes it, before it runs.
type Spec struct {
	// Arrival is when the request reaches the server, from the start of the run.
	Arrival time.Duration
	Input   int // prompt tokens
	Output  int // tokens to generate
	Class   Class
	// PrefixGroup, when above 0, says that the prompt's first
	// PrefixTokens tokens are the same as those of every other request of
	// the group (a shared system prompt): a serving engine that caches
	// prefixes computes their KV once.
	PrefixGroup  int
	PrefixTokens int
	// Session, when above 0, is the conversation the request is a turn
	// of: its prompt is the conversation so far and a new message, and
	// its first SessionTokens tokens are the previous turn's prompt and
	// answer (after the system prompt, if it has one).
	Session       int
	SessionTokens int
}
