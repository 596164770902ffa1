package hw

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// The KV arithmetic matches the published figures.
func TestKVBytesPerToken(t *testing.T) {
	want := map[string]int64{"llama3-8b": 131072, "llama3-70b": 327680, "mistral-7b": 131072, "qwen2.5-7b": 57344, "mixtral-8x7b": 131072}
	for id, bytes := range want {
		m, err := LookupModel(id)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.KVBytesPerToken(); got != bytes {
			t.Errorf("%s: %d bytes per token, want %d", id, got, bytes)
		}
	}
}

// A mixture of experts reads its shared weights and the experts its tokens
// chose: one token reads k of E experts, many tokens nearly all of them,
// and the two parts add up to the whole model.
func TestExpertWeights(t *testing.T) {
	m, _ := LookupModel("mixtral-8x7b")
	p, _ := LookupPrecision("fp16")
	shared, experts := m.WeightsRead(p)
	if total := float64(m.WeightBytes(p)); math.Abs(shared+experts-total) > 1 {
		t.Fatalf("shared %g + experts %g != %g", shared, experts, total)
	}
	if got := m.ExpertShare(1); got != 0.25 {
		t.Fatalf("one token touches %g of the experts, want 0.25 (2 of 8)", got)
	}
	last := 0.0
	for _, n := range []int{1, 2, 8, 64, 4096} {
		s := m.ExpertShare(n)
		if s < last || s > 1 {
			t.Fatalf("%d tokens touch %g of the experts, after %g", n, s, last)
		}
		last = s
	}
	dense, _ := LookupModel("llama3-8b")
	if _, e := dense.WeightsRead(p); e != 0 || dense.ExpertShare(3) != 1 {
		t.Fatal("a dense model has no experts to skip")
	}
}

// Catalogs list their presets in ID order, and a lookup that fails names
// the field, the value and every valid one, on one line.
func TestCatalogs(t *testing.T) {
	ids := GPUCatalog.IDs()
	if !slices.IsSorted(ids) || len(ids) != len(GPUs()) {
		t.Fatalf("GPU IDs %v", ids)
	}
	_, err := LookupGPU("h1OO\nx")
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "gpu" || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "h100") {
		t.Fatalf("%v", err)
	}
}

func TestFormatBytes(t *testing.T) {
	for b, want := range map[int64]string{80e9: "80 GB", 9_540_000_000: "9.54 GB", 999: "999 B", 1_500_000: "1.5 MB", 123_456_000_000_000: "123.5 TB"} {
		if got := FormatBytes(b); got != want {
			t.Errorf("%d: %q, want %q", b, got, want)
		}
	}
}
