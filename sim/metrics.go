package sim

import (
	"math"
	"slices"
	"time"
)

// Dist summarizes a distribution in milliseconds.
type Dist struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
}

// Percentiles use the nearest-rank method: the p-th percentile of n sorted
// values is the value at rank ceil(p/100 × n). It is always one of the
// observed values, so a p99 is a latency some request really had.
func distOf(ms []float64) Dist {
	if len(ms) == 0 {
		return Dist{}
	}
	slices.Sort(ms)
	sum := 0.0
	for _, v := range ms {
		sum += v
	}
	return Dist{Mean: sum / float64(len(ms)), P50: rank(ms, 50), P90: rank(ms, 90), P95: rank(ms, 95), P99: rank(ms, 99)}
}

func rank(sorted []float64, p int) float64 {
	k := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(k, 1)-1]
}

// Summary aggregates a set of requests (all of them, or one class).
type Summary struct {
	Requests  int `json:"requests"`
	Completed int `json:"completed"`
	Rejected  int `json:"rejected"`
	// Unfinished counts requests neither completed nor rejected when a run
	// was stopped early by MaxTicks.
	Unfinished int     `json:"unfinished"`
	Ticks      int     `json:"ticks"`
	SimMs      float64 `json:"sim_ms"`
	TTFT       Dist    `json:"ttft_ms"`
	TBT        Dist    `json:"tbt_ms"`
	E2E        Dist    `json:"e2e_ms"`
	QueueWait  Dist    `json:"queue_wait_ms"`
	// Throughput is output tokens of the summarized requests per simulated
	// second of the whole run.
	Throughput   float64 `json:"throughput_tok_s"`
	OutputTokens int     `json:"output_tokens"`
	// Preemptions counts every time a request lost its place in VRAM:
	// Evictions by a swap to CPU memory, Drops by dropping its KV to
	// recompute it (RecomputedTokens counts the tokens prefilled again).
	Preemptions      int `json:"preemptions"`
	Evictions        int `json:"evictions"`
	Drops            int `json:"drops"`
	RecomputedTokens int `json:"recomputed_tokens"`
	// LinkBytes is the KV moved over the host link, both ways; SwappedMs
	// the time requests spent swapped out, of which TransferWaitMs waiting
	// for their copies.
	LinkBytes         int64   `json:"link_bytes"`
	SwappedMs         float64 `json:"swapped_ms"`
	TransferWaitMs    float64 `json:"transfer_wait_ms"`
	PeakKVUtilization float64 `json:"peak_kv_utilization"`
	// SLOAttainment is the fraction of requests that completed within
	// their class's TTFT and TBT targets; Goodput those requests per
	// simulated second.
	SLOMet        int     `json:"slo_met"`
	SLOAttainment float64 `json:"slo_attainment"`
	Goodput       float64 `json:"goodput_req_s"`
	// CachedPromptTokens are the prompt tokens taken from the prefix
	// cache instead of prefilled, and CacheHitRate their share of the
	// prompt tokens of the requests that have started (both absent when
	// nothing was cached).
	CachedPromptTokens int     `json:"cached_prompt_tokens,omitempty"`
	CacheHitRate       float64 `json:"cache_hit_rate,omitempty"`
	// CPUCacheHits counts the requests whose cached prefix, or part of it,
	// came back from the CPU tier, and CPUCachedTokens those tokens (of
	// CachedPromptTokens); both absent when none did.
	CPUCacheHits    int `json:"cpu_cache_hits,omitempty"`
	CPUCachedTokens int `json:"cpu_cached_tokens,omitempty"`
	// CPUCacheStoreBytes is the KV of idle cached blocks copied to the CPU
	// tier, in the summary of the whole run only: a block is no class's.
	CPUCacheStoreBytes int64 `json:"cpu_cache_store_bytes,omitempty"`
	// Disaggregated serving: HandedOff counts a prefill replica's requests
	// whose KV went to a decode replica (they finish there, and a cluster's
	// summary counts them there only); KVTransferBytes is the KV sent
	// between them, and KVTransfer each request's time from its prompt's end
	// to the last byte landing. All absent when nothing was sent.
	HandedOff       int   `json:"handed_off,omitempty"`
	KVTransferBytes int64 `json:"kv_transfer_bytes,omitempty"`
	KVTransfer      Dist  `json:"kv_transfer_ms,omitzero"`
}

// Result is the outcome of a run: the whole and each class.
type Result struct {
	Summary    Summary
	Classes    map[Class]Summary
	Iterations IterationStats
}

// IterationStats says what bounded the run's iterations and how long they
// took on average.
type IterationStats struct {
	Count        int     `json:"count"`
	ComputeBound int     `json:"compute_bound"`
	MemoryBound  int     `json:"memory_bound"`
	BusyMs       float64 `json:"busy_ms"`
	MeanMs       float64 `json:"mean_ms"`
}

