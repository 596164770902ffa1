package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"inferplay/sim"
)

func writeReport(w io.Writer, format string, eng *sim.Engine) error {
	if format == "json" {
		return writeJSON(w, eng)
	}
	return writeTable(w, eng)
}

// The JSON document is a public interface: keep field names stable and
// document changes in the README.
type jsonReport struct {
	Config     jsonConfig             `json:"config"`
	Summary    sim.Summary            `json:"summary"`
	Classes    map[string]sim.Summary `json:"classes"`
	Iterations sim.IterationStats     `json:"iterations"`
}

type jsonConfig struct {
	Scenario         string        `json:"scenario"`
	Model            jsonModel     `json:"model"`
	GPU              jsonGPU       `json:"gpu"`
	Precision        string        `json:"precision"`
	Scheduler        string        `json:"scheduler"`
	Timing           string        `json:"timing"`
	Batcher          string        `json:"batcher"`
	Seed             uint64        `json:"seed"`
	BlockSize        int           `json:"block_size"`
	TickMs           float64       `json:"tick_ms,omitempty"`
	ChunkTokens      int           `json:"prefill_chunk_tokens,omitempty"`
	Batching         *jsonBatching `json:"batching,omitempty"`
	TP               int           `json:"tp"`
	Preemption       string        `json:"preemption"`
	CPUKVBytes       int64         `json:"cpu_kv_bytes"`
	PrefixCaching    bool          `json:"prefix_caching"`
	CPUCacheBytes    int64         `json:"cpu_cache_bytes,omitempty"`
	SLO              jsonSLOs      `json:"slo"`
	WeightBytes      int64         `json:"weight_bytes"`
	KVCapacityBytes  int64         `json:"kv_capacity_bytes"`
	KVCapacityBlocks int           `json:"kv_capacity_blocks"`
	MaxTicks         int           `json:"max_ticks"`
	Workload         *jsonWorkload `json:"workload,omitempty"`
	Trace            *jsonTrace    `json:"trace,omitempty"`
}

// jsonBatching is the continuous batcher's limits.
type jsonBatching struct {
	MaxBatchTokens int  `json:"max_batch_tokens"`
	MaxRunning     int  `json:"max_running"`
	ChunkedPrefill bool `json:"chunked_prefill"`
}

type jsonSLO struct {
	TTFTMs float64 `json:"ttft_ms"`
	TBTMs  float64 `json:"tbt_ms"`
}

type jsonSLOs struct {
	Interactive jsonSLO `json:"interactive"`
	Batch       jsonSLO `json:"batch"`
}

func sloJSON(s sim.SLO) jsonSLO {
	return jsonSLO{TTFTMs: float64(s.TTFT) / float64(time.Millisecond), TBTMs: float64(s.TBT) / float64(time.Millisecond)}
}

type jsonModel struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	Params          float64 `json:"params"`
	KVBytesPerToken int64   `json:"kv_bytes_per_token"`
}

type jsonGPU struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	VRAMBytes  int64   `json:"vram_bytes"`
	PCIeBytesS int64   `json:"pcie_bytes_per_s"`
	FP16FLOPS  float64 `json:"fp16_flops"`
	FP8FLOPS   float64 `json:"fp8_flops"`
	MemBytesS  float64 `json:"mem_bytes_per_s"`
	MFU        float64 `json:"mfu"`
	MBU        float64 `json:"mbu"`
	KVMBU      float64 `json:"kv_mbu"`
	MFUHalf    float64 `json:"mfu_half_tokens"`
	OverheadMs float64 `json:"overhead_ms"`
	EagerMs    float64 `json:"eager_layer_ms"`
	P2PBytesS  float64 `json:"p2p_bytes_per_s"`
}

type jsonWorkload struct {
	Requests         int     `json:"requests"`
	InteractiveShare float64 `json:"interactive_share"`
	RatePerS         float64 `json:"rate_per_s"`
	Pattern          string  `json:"pattern"`
	ArrivalCV        float64 `json:"arrival_cv,omitempty"`
	Clients          int     `json:"clients,omitempty"`
	ThinkMs          float64 `json:"think_ms,omitempty"`
	Turns            int     `json:"turns,omitempty"`
	// SystemPrompts: how many, their tokens, and the share of requests
	// that start with one.
	SystemPrompts *jsonSystemPrompts `json:"system_prompts,omitempty"`
	Interactive   jsonShape          `json:"interactive"`
	Batch         jsonShape          `json:"batch"`
}

