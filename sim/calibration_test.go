package sim

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The calibration round: public measurements of serving engines, each
// predicted by the roofline model for the same GPU, model, precision,
// tensor parallelism and shape. A prediction must land within ±15 % of the
// measurement unless the case says why it cannot. The README's fidelity
// table is this table, and the test checks that it is current: go test
// ./sim -run Calibration -calibration-table -v prints its rows.

var calibrationTable = flag.Bool("calibration-table", false, "print the calibration table as Markdown")

// calibrationMetric is what a measurement measured.
type calibrationMetric uint8

const (
	measuredTTFT       calibrationMetric = iota // ms to the first token of a lone request
	measuredTPOT                                // ms per output token after the first, lone request
	measuredThroughput                          // output tokens per second of a static batch, all GPUs together
)

type calibrationCase struct {
	source                string // key into calibrationSources
	what                  string // the row or field the number comes from
	gpu, model, precision string
	tp, batch, input, out int
	metric                calibrationMetric
	measured              float64
	explained             string // why a miss beyond ±15 % is expected, or ""
}

// calibrationRefs numbers the sources as the README cites them.
var calibrationRefs = map[string]int{"vllm": 1, "trt09": 2, "nim": 3}

var calibrationSources = map[string]string{
	"trt09": "TensorRT-LLM 0.9.0 `docs/source/performance.md` (NVIDIA/TensorRT-LLM, tag v0.9.0): gptSessionBenchmark, static batching, no server; FP8 rows use FP8 weights, activations and KV cache",
	"nim":   "NVIDIA NIM benchmarking guide 1.0.0, \"Performance\", Llama-3.3-70b-instruct 1.8.0 on 2 × H100 80G, fp8 TP2 (docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance): measured at the client, through the HTTP server",
	"vllm":  "vLLM, Llama 3.1 8B BF16 on one H100 SXM, one request: about 6.5 ms per output token (TPOT p50), the model's calibration point (shared/reference/specs.md)",
}

