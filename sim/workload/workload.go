package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"inferplay/sim/hw"
)

// Shape is the token profile of one class of traffic.
type Shape struct {
	Prompt Lengths
	Output Lengths
}

// Arrival patterns.
const (
	Poisson = "poisson" // exponential gaps: independent users
	Gamma   = "gamma"   // gamma gaps: burstier (CV > 1) or steadier (CV < 1) than Poisson
	Fixed   = "fixed"   // evenly spaced: a load generator
	Burst   = "burst"   // groups arriving together: a flash crowd
)

var patterns = []string{Poisson, Gamma, Fixed, Burst}

// patternAliases are other names a pattern is known by.
var patternAliases = map[string]string{"constant": Fixed, "exponential": Poisson}

// LookupPattern resolves an arrival pattern's name or alias.
func LookupPattern(name string) (string, error) {
	if a, ok := patternAliases[name]; ok {
		return a, nil
	}
	if !slices.Contains(patterns, name) {
		return "", hw.Unknown("pattern", name, patterns)
	}
	return name, nil
}

// Patterns lists the arrival patterns.
func Patterns() []string { return slices.Clone(patterns) }

// Bounds of the gamma pattern's coefficient of variation: from nearly
// evenly spaced to a few huge bursts.
const (
	MinArrivalCV     = 0.01
	MaxArrivalCV     = 10.0
	DefaultArrivalCV = 2
)

// BurstSize is how many requests arrive together in the burst pattern.
const BurstSize = 5

// Limits that keep every run finite and every number in range.
const (
	MaxRequests = 1_000_000
	MaxTokens   = 10_000_000
	MaxRate     = 1e6  // arrivals per second
	MinRate     = 1e-3 // one arrival every 1000 s
	// MaxArrival caps arrival times (about 31 years) so that sums of gaps
	// can never overflow; the engine skips idle time, so long gaps cost
	// nothing to simulate.
	MaxArrival = time.Duration(1e18)
)

// Workload describes generated traffic.
type Workload struct {
	Requests         int
	InteractiveShare float64 // fraction of requests that are interactive, 0..1
	Rate             float64 // mean arrivals per second
	Pattern          string
	// ArrivalCV is the gamma pattern's coefficient of variation of the
	// gaps between arrivals (standard deviation over mean): 1 is Poisson,
	// above 1 burstier, below 1 steadier. 0 means DefaultArrivalCV.
	ArrivalCV float64
	// Clients, when above 0, makes the workload a closed loop (clients.go):
	// that many users, each sending its next request ThinkTime
	// (exponentially distributed) after its last answer; Rate and Pattern
	// then play no part.
	Clients     int
	ThinkTime   time.Duration
	Interactive Shape
	Batch       Shape
	// System puts shared system prompts before a share of the prompts.
	System SystemPrompts
	// Turns, above 1, makes each closed-loop user hold conversations of
	// that many turns: every turn's prompt is the conversation so far
	// (the previous turns' prompts and answers) and a new message, drawn
	// from the class's prompt lengths; then a new conversation begins.
	Turns int
}

// Validate checks every field, with an error naming the one that is wrong.
func (w Workload) Validate() error {
	if w.Requests < 1 || w.Requests > MaxRequests {
		return hw.Invalid("requests", w.Requests, fmt.Sprintf("must be 1..%d", MaxRequests))
	}
	if !(w.InteractiveShare >= 0 && w.InteractiveShare <= 1) {
		return hw.Invalid("interactive-share", w.InteractiveShare, "must be a fraction from 0 to 1")
	}
	if !(w.Rate >= MinRate && w.Rate <= MaxRate) {
		return hw.Invalid("rate", w.Rate, fmt.Sprintf("arrivals per second, must be %g..%g", MinRate, MaxRate))
	}
	if !slices.Contains(patterns, w.Pattern) {
		return hw.Unknown("pattern", w.Pattern, patterns)
	}
	if err := w.validateClients(); err != nil {
		return err
	}
	if err := w.System.Validate(); err != nil {
		return err
	}
	if w.ArrivalCV != 0 && w.Pattern != Gamma {
		return hw.Invalid("arrival-cv", w.ArrivalCV, "only the gamma pattern has one; Poisson's is 1")
	}
	if cv := w.EffectiveArrivalCV(); !(cv >= MinArrivalCV && cv <= MaxArrivalCV) {
		return hw.Invalid("arrival-cv", cv, fmt.Sprintf("must be %g..%g (1 is Poisson)", MinArrivalCV, MaxArrivalCV))
	}
	for _, c := range []struct {
		name string
		l    Lengths
	}{
		{"interactive prompt", w.Interactive.Prompt}, {"interactive output", w.Interactive.Output},
		{"batch prompt", w.Batch.Prompt}, {"batch output", w.Batch.Output},
	} {
		if err := c.l.check(); err != nil {
			return &hw.ConfigError{Field: c.name + " tokens", Value: c.l.String(), Valid: err.Error()}
		}
	}
	return nil
}