type jsonSystemPrompts struct {
	Count  int     `json:"count"`
	Tokens int     `json:"tokens"`
	Share  float64 `json:"share"`
}

// jsonShape gives each distribution's bounds and its full description, as
// the length flags and scenario files read it.
type jsonShape struct {
	Prompt     [2]int `json:"prompt_tokens"`
	Output     [2]int `json:"output_tokens"`
	PromptDist string `json:"prompt_dist"`
	OutputDist string `json:"output_dist"`
}

type jsonTrace struct {
	File     string `json:"file"`
	Requests int    `json:"requests"`
}

func shapeOf(s sim.Shape) jsonShape {
	return jsonShape{Prompt: [2]int{s.Prompt.Min, s.Prompt.Max}, Output: [2]int{s.Output.Min, s.Output.Max},
		PromptDist: s.Prompt.Spec(), OutputDist: s.Output.Spec()}
}

func configJSON(c sim.Config) jsonConfig {
	j := jsonConfig{
		Scenario: c.Scenario,
		Model:    jsonModel{ID: c.Model.ID, Name: c.Model.Name, Params: c.Model.Params, KVBytesPerToken: c.KVBytesPerToken()},
		GPU: jsonGPU{ID: c.GPU.ID, Name: c.GPU.Name, VRAMBytes: c.GPU.VRAM, PCIeBytesS: c.GPU.PCIeBW,
			FP16FLOPS: c.GPU.FP16FLOPS, FP8FLOPS: c.GPU.FP8FLOPS, MemBytesS: c.GPU.MemBW, MFU: c.GPU.MFU, MBU: c.GPU.MBU,
			KVMBU: c.GPU.KVMBU, MFUHalf: c.GPU.MFUHalf, EagerMs: float64(c.GPU.EagerLayerCost) / float64(time.Millisecond),
			OverheadMs: float64(c.GPU.Overhead) / float64(time.Millisecond), P2PBytesS: c.GPU.P2PBW},
		Precision:        c.Precision.ID,
		Scheduler:        c.Scheduler,
		Timing:           c.Timing,
		Batcher:          c.BatcherInfo().Name,
		Seed:             c.Seed,
		BlockSize:        c.BlockSize,
		TP:               c.GPUs(),
		Preemption:       c.Preemption,
		CPUKVBytes:       c.CPUKVBytes,
		PrefixCaching:    !c.NoPrefixCaching,
		CPUCacheBytes:    c.CPUCacheBytes,
		SLO:              jsonSLOs{Interactive: sloJSON(c.SLO[sim.Interactive]), Batch: sloJSON(c.SLO[sim.Batch])},
		WeightBytes:      c.WeightBytes(),
		KVCapacityBytes:  c.KVCapacityBytes(),
		KVCapacityBlocks: c.KVCapacityBlocks(),
		MaxTicks:         c.MaxTicks,
	}
	if c.BatcherInfo().Budgeted {
		j.Batching = &jsonBatching{MaxBatchTokens: c.MaxBatchTokens, MaxRunning: c.MaxRunning, ChunkedPrefill: !c.WholePrompts}
	} else {
		j.ChunkTokens = sim.ClassicChunk
	}
	if tim, _ := sim.LookupTiming(c.Timing); tim.Tick > 0 {
		j.TickMs = float64(tim.Tick) / float64(time.Millisecond)
	}
	if c.Trace != nil {
		j.Trace = &jsonTrace{File: c.TraceName, Requests: len(c.Trace)}
	} else {
		w := c.Workload
		j.Workload = &jsonWorkload{Requests: w.Requests, InteractiveShare: w.InteractiveShare, RatePerS: w.Rate,
			Pattern: w.Pattern, Interactive: shapeOf(w.Interactive), Batch: shapeOf(w.Batch)}
		if s := w.System; s.Share > 0 {
			j.Workload.SystemPrompts = &jsonSystemPrompts{s.Count, s.Tokens, s.Share}
		}
		if w.Turns > 1 {
			j.Workload.Turns = w.Turns
		}
		if w.Clients > 0 {
			j.Workload.Clients, j.Workload.ThinkMs = w.Clients, float64(w.ThinkTime)/float64(time.Millisecond)
			j.Workload.RatePerS, j.Workload.Pattern = 0, "closed-loop"
		} else if w.Pattern == sim.Gamma {
			j.Workload.ArrivalCV = w.EffectiveArrivalCV()
		}
	}
	return j
}