// Llama 2 7B and 70B rows are predicted with Llama 3 8B and 70B: the 70B
// models share their shape; the 7B rows are not used (Llama 2 7B has a
// different attention layout), Mistral 7B's are.
var calibrationCases = []calibrationCase{
	{source: "vllm", what: "TPOT p50, one request", gpu: "h100", model: "llama3-8b", precision: "fp16", tp: 1, batch: 1, input: 512, out: 128, metric: measuredTPOT, measured: 6.5},

	{source: "trt09", what: "H100 FP8, 1st token latency, Mistral 7B, 128 tokens", gpu: "h100", model: "mistral-7b", precision: "fp8", tp: 1, batch: 1, input: 128, out: 1, metric: measuredTTFT, measured: 6.5},
	{source: "trt09", what: "H100 FP8, 1st token latency, Mistral 7B, 2048 tokens", gpu: "h100", model: "mistral-7b", precision: "fp8", tp: 1, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 32.4},
	{source: "trt09", what: "H200 FP8, 1st token latency, Mistral 7B, 128 tokens", gpu: "h200", model: "mistral-7b", precision: "fp8", tp: 1, batch: 1, input: 128, out: 1, metric: measuredTTFT, measured: 5.9},
	{source: "trt09", what: "H200 FP8, 1st token latency, Mistral 7B, 2048 tokens", gpu: "h200", model: "mistral-7b", precision: "fp8", tp: 1, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 31.7},
	{source: "trt09", what: "A100 FP16, 1st token latency, Mistral 7B, 128 tokens", gpu: "a100", model: "mistral-7b", precision: "fp16", tp: 1, batch: 1, input: 128, out: 1, metric: measuredTTFT, measured: 16.3},
	{source: "trt09", what: "A100 FP16, 1st token latency, Mistral 7B, 2048 tokens", gpu: "a100", model: "mistral-7b", precision: "fp16", tp: 1, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 139.6},
	{source: "trt09", what: "H100 FP8, 1st token latency, Mixtral 8x7B TP2, 2048 tokens", gpu: "h100", model: "mixtral-8x7b", precision: "fp8", tp: 2, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 89.5,
		explained: "that release's Mixtral ran no faster on the H100 at FP8 than on the H200 (87.7 ms) and only 1.8× its A100 FP16 time, with 6.3× the peak: its expert layers did not run at Hopper's FP8 rate, which the model assumes"},
	{source: "trt09", what: "A100 FP16, 1st token latency, Mixtral 8x7B TP2, 2048 tokens", gpu: "a100", model: "mixtral-8x7b", precision: "fp16", tp: 2, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 160.9,
		explained: "a mixture of experts multiplies many small matrices (each expert sees a quarter of the tokens), below the dense rate the model gives every layer"},
	{source: "trt09", what: "H100 FP8, 1st token latency, LLaMA 70B TP4, 128 tokens", gpu: "h100", model: "llama3-70b", precision: "fp8", tp: 4, batch: 1, input: 128, out: 1, metric: measuredTTFT, measured: 19.6},
	{source: "trt09", what: "H200 FP8, 1st token latency, LLaMA 70B TP4, 2048 tokens", gpu: "h200", model: "llama3-70b", precision: "fp8", tp: 4, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 103.0},
	{source: "trt09", what: "A100 FP16, 1st token latency, LLaMA 70B TP8, 2048 tokens", gpu: "a100", model: "llama3-70b", precision: "fp16", tp: 8, batch: 1, input: 2048, out: 1, metric: measuredTTFT, measured: 249.2,
		explained: "over eight GPUs each matrix multiply is an eighth as wide; the model's efficiency follows the tokens per iteration, not the width each GPU gets"},

	{source: "trt09", what: "H100 FP8, peak throughput, Mistral 7B, batch 120, 128 in, 2048 out: 8,623 tok/s/GPU", gpu: "h100", model: "mistral-7b", precision: "fp8", tp: 1, batch: 120, input: 128, out: 2048, metric: measuredThroughput, measured: 8623},
	{source: "trt09", what: "H200 FP8, peak throughput, Mistral 7B, batch 120, 128 in, 2048 out: 8,950 tok/s/GPU", gpu: "h200", model: "mistral-7b", precision: "fp8", tp: 1, batch: 120, input: 128, out: 2048, metric: measuredThroughput, measured: 8950,
		explained: "the H200's 43 % more bandwidth bought 4 % over the H100 in this measurement: the step is bound by something outside the model, which credits the bandwidth"},
	{source: "trt09", what: "A100 FP16, peak throughput, Mistral 7B, batch 120, 128 in, 2048 out: 3,776 tok/s/GPU", gpu: "a100", model: "mistral-7b", precision: "fp16", tp: 1, batch: 120, input: 128, out: 2048, metric: measuredThroughput, measured: 3776},
	{source: "trt09", what: "A100 FP16, peak throughput, Mistral 7B, batch 56, 2048 in, 2048 out: 1,576 tok/s/GPU", gpu: "a100", model: "mistral-7b", precision: "fp16", tp: 1, batch: 56, input: 2048, out: 2048, metric: measuredThroughput, measured: 1576},
	{source: "trt09", what: "H100 FP8, peak throughput, Mixtral 8x7B TP2, batch 32, 2048 in, 2048 out: 1,317 tok/s/GPU", gpu: "h100", model: "mixtral-8x7b", precision: "fp8", tp: 2, batch: 32, input: 2048, out: 2048, metric: measuredThroughput, measured: 2 * 1317,
		explained: "the measured engine kept its KV cache in FP8, half the bytes the model reads (its KV cache is FP16 at every precision), and Mixtral's experts are slower than dense layers (above)"},
	{source: "trt09", what: "A100 FP16, peak throughput, Mistral 7B, batch 64, 2048 in, 128 out: 698 tok/s/GPU (131,072 prompt tokens in one prefill)", gpu: "a100", model: "mistral-7b", precision: "fp16", tp: 1, batch: 64, input: 2048, out: 128, metric: measuredThroughput, measured: 698},
	{source: "trt09", what: "H100 FP8, peak throughput, Mistral 7B, batch 84, 2048 in, 128 out: 2,405 tok/s/GPU (172,032 prompt tokens in one prefill)", gpu: "h100", model: "mistral-7b", precision: "fp8", tp: 1, batch: 84, input: 2048, out: 128, metric: measuredThroughput, measured: 2405},

	{source: "nim", what: "5000 in / 500 out, concurrency 1: TTFT 406.77 ms", gpu: "h100", model: "llama3-70b", precision: "fp8", tp: 2, batch: 1, input: 5000, out: 1, metric: measuredTTFT, measured: 406.77},
	{source: "nim", what: "500 in / 2000 out, concurrency 1: ITL 18.91 ms", gpu: "h100", model: "llama3-70b", precision: "fp8", tp: 2, batch: 1, input: 500, out: 2000, metric: measuredTPOT, measured: 18.91,
		explained: "measured at the client, through NIM's HTTP streaming: time between tokens the engine's iterations do not see"},
}

