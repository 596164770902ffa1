package lesson

import (
	"time"

	"inferplay/sim"
)

// The sharing scene's runs: fifty chats behind one long system prompt, and
// conversations that come back, each a duel of prefix caching off and on,
// on a GPU whose KV space fifty copies of the prompt would overflow.

// SharingUsers and SharingPromptTokens are the first beats' workload: that
// many chats, each after the same system prompt of that many tokens.
const (
	SharingUsers        = 50
	SharingPromptTokens = 2000
)

// SharingSides are the duel's two sides: caching off on the left, on on
// the right.
const SharingSides = "prefix-caching=off,prefix-caching=on"

// SharingConfig is the fifty chats: Llama 3 8B at FP16 on the constrained
// GPU (9.5 GB for KV), on the roofline model.
func SharingConfig(seed uint64) (sim.Config, error) {
	c, err := base("llama3-8b", "constrained", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario, c.Timing, c.Seed = "sharing", "roofline", seed
	w := &c.Workload
	w.Requests, w.InteractiveShare, w.Rate = SharingUsers, 1, 12
	w.Interactive = sim.Shape{Prompt: sim.Between(50, 300), Output: sim.Between(150, 400)}
	w.System = sim.SystemPrompts{Count: 1, Tokens: SharingPromptTokens, Share: 1}
	return c, c.Validate()
}

// ConversationConfig is the last beat's traffic: a few users holding
// conversations of three turns, a second apart, with the same system
// prompt. Their requests are those of one closed-loop run with caching,
// given to both sides as a trace: a closed loop's users answer to their
// own side's latencies, and the two sides would send different requests
// under one label.
func ConversationConfig(seed uint64) (sim.Config, error) {
	c, err := SharingConfig(seed)
	if err != nil {
		return c, err
	}
	w := &c.Workload
	w.Requests, w.Clients, w.Turns, w.ThinkTime = 24, 8, 3, time.Second
	return asTrace(c, "eight users' conversations of three turns")
}

// asTrace runs a closed loop's conversations once and gives its requests
// as a trace, so that both sides of a duel serve the same ones.
func asTrace(c sim.Config, name string) (sim.Config, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return c, err
	}
	e.Run()
	c.Trace = make([]sim.Spec, e.Len())
	for i := range c.Trace {
		c.Trace[i] = e.Request(i).Spec
	}
	c.TraceName = name
	return c, c.Validate()
}

// PeakCopies is when the run without caching holds the most KV, and how
// much: the moment the first beat opens at.
func PeakCopies(c sim.Config) (at time.Duration, blocks int) {
	c.NoPrefixCaching = true
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return 0, 0
	}
	for !e.Done() && e.Tick() < maxSearchTicks {
		e.Step()
		if h := e.HeldBlocks(); h > blocks {
			at, blocks = e.Now(), h
		}
	}
	return at, blocks
}

// SecondTurn is the first time, with caching on, that a conversation's
// later turn takes the turns before it from the cache: the request, the
// end of the iteration it starts in, and the tokens it takes.
type SecondTurn struct {
	Req    int
	At     time.Duration
	Tokens int
}

// FindSecondTurn finds that moment; ok is false if the run never shows it.
func FindSecondTurn(c sim.Config) (s SecondTurn, ok bool) {
	c.NoPrefixCaching = false
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return s, false
	}
	for !e.Done() && e.Tick() < maxSearchTicks {
		for _, ev := range e.Step() {
			if ev.Kind == sim.EvPrefixHit && e.Request(ev.Req).SessionTokens > 0 {
				return SecondTurn{Req: ev.Req, At: e.Now(), Tokens: ev.Tokens}, true
			}
		}
	}
	return s, false
}