func reportOf(eng *sim.Engine) jsonReport { return reportOfResult(eng.Config(), eng.Result()) }

// reportOfResult is the JSON document of a run of cfg, of one engine or
// of a cluster.
func reportOfResult(cfg sim.Config, res sim.Result) jsonReport {
	rep := jsonReport{Config: configJSON(cfg), Summary: res.Summary, Classes: map[string]sim.Summary{}, Iterations: res.Iterations}
	for c, s := range res.Classes {
		rep.Classes[c.String()] = s
	}
	return rep
}

func writeJSON(w io.Writer, eng *sim.Engine) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(reportOf(eng))
}

// writeHeader describes the configuration above a table.
func writeHeader(w io.Writer, c sim.Config) {
	w0 := c.Workload
	arrivals := w0.Pattern
	if w0.Pattern == sim.Gamma {
		arrivals = fmt.Sprintf("gamma (CV %.3g)", w0.EffectiveArrivalCV())
	}
	source := fmt.Sprintf("%d requests generated (%s arrivals at %.3g/s, %.0f%% interactive)",
		w0.Requests, arrivals, w0.Rate, w0.InteractiveShare*100)
	if w0.Clients > 0 {
		source = fmt.Sprintf("%d requests from %d closed-loop clients (each thinks %s on average between an answer and its next request), %.0f%% interactive",
			w0.Requests, w0.Clients, w0.ThinkTime, w0.InteractiveShare*100)
	}
	var tokens []string
	for _, cl := range sim.Classes {
		share, sh := w0.InteractiveShare, w0.Interactive
		if cl == sim.Batch {
			share, sh = 1-share, w0.Batch
		}
		if share > 0 {
			tokens = append(tokens, fmt.Sprintf("%s prompts %s, answers %s", cl, sh.Prompt, sh.Output))
		}
	}
	source += "\nTokens: " + strings.Join(tokens, "; ")
	if w0.Turns > 1 {
		source += fmt.Sprintf("; conversations of %d turns, each resending the conversation so far", w0.Turns)
	}
	if sys := w0.System; sys.Share > 0 {
		which := fmt.Sprintf("one of %d system prompts of %d tokens (picked uniformly)", sys.Count, sys.Tokens)
		if sys.Count == 1 {
			which = fmt.Sprintf("one system prompt of %d tokens", sys.Tokens)
		}
		source += fmt.Sprintf("; %.0f%% of prompts start with %s, prefix caching %s",
			sys.Share*100, which, map[bool]string{false: "on", true: "off"}[c.NoPrefixCaching])
	}
	if c.Trace != nil {
		source = fmt.Sprintf("%d requests from %s", len(c.Trace), c.TraceName)
	}
	gpu := c.GPU.Name
	if c.GPUs() > 1 {
		gpu = fmt.Sprintf("%d× %s (tensor parallel over %s)", c.GPUs(), c.GPU.Name, c.GPU.P2PLink)
	}
	fmt.Fprintf(w, "Scenario %s: %s at %s on %s, scheduling %s, timing %s, seed %d\n",
		c.Scenario, c.Model.Name, c.Precision.ID, gpu, c.Scheduler, c.Timing, c.Seed)

	fmt.Fprintf(w, "Workload: %s\n", source)
	fmt.Fprintf(w, "VRAM: %s = %s weights + %s KV cache (%d blocks of %d tokens, %s per token)\n",
		sim.FormatBytes(c.VRAMBytes()), sim.FormatBytes(c.WeightBytes()), sim.FormatBytes(c.KVCapacityBytes()),
		c.KVCapacityBlocks(), c.BlockSize, sim.FormatKiB(c.KVBytesPerToken()))
	batch := fmt.Sprintf("serial, one %d-token prompt chunk per iteration", sim.ClassicChunk)
	if c.BatcherInfo().Budgeted {
		chunked := "chunked prefill"
		if c.WholePrompts {
			chunked = "whole prompts"
		}
		batch = fmt.Sprintf("continuous, up to %d tokens and %d requests per iteration, %s", c.MaxBatchTokens, c.MaxRunning, chunked)
	}
	cpu := "no limit"
	if c.CPUKVBytes > 0 {
		cpu = sim.FormatBytes(c.CPUKVBytes)
	}
	if c.CPUCacheBytes > 0 {
		cpu += fmt.Sprintf("; for cached prefix blocks VRAM gives up: %s", sim.FormatBytes(c.CPUCacheBytes))
	}
	fmt.Fprintf(w, "Batching: %s; preemption by %s (CPU memory for KV: %s)\n", batch, c.Preemption, cpu)
	fmt.Fprintf(w, "SLOs: interactive %s; batch %s\n", c.SLO[sim.Interactive], c.SLO[sim.Batch])
}