// predict runs the case on the roofline model: a static batch arriving at
// once, prefilled whole in one iteration as the measured engines do.
func (cc calibrationCase) predict(t *testing.T) float64 {
	t.Helper()
	c := rooflineConfig(t, cc.model, cc.gpu, cc.precision, cc.tp, cc.batch, cc.input, cc.out)
	c.WholePrompts = true
	c.MaxRunning = max(DefaultMaxRunning, cc.batch)
	c.MaxBatchTokens = min(max(DefaultMaxBatchTokens, cc.batch*cc.input), MaxBatchTokensLimit)
	c.CPUKVBytes = 0
	e, _ := runChecked(t, c, 10_000_000)
	s := e.Result().Summary
	if s.Completed != cc.batch || s.Preemptions > 0 {
		t.Fatalf("%s: %d of %d completed, %d preemptions: not the measured shape", cc.what, s.Completed, cc.batch, s.Preemptions)
	}
	switch cc.metric {
	case measuredTTFT:
		return s.TTFT.Mean
	case measuredTPOT:
		return s.TBT.Mean
	}
	return s.Throughput
}

func (m calibrationMetric) unit() string {
	switch m {
	case measuredTTFT:
		return "ms TTFT"
	case measuredTPOT:
		return "ms TPOT"
	}
	return "tok/s"
}

// groupDigits4 writes a figure to four significant digits, thousands
// grouped.
func groupDigits4(v float64) string {
	if v >= 1000 {
		return groupDigits(int(math.Round(v)))
	}
	return fmt.Sprintf("%.4g", v)
}

func TestCalibration(t *testing.T) {
	gpus := map[string]bool{}
	var decode1, decode64, prefill128, prefill8k, tp70, fp8 bool
	var rows []string
	for _, cc := range calibrationCases {
		got := cc.predict(t)
		off := (got - cc.measured) / cc.measured
		gpus[cc.gpu] = true
		decode1 = decode1 || (cc.batch == 1 && cc.metric == measuredTPOT)
		decode64 = decode64 || (cc.batch >= 64 && cc.out > cc.input)
		prefill128 = prefill128 || (cc.input == 128 && cc.metric == measuredTTFT)
		prefill8k = prefill8k || cc.batch*cc.input >= 8192
		tp70 = tp70 || (cc.model == "llama3-70b" && cc.tp >= 2)
		fp8 = fp8 || cc.precision == "fp8"
		row := cc.row(got)
		rows = append(rows, row)
		if *calibrationTable {
			fmt.Println(row)
		}
		if math.Abs(off) > 0.15 && cc.explained == "" {
			t.Errorf("%s (%s): predicted %.4g %s, measured %.4g: %+.0f %%", cc.what, cc.source, got, cc.metric.unit(), cc.measured, 100*off)
		}
	}
	if len(calibrationCases) < 10 || len(gpus) < 3 {
		t.Fatalf("%d measurements on %d GPUs: the round needs at least 10 on 3", len(calibrationCases), len(gpus))
	}
	if !(decode1 && decode64 && prefill128 && prefill8k && tp70 && fp8) {
		t.Fatalf("coverage: decode at 1 %v and ≥64 %v, prefill of 128 %v and ≥8192 tokens %v, 70B at TP≥2 %v, FP8 %v",
			decode1, decode64, prefill128, prefill8k, tp70, fp8)
	}
	// The README shows the table as the model predicts it today.
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if !strings.Contains(string(readme), row+"\n") {
			t.Errorf("the README's fidelity table lacks this row (print them with -calibration-table -v):\n%s", row)
		}
	}
}

// row is the case's row in the README's fidelity table.
func (cc calibrationCase) row(got float64) string {
	g, _ := LookupGPU(cc.gpu)
	m, _ := LookupModel(cc.model)
	off := (got - cc.measured) / cc.measured
	return fmt.Sprintf("| %s | %s %s TP%d | %d × %d → %d | %s %s [%d] | %s | %+.0f %% | %s |",
		g.Name, m.Name, cc.precision, cc.tp, cc.batch, cc.input, cc.out, groupDigits4(cc.measured), cc.metric.unit(),
		calibrationRefs[cc.source], groupDigits4(got), 100*off, cc.explained)
}
