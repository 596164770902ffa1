package lesson

import (
	"time"

	"inferplay/sim"
)

// The sharing scene's last beat: conversations that outgrow VRAM, served
// with the prefix cache in VRAM alone and with a CPU tier beside it.

// TierSides are that duel's sides: no CPU tier on the left, one of
// TierGB on the right.
const (
	TierGB    = 16
	TierSides = "cpu-cache-gb=0,cpu-cache-gb=16"
)

// TierConfig is 24 users pasting documents into conversations of four
// turns, behind the system prompt, on the constrained GPU: between
// a user's turns VRAM fills with the others' and gives up the idle
// conversation's cached blocks. Both sides serve the requests of one
// closed-loop run with the tier.
func TierConfig(seed uint64) (sim.Config, error) {
	c, err := SharingConfig(seed)
	if err != nil {
		return c, err
	}
	w := &c.Workload
	w.Requests, w.Clients, w.Turns, w.ThinkTime = 96, 24, 4, 6*time.Second
	w.Interactive = sim.Shape{Prompt: sim.Between(1500, 2500), Output: sim.Between(150, 400)}
	c.CPUCacheBytes = TierGB * sim.GB
	return asTrace(c, "24 users' conversations of four turns, a document each turn")
}

// Fetch is the first time, with the tier, that at least FetchTokens of a
// prompt's cached tokens come back from CPU memory (a copy big enough to
// see on the link): the request, the end of the iteration the copy starts
// in, the tokens, and what the copy and prefilling them cost.
type Fetch struct {
	Req          int
	At           time.Duration
	Tokens       int
	Copy, Refill time.Duration
}

// FetchTokens is the least copy FindFetch looks for.
const FetchTokens = 4000

// FindFetch finds that moment; ok is false if the run never shows it.
func FindFetch(c sim.Config) (f Fetch, ok bool) {
	c.CPUCacheBytes = TierGB * sim.GB
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return f, false
	}
	for !e.Done() && e.Tick() < maxSearchTicks {
		for _, ev := range e.Step() {
			if ev.Kind == sim.EvCacheFetch && ev.Tokens >= FetchTokens {
				return Fetch{Req: ev.Req, At: e.Now(), Tokens: ev.Tokens, Copy: ev.Dur, Refill: ev.Alt}, true
			}
		}
	}
	return f, false
}
