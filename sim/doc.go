// Package sim is the deterministic simulation engine of Inference Playground.
//
// It models GPUs serving an LLM: requests arrive, wait in a queue, prefill
// their prompt, decode their answer token by token, and hold KV cache in VRAM
// blocks while they do. When VRAM runs out, a scheduling policy picks a victim
// whose KV is swapped over PCIe to CPU memory, or dropped and recomputed.
//
// Two timing models price the work: the classic one (fixed 15 ms ticks, one
// prompt chunk per tick, as the original simulator had it) and the roofline
// one (each iteration as long as its FLOPs or its bytes take on the GPU,
// batches formed under a token budget, copies timed on the host link).
//
// The package is pure: it never reads a clock, never draws and never does I/O
// beyond what a caller hands it (a trace is parsed from an io.Reader). The same
// Config and seed give the same run, bit for bit, on every platform. Simulated
// time is kept in integer nanoseconds (time.Duration); the few floating-point
// formulas convert every product explicitly, so that no platform fuses a
// multiply-add differently.
//
// Engine.Step advances one tick and returns that tick's events; read-only views
// (Request, Decoding, VRAMOwners, Transfers, ...) let a renderer draw the
// state; Clone copies an engine cheaply for rewinding. An engine nobody draws
// can be built WithoutBlockMap: it counts KV blocks instead of placing them,
// with the same results.
package sim
