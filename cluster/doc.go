// Package cluster serves one traffic with several replicas of a serving
// instance behind a router: each replica is a whole engine (its own GPUs,
// VRAM, queue and policy), all on one simulated clock, and the router
// hands each request, as it arrives, to one of them. Like the engine it
// is deterministic: the same configuration, replicas, router and seed
// give the same run everywhere.
package cluster
