// Package workload describes what a run serves: request specs and their
// classes, token-count distributions (uniform, lognormal, resampled from a
// trace), and generated traffic with its arrival patterns, drawn from a
// seed with the same bits on every platform. The engine (package sim)
// pulls its requests from these as the run goes; this package knows
// nothing of the engine.
package workload