func writeTable(w io.Writer, eng *sim.Engine) error {
	writeHeader(w, eng.Config())
	if err := writeResult(w, eng.Result(), 1); err != nil {
		return err
	}
	fmt.Fprintln(w, footnote)
	return nil
}

// footnote ends a table.
const footnote = "\nTimes are simulated; percentiles are nearest-rank: TBT and E2E over completed requests, TTFT and queue wait over every request that got that far."

// writeResult writes the lines under a table's header and the table of a
// result, overall and per class: of one engine, or of replicas (whose
// iterations are counted together).
func writeResult(w io.Writer, res sim.Result, replicas int) error {
	it := res.Iterations
	if replicas > 1 {
		fmt.Fprintf(w, "Ran %.2f s simulated, %d iterations over %d replicas", res.Summary.SimMs/1000, it.Count, replicas)
	} else {
		fmt.Fprintf(w, "Ran %d ticks = %.2f s simulated", res.Summary.Ticks, res.Summary.SimMs/1000)
	}
	if it.ComputeBound+it.MemoryBound > 0 {
		fmt.Fprintf(w, "; iterations average %.2f ms, %d compute-bound, %d memory-bound",
			it.MeanMs, it.ComputeBound, it.MemoryBound)
	}
	fmt.Fprintln(w)
	if s := res.Summary; s.Preemptions > 0 {
		fmt.Fprintf(w, "Preemptions: %d swapped out, %d recomputed (%d tokens prefilled again); %s over the host link, %s waiting for copies\n",
			s.Evictions, s.Drops, s.RecomputedTokens, sim.FormatBytes(s.LinkBytes), latency(s.TransferWaitMs))
	}
	if s := res.Summary; s.CachedPromptTokens > 0 {
		fmt.Fprintf(w, "Prefix cache: %d prompt tokens (%.1f%% of those of the requests started) taken from cached KV instead of prefilled",
			s.CachedPromptTokens, s.CacheHitRate*100)
		if s.CPUCacheHits > 0 {
			fmt.Fprintf(w, "; %d of them copied back from CPU memory for %d requests (%s of idle cached KV copied there)",
				s.CPUCachedTokens, s.CPUCacheHits, sim.FormatBytes(s.CPUCacheStoreBytes))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\treqs\tdone\trejected\tTTFT p50\tTTFT p99\tTBT p50\tE2E p50\tE2E p99\ttok/s\tpreempted\tpeak KV\tin SLO\tgoodput\t")
	row := func(name string, s sim.Summary) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%.0f\t%d\t%.0f%%\t%.0f%%\t%.2f/s\t\n", name, s.Requests, s.Completed, s.Rejected,
			msec(s, s.TTFT.P50), msec(s, s.TTFT.P99), msec(s, s.TBT.P50), msec(s, s.E2E.P50), msec(s, s.E2E.P99),
			s.Throughput, s.Preemptions, s.PeakKVUtilization*100, s.SLOAttainment*100, s.Goodput)
	}
	row("all", res.Summary)
	for _, cl := range sim.Classes {
		row(cl.String(), res.Classes[cl])
	}
	return tw.Flush()
}

// msec prints a latency of the summarized requests, or a dash when none
// completed.
func msec(s sim.Summary, v float64) string {
	if s.Completed == 0 {
		return "–"
	}
	return latency(v)
}

// latency prints milliseconds compactly: ms below 10 s, seconds above.
func latency(v float64) string {
	if v >= 10000 {
		return fmt.Sprintf("%.1f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}
