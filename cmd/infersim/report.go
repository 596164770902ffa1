package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

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
	Config  jsonConfig             `json:"config"`
	Summary sim.Summary            `json:"summary"`
	Classes map[string]sim.Summary `json:"classes"`
}

type jsonConfig struct {
	Scenario         string        `json:"scenario"`
	Model            jsonModel     `json:"model"`
	GPU              jsonGPU       `json:"gpu"`
	Precision        string        `json:"precision"`
	Scheduler        string        `json:"scheduler"`
	Timing           string        `json:"timing"`
	Seed             uint64        `json:"seed"`
	BlockSize        int           `json:"block_size"`
	TickMs           float64       `json:"tick_ms"`
	ChunkTokens      int           `json:"prefill_chunk_tokens"`
	WeightBytes      int64         `json:"weight_bytes"`
	KVCapacityBytes  int64         `json:"kv_capacity_bytes"`
	KVCapacityBlocks int           `json:"kv_capacity_blocks"`
	MaxTicks         int           `json:"max_ticks"`
	Workload         *jsonWorkload `json:"workload,omitempty"`
	Trace            *jsonTrace    `json:"trace,omitempty"`
}

type jsonModel struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	Params          float64 `json:"params"`
	KVBytesPerToken int64   `json:"kv_bytes_per_token"`
}

type jsonGPU struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	VRAMBytes  int64  `json:"vram_bytes"`
	PCIeBytesS int64  `json:"pcie_bytes_per_s"`
}

type jsonWorkload struct {
	Requests         int       `json:"requests"`
	InteractiveShare float64   `json:"interactive_share"`
	RatePerS         float64   `json:"rate_per_s"`
	Pattern          string    `json:"pattern"`
	Interactive      jsonShape `json:"interactive"`
	Batch            jsonShape `json:"batch"`
}

type jsonShape struct {
	Prompt [2]int `json:"prompt_tokens"`
	Output [2]int `json:"output_tokens"`
}

type jsonTrace struct {
	File     string `json:"file"`
	Requests int    `json:"requests"`
}

func shapeOf(s sim.Shape) jsonShape {
	return jsonShape{Prompt: [2]int{s.Prompt.Min, s.Prompt.Max}, Output: [2]int{s.Output.Min, s.Output.Max}}
}

func configJSON(c sim.Config) jsonConfig {
	j := jsonConfig{
		Scenario:         c.Scenario,
		Model:            jsonModel{ID: c.Model.ID, Name: c.Model.Name, Params: c.Model.Params, KVBytesPerToken: c.Model.KVBytesPerToken()},
		GPU:              jsonGPU{ID: c.GPU.ID, Name: c.GPU.Name, VRAMBytes: c.GPU.VRAM, PCIeBytesS: c.GPU.PCIeBW},
		Precision:        c.Precision.ID,
		Scheduler:        c.Scheduler,
		Timing:           c.Timing,
		Seed:             c.Seed,
		BlockSize:        c.BlockSize,
		TickMs:           float64(sim.ClassicTick.Milliseconds()),
		ChunkTokens:      sim.ClassicChunk,
		WeightBytes:      c.WeightBytes(),
		KVCapacityBytes:  c.KVCapacityBytes(),
		KVCapacityBlocks: c.KVCapacityBlocks(),
		MaxTicks:         c.MaxTicks,
	}
	if c.Trace != nil {
		j.Trace = &jsonTrace{File: c.TraceName, Requests: len(c.Trace)}
	} else {
		w := c.Workload
		j.Workload = &jsonWorkload{Requests: w.Requests, InteractiveShare: w.InteractiveShare, RatePerS: w.Rate,
			Pattern: w.Pattern, Interactive: shapeOf(w.Interactive), Batch: shapeOf(w.Batch)}
	}
	return j
}

func reportOf(eng *sim.Engine) jsonReport {
	res := eng.Result()
	rep := jsonReport{Config: configJSON(eng.Config()), Summary: res.Summary, Classes: map[string]sim.Summary{}}
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
	source := fmt.Sprintf("%d requests generated (%s arrivals at %.3g/s, %.0f%% interactive)",
		c.Workload.Requests, c.Workload.Pattern, c.Workload.Rate, c.Workload.InteractiveShare*100)
	if c.Trace != nil {
		source = fmt.Sprintf("%d requests from %s", len(c.Trace), c.TraceName)
	}
	fmt.Fprintf(w, "Scenario %s: %s at %s on %s, scheduling %s, timing %s, seed %d\n",
		c.Scenario, c.Model.Name, c.Precision.ID, c.GPU.Name, c.Scheduler, c.Timing, c.Seed)

	fmt.Fprintf(w, "Workload: %s\n", source)
	fmt.Fprintf(w, "VRAM: %s = %s weights + %s KV cache (%d blocks of %d tokens, %s per token)\n",
		sim.FormatBytes(c.GPU.VRAM), sim.FormatBytes(c.WeightBytes()), sim.FormatBytes(c.KVCapacityBytes()),
		c.KVCapacityBlocks(), c.BlockSize, sim.FormatKiB(c.Model.KVBytesPerToken()))
}

func writeTable(w io.Writer, eng *sim.Engine) error {
	res := eng.Result()
	writeHeader(w, eng.Config())
	fmt.Fprintf(w, "Ran %d ticks = %.2f s simulated\n\n", res.Summary.Ticks, res.Summary.SimMs/1000)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\treqs\tdone\trejected\tTTFT p50\tTTFT p99\tTBT p50\tE2E p50\tE2E p99\ttok/s\tevictions\tpeak KV\t")
	row := func(name string, s sim.Summary) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%.0f\t%d\t%.0f%%\t\n", name, s.Requests, s.Completed, s.Rejected,
			msec(s, s.TTFT.P50), msec(s, s.TTFT.P99), msec(s, s.TBT.P50), msec(s, s.E2E.P50), msec(s, s.E2E.P99),
			s.Throughput, s.Evictions, s.PeakKVUtilization*100)
	}
	row("all", res.Summary)
	for _, cl := range sim.Classes {
		row(cl.String(), res.Classes[cl])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTimes are simulated; percentiles are nearest-rank over completed requests.")
	return nil
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
