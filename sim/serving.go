package sim

import (
	"fmt"
	"strings"
	"time"
)

// Serving knobs: how the engine batches, splits the model and preempts.

// Preemption modes: what happens to a running request's KV cache when VRAM
// runs out.
const (
	// PreemptSwap copies the victim's KV to CPU memory over the host link
	// and back later.
	PreemptSwap = "swap"
	// PreemptRecompute frees the victim's KV at once; it goes back to the
	// front of the queue and prefills its prompt and its output so far again.
	PreemptRecompute = "recompute"
)

// PreemptionModes lists the valid preemption modes.
var PreemptionModes = []string{PreemptRecompute, PreemptSwap}

// Batching defaults for the roofline model, after vLLM's: a 2,048-token
// budget per iteration (its default max_num_batched_tokens for online
// serving with chunked prefill) and at most 256 running requests (its
// max_num_seqs default).
const (
	DefaultMaxBatchTokens = 2048
	DefaultMaxRunning     = 256
)

// Limits that keep the numbers meaningful and the arithmetic safe.
const (
	MaxBatchTokensLimit = 1 << 20
	MaxRunningLimit     = 1 << 16
	MaxTP               = 8
)

// SLO is a latency target for one class of requests; a zero field sets no
// target. TBT is the request's mean time between output tokens (also called
// TPOT).
type SLO struct {
	TTFT time.Duration
	TBT  time.Duration
}

// Met reports whether a completed request's latencies meet the target.
func (s SLO) Met(m RequestMetrics) bool {
	return (s.TTFT == 0 || m.TTFT <= ms(s.TTFT)) && (s.TBT == 0 || m.TBT <= ms(s.TBT))
}

func (s SLO) String() string {
	var parts []string
	if s.TTFT > 0 {
		parts = append(parts, "TTFT ≤ "+fmtMs(s.TTFT))
	}
	if s.TBT > 0 {
		parts = append(parts, "TBT ≤ "+fmtMs(s.TBT))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func fmtMs(d time.Duration) string { return fmt.Sprintf("%g ms", ms(d)) }

// DefaultSLOs are the targets scenarios use unless they say otherwise: a
// person chatting notices a first token after about a second and reads at
// roughly ten tokens a second; batch work tolerates half a minute to start
// and a slower stream.
var DefaultSLOs = [2]SLO{
	Interactive: {TTFT: time.Second, TBT: 100 * time.Millisecond},
	Batch:       {TTFT: 30 * time.Second, TBT: 500 * time.Millisecond},
}

// CPUCacheBlocks is how many KV blocks the CPU tier of the prefix cache
// holds.
func (c *Config) CPUCacheBlocks() int {
	if c.CPUCacheBytes <= 0 || c.BlockBytes() <= 0 {
		return 0
	}
	return int(min(c.CPUCacheBytes/c.BlockBytes(), MaxKVBlocks))
}

// validateServing checks the serving knobs.
func (c *Config) validateServing() error {
	switch c.TP {
	case 1, 2, 4, 8:
	default:
		return invalid("tp", c.TP, "tensor-parallel GPUs: 1, 2, 4 or 8")
	}
	if c.Preemption != PreemptSwap && c.Preemption != PreemptRecompute {
		return unknown("preemption", c.Preemption, PreemptionModes)
	}
	if c.CPUKVBytes < 0 || c.CPUKVBytes > 1e15 {
		return invalid("cpu-kv", c.CPUKVBytes, "bytes of CPU memory for swapped KV: 0 (no limit) up to 1 PB")
	}
	if c.CPUCacheBytes < 0 || c.CPUCacheBytes > 1e15 {
		return invalid("cpu-cache-gb", c.CPUCacheBytes, "bytes of CPU memory for cached prefix blocks: 0 (none) up to 1 PB")
	}
	if b := c.BatcherInfo(); c.CPUCacheBytes > 0 && (!b.Budgeted || b.Static) {
		return &ConfigError{Field: "cpu-cache-gb", Valid: fmt.Sprintf("a CPU tier for cached blocks needs the continuous batcher, whose copies queue on the host link while others run (add -timing roofline or -batcher continuous); this run uses the %s batcher", b.Name)}
	}
	if c.CPUCacheBytes > 0 && c.NoPrefixCaching {
		return &ConfigError{Field: "cpu-cache-gb", Valid: "a CPU tier for cached blocks needs prefix caching on"}
	}
	if c.MaxRunning < 1 || c.MaxRunning > MaxRunningLimit {
		return invalid("max-running", c.MaxRunning, fmt.Sprintf("requests per iteration, 1..%d (vLLM's default is %d)", MaxRunningLimit, DefaultMaxRunning))
	}
	if c.MaxBatchTokens < c.MaxRunning || c.MaxBatchTokens > MaxBatchTokensLimit {
		return invalid("max-batch-tokens", c.MaxBatchTokens, fmt.Sprintf("tokens per iteration, from max-running (%d) to %d, so every running request can decode (vLLM's default is %d)",
			c.MaxRunning, MaxBatchTokensLimit, DefaultMaxBatchTokens))
	}
	for _, cl := range Classes {
		s := c.SLO[cl]
		if s.TTFT < 0 || s.TBT < 0 || s.TTFT > MaxArrival || s.TBT > MaxArrival {
			return invalid(cl.String()+" SLO", s, "targets must be 0 (none) or positive durations")
		}
	}
	return nil
}
