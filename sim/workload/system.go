package workload

import (
	"fmt"
	"math"

	"inferplay/sim/hw"
)

// SystemPrompts makes a share of the requests start with one of a few
// system prompts, as the requests of an app do: a fraction Share of them,
// each choosing one of Count prompts of Tokens tokens, all equally likely
// (uniformly), put before the prompt the workload draws. Requests that
// start with the same one form a prefix group.
type SystemPrompts struct {
	Count  int
	Tokens int
	Share  float64
}

// MaxSystemPrompts and MaxSystemPromptTokens bound the flags.
const (
	MaxSystemPrompts      = 10_000
	MaxSystemPromptTokens = 131_072
)

// Validate checks the three settings together.
func (p SystemPrompts) Validate() error {
	switch {
	case !(p.Share >= 0 && p.Share <= 1):
		return hw.Invalid("system-prompt-share", p.Share, "must be a fraction from 0 to 1")
	case p.Count < 0 || p.Count > MaxSystemPrompts:
		return hw.Invalid("system-prompts", p.Count, fmt.Sprintf("must be 0..%d", MaxSystemPrompts))
	case p.Tokens < 0 || p.Tokens > MaxSystemPromptTokens:
		return hw.Invalid("system-prompt-tokens", p.Tokens, fmt.Sprintf("must be 0..%d", MaxSystemPromptTokens))
	case p.Share > 0 && (p.Count == 0 || p.Tokens == 0):
		return hw.Invalid("system-prompt-share", p.Share, "needs -system-prompts and -system-prompt-tokens above 0")
	}
	return nil
}

// Apply gives the n-th request of a run (from 0, in the order they are
// sent) its system prompt, if it draws one. The draw is a hash of the seed
// and n, not a stream: it leaves the workload's own random numbers, and so
// every run without system prompts, as they were, and it needs no state
// that a copy of a run must carry.
func (p SystemPrompts) Apply(s *Spec, seed uint64, n int) {
	if p.Share <= 0 {
		return
	}
	u := mix(seed ^ 0x51_5e_57_e3_9a_11_0c_77 ^ uint64(n)*0x9e3779b97f4a7c15)
	if float64(u>>11)/(1<<53) >= p.Share {
		return
	}
	s.PrefixGroup = 1 + int(mix(u)%uint64(p.Count))
	s.PrefixTokens = p.Tokens
	s.Input = int(math.Min(float64(s.Input+p.Tokens), math.MaxInt32))
}

// mix is SplitMix64's finalizer: a well-spread 64-bit hash.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
