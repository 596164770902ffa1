// Package sim is the deterministic simulation engine of Inference Playground.
//
// It models one GPU serving an LLM: requests arrive, wait in a queue, prefill
// their prompt, decode their answer token by token, and hold KV cache in VRAM
// blocks while they do. When VRAM runs out, a scheduling policy picks a victim
// whose KV is swapped over PCIe to CPU memory.
//
// The package is pure: it never reads a clock, never draws and never does I/O
// beyond what a caller hands it (a trace is parsed from an io.Reader). The same
// Config and seed give the same run, bit for bit, on every platform. Simulated
// time is kept in integer nanoseconds (time.Duration) so that no float rounding
// can differ between targets.
//
// Engine.Step advances one tick and returns that tick's events; read-only views
// (Request, Decoding, VRAMOwners, ...) let a renderer draw the state; Clone
// copies an engine cheaply for rewinding.
package sim
