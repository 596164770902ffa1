package sim

import "inferplay/sim/workload"

// What a run serves is described in package workload: request specs and
// classes, token-count distributions and generated traffic. These names
// keep it at hand for users of the engine.

type (
	Spec     = workload.Spec
	Class    = workload.Class
	Workload = workload.Workload
	Shape    = workload.Shape
	Lengths  = workload.Lengths
	// SystemPrompts are the shared system prompts of generated traffic.
	SystemPrompts = workload.SystemPrompts
)

// Request classes.
const (
	Interactive = workload.Interactive
	Batch       = workload.Batch
)

// Classes lists every class in reporting order.
var Classes = workload.Classes

// Arrival patterns and token-count distributions.
const (
	Poisson   = workload.Poisson
	Gamma     = workload.Gamma
	Fixed     = workload.Fixed
	Burst     = workload.Burst
	Uniform   = workload.Uniform
	Lognormal = workload.Lognormal
	Empirical = workload.Empirical
)

// Limits of a workload (see package workload).
const (
	MinArrivalCV     = workload.MinArrivalCV
	MaxArrivalCV     = workload.MaxArrivalCV
	DefaultArrivalCV = workload.DefaultArrivalCV
	BurstSize        = workload.BurstSize
	MaxRequests      = workload.MaxRequests
	MaxTokens        = workload.MaxTokens
	MaxRate          = workload.MaxRate
	MinRate          = workload.MinRate
	MaxArrival       = workload.MaxArrival
	MaxClients       = workload.MaxClients
	MaxThinkTime     = workload.MaxThinkTime
	LengthsSyntax    = workload.LengthsSyntax

	MaxSystemPrompts      = workload.MaxSystemPrompts
	MaxSystemPromptTokens = workload.MaxSystemPromptTokens
	MaxTurns              = workload.MaxTurns
)

// ParseClass reads a class name as written in traces and flags.
func ParseClass(s string) (Class, error) { return workload.ParseClass(s) }

// LookupPattern resolves an arrival pattern's name or alias.
func LookupPattern(name string) (string, error) { return workload.LookupPattern(name) }

// Patterns lists the arrival patterns.
func Patterns() []string { return workload.Patterns() }

// Between is the uniform distribution over min..max tokens.
func Between(min, max int) Lengths { return workload.Between(min, max) }

// ParseLengths reads a token-count distribution (LengthsSyntax).
func ParseLengths(v string) (Lengths, error) { return workload.ParseLengths(v) }

// TraceLengths resamples one class's prompt or output counts from a trace.
func TraceLengths(specs []Spec, cl Class, output bool, source string) (Lengths, error) {
	return workload.TraceLengths(specs, cl, output, source)
}

// PerTick converts a rate given in arrivals per classic 15 ms tick (as the
// original scenarios state them) to arrivals per second.
func PerTick(arrivals float64) float64 { return arrivals / ClassicTick.Seconds() }