// RequestMetrics are one request's latencies in milliseconds; a value is
// NaN when the event has not happened.
type RequestMetrics struct {
	QueueWait, TTFT, TBT, E2E, Swapped float64
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Metrics computes a request's latencies. TTFT runs from the start of the
// tick the request joined to the end of the tick its first token came out;
// TBT spreads the time from first token to completion over the gaps between
// tokens; E2E runs from joining to completion.
func (r Request) Metrics() RequestMetrics {
	m := RequestMetrics{QueueWait: math.NaN(), TTFT: math.NaN(), TBT: math.NaN(), E2E: math.NaN(), Swapped: ms(r.SwappedFor)}
	if r.PrefillStartTick > 0 {
		m.QueueWait = ms(r.PrefillStartAt - r.JoinedAt)
	}
	if r.FirstTokenTick > 0 {
		m.TTFT = ms(r.FirstTokenAt - r.JoinedAt)
	}
	if r.CompletionTick > 0 {
		m.TBT = ms(r.CompletedAt-r.FirstTokenAt) / float64(max(1, r.Output-1))
		m.E2E = ms(r.CompletedAt - r.JoinedAt)
	}
	return m
}

// Result summarizes the run so far, overall and per class.
func (e *Engine) Result() Result {
	return resultOf([]*Engine{e}, func(*Request) bool { return true })
}

// ClusterResult summarizes several engines serving one traffic between
// them (replicas behind a router) as one run: every request of every
// engine, over the longest of their clocks. A request a prefill replica
// sends to a decode replica counts once, on the decode replica, where it
// finishes. The peak KV utilization is the highest any one of them
// reached: the replica closest to full.
func ClusterResult(engines []*Engine) Result {
	if len(engines) == 0 {
		return Result{Classes: map[Class]Summary{}}
	}
	return resultOf(engines, func(r *Request) bool { return r.State != Sent && r.State != Sending })
}

// resultOf is Result over one engine or several, of the requests that
// base selects.
func resultOf(engines []*Engine, base func(*Request) bool) Result {
	res := Result{Summary: summarize(engines, base, func(e *Engine) (int, int) { return e.stats.peakHeld, e.src.left() }), Classes: map[Class]Summary{}}
	for _, c := range Classes {
		res.Classes[c] = summarize(engines, func(r *Request) bool { return r.Class == c && base(r) },
			func(e *Engine) (int, int) { return e.stats.peakByClass[c], e.src.leftOf(c) })
	}
	var n [3]int
	var busy time.Duration
	for _, e := range engines {
		res.Summary.CPUCacheStoreBytes += e.stats.CacheStoreBytes
		for b, k := range e.stats.Iterations {
			n[b] += k
		}
		busy += e.stats.Busy
	}
	res.Iterations = IterationStats{Count: n[BoundFixed] + n[BoundCompute] + n[BoundMemory],
		ComputeBound: n[BoundCompute], MemoryBound: n[BoundMemory], BusyMs: ms(busy)}
	if res.Iterations.Count > 0 {
		res.Iterations.MeanMs = res.Iterations.BusyMs / float64(res.Iterations.Count)
	}
	return res
}

// summarize covers the requests of the engines that in selects, and the
// requests still to come of their own workloads (unfinished, of course);
// peaks gives an engine's peak KV blocks held and its unsent requests, as
// in selects them.
func summarize(engines []*Engine, in func(*Request) bool, peaks func(e *Engine) (peak, unsent int)) Summary {
	var s Summary
	var ttft, tbt, e2e, wait, kv []float64
	started := 0 // prompt tokens of the requests that have started
	peakUtil := 0.0
	now := time.Duration(0)
	for _, e := range engines {
		peak, unsent := peaks(e)
		s.Ticks = max(s.Ticks, e.tick)
		now = max(now, e.now)
		s.Requests += unsent
		s.Unfinished += unsent
		if e.capacity > 0 {
			peakUtil = max(peakUtil, float64(peak)/float64(e.capacity))
		}
		for i := range e.reqs {
			r := &e.reqs[i]
			if !in(r) {
				continue
			}
			s.Requests++
			s.OutputTokens += r.Decoded
			s.Evictions += r.Evictions
			s.Drops += r.Drops
			s.RecomputedTokens += r.RecomputedTokens
			s.LinkBytes += r.LinkBytes
			s.SwappedMs += ms(r.SwappedFor)
			s.TransferWaitMs += ms(r.TransferWait)
			if r.KVBytes > 0 {
				s.KVTransferBytes += r.KVBytes
				kv = append(kv, ms(r.KVWait))
			}
			// Queue wait and TTFT count as soon as they are known, so that a
			// run under way shows them for its first tokens; TBT and E2E
			// need the request done. At the end of a run every request
			// that is not rejected is done, and all four count the same ones.
			m := r.Metrics()
			if r.PrefillStartTick > 0 {
				wait = append(wait, m.QueueWait)
				started += r.Input
				s.CachedPromptTokens += r.CachedTokens
				s.CPUCachedTokens += r.CPUCachedTokens
				if r.CPUCachedTokens > 0 {
					s.CPUCacheHits++
				}
			}
			if r.FirstTokenTick > 0 {
				ttft = append(ttft, m.TTFT)
			}
			switch r.State {
			case Done:
				s.Completed++
				tbt, e2e = append(tbt, m.TBT), append(e2e, m.E2E)
				if e.cfg.SLO[r.Class].Met(m) {
					s.SLOMet++
				}
			case Rejected:
				s.Rejected++
			case Sent:
				s.HandedOff++
			default:
				s.Unfinished++
			}
		}
	}
	s.SimMs = ms(now)
	s.TTFT, s.TBT, s.E2E, s.QueueWait = distOf(ttft), distOf(tbt), distOf(e2e), distOf(wait)
	s.KVTransfer = distOf(kv)
	s.Preemptions = s.Evictions + s.Drops
	if s.Requests > 0 {
		s.SLOAttainment = float64(s.SLOMet) / float64(s.Requests)
	}
	if now > 0 {
		s.Throughput = float64(s.OutputTokens) / now.Seconds()
		s.Goodput = float64(s.SLOMet) / now.Seconds()
	}
	s.PeakKVUtilization = peakUtil
	if started > 0 {
		s.CacheHitRate = float64(s.CachedPromptTokens) / float64(started)
	}
	return s
}