// Generate draws the workload's requests from the seed, sorted by arrival.
// Interactive and batch requests are drawn, then shuffled together so that
// the heavy ones are scattered through the run rather than bunched at one end.
func (w Workload) Generate(seed uint64) ([]Spec, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	nInteractive := int(math.Round(float64(w.Requests) * w.InteractiveShare))
	specs := make([]Spec, w.Requests)
	for i := range specs {
		class, shape := Interactive, w.Interactive
		if i >= nInteractive {
			class, shape = Batch, w.Batch
		}
		specs[i] = Spec{
			Class:  class,
			Input:  shape.Prompt.Draw(rng),
			Output: shape.Output.Draw(rng),
		}
	}
	rng.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	w.assignArrivals(specs, rng)
	for i := range specs {
		w.System.Apply(&specs[i], seed, i)
	}
	return specs, nil
}

// EffectiveArrivalCV is the gamma pattern's CV, with its default.
func (w Workload) EffectiveArrivalCV() float64 {
	if w.ArrivalCV == 0 {
		return DefaultArrivalCV
	}
	return w.ArrivalCV
}

// assignArrivals spaces the requests in time. Gaps are converted to integer
// nanoseconds one by one and summed as integers, so no float accumulation
// (and no fused multiply-add on some platforms) can make targets disagree.
func (w Workload) assignArrivals(specs []Spec, rng *rand.Rand) {
	meanGap := 1 / w.Rate // seconds
	cv := w.EffectiveArrivalCV()
	shape := 1 / float64(cv*cv)
	var t time.Duration
	for i := range specs {
		switch w.Pattern {
		case Poisson:
			t = min(t+seconds(rng.ExpFloat64()*meanGap), MaxArrival)
			specs[i].Arrival = t
		case Gamma:
			t = min(t+seconds(float64(gammaUnit(rng, shape)*meanGap)), MaxArrival)
			specs[i].Arrival = t
		case Fixed:
			specs[i].Arrival = min(time.Duration(i)*seconds(meanGap), MaxArrival)
		case Burst:
			// BurstSize requests land together; bursts are spaced so the
			// mean rate matches Rate.
			specs[i].Arrival = min(time.Duration(i/BurstSize)*seconds(meanGap*BurstSize), MaxArrival)
		}
	}
}

// seconds converts float seconds to a Duration, saturating instead of
// overflowing for absurdly slow rates.
func seconds(s float64) time.Duration {
	ns := s * 1e9
	if ns >= float64(MaxArrival) {
		return MaxArrival
	}
	return time.Duration(ns)
}

// MaxClients bounds the closed loop's users.
const MaxClients = 100_000

// MaxTurns bounds a conversation's turns.
const MaxTurns = 1000

// MaxThinkTime bounds a closed-loop user's mean think time.
const MaxThinkTime = time.Hour

func (w Workload) validateClients() error {
	if w.Clients < 0 || w.Clients > MaxClients {
		return hw.Invalid("clients", w.Clients, fmt.Sprintf("closed-loop users, 0 (open loop) to %d", MaxClients))
	}
	if w.Clients > w.Requests {
		return hw.Invalid("clients", w.Clients, fmt.Sprintf("more users than the %d requests they send", w.Requests))
	}
	if w.ThinkTime < 0 || w.ThinkTime > MaxThinkTime {
		return hw.Invalid("think-ms", w.ThinkTime, "a user's mean pause between an answer and the next request, 0 to 1 h")
	}
	if w.Turns < 0 || w.Turns > MaxTurns {
		return hw.Invalid("turns", w.Turns, fmt.Sprintf("turns per conversation, 1 to %d", MaxTurns))
	}
	if w.Turns > 1 && w.Clients == 0 {
		return hw.Invalid("turns", w.Turns, "conversations need users to hold them; give clients too")
	}
	if w.Clients == 0 && w.ThinkTime != 0 {
		return hw.Invalid("think-ms", w.ThinkTime, "only closed-loop users think; give clients too")
	}
	return nil
}

// Exponential draws a duration exponentially distributed with the given
// mean (0 for a mean of 0), by inversion, with the same bits on every
// platform: 1 − U is in (0, 1], so its logarithm is finite.
func Exponential(rng *rand.Rand, mean time.Duration) time.Duration {
	if mean <= 0 {
		return 0
	}
	return seconds(float64(-detLog(1-rng.Float64()) * mean.Seconds()))
}
