package sim

import (
	"errors"
	"strings"
	"testing"
)

func TestScenariosResolve(t *testing.T) {
	for _, sc := range Scenarios() {
		c := sc.Config()
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", sc.ID, err)
		}
		if sc.Title == "" || sc.Description == "" {
			t.Errorf("%s has no title or description", sc.ID)
		}
	}
	for _, id := range []string{"chatbot", "mixed", "docprocessing"} {
		if _, err := LookupScenario(id); err != nil {
			t.Error(err)
		}
	}
}

// Bad values give a ConfigError that names the field, the value and what is
// valid.
func TestConfigErrorsNameFieldValueAndValid(t *testing.T) {
	base, _ := ScenarioConfig("chatbot")
	cases := []struct {
		name   string
		mutate func(*Config) error
		want   []string
	}{
		{"model", func(c *Config) error { return c.SetModel("gpt5") }, []string{"model", `"gpt5"`, "llama3-8b"}},
		{"gpu", func(c *Config) error { return c.SetGPU("b200") }, []string{"gpu", `"b200"`, "h100"}},
		{"precision", func(c *Config) error { return c.SetPrecision("fp4") }, []string{"precision", "int4"}},
		{"scheduler", func(c *Config) error { c.Scheduler = "lifo"; return c.Validate() }, []string{"scheduler", "lifo", "mlfq"}},
		{"timing", func(c *Config) error { c.Timing = "magic"; return c.Validate() }, []string{"timing", "classic"}},
		{"block size", func(c *Config) error { c.BlockSize = 0; return c.Validate() }, []string{"block-size", "0", "16"}},
		{"requests", func(c *Config) error { c.Workload.Requests = -3; return c.Validate() }, []string{"requests", "-3"}},
		{"rate", func(c *Config) error { c.Workload.Rate = 0; return c.Validate() }, []string{"rate", "arrivals per second"}},
		{"share", func(c *Config) error { c.Workload.InteractiveShare = 1.5; return c.Validate() }, []string{"interactive-share", "1.5"}},
		{"pattern", func(c *Config) error { c.Workload.Pattern = "wave"; return c.Validate() }, []string{"pattern", "poisson"}},
		{"range", func(c *Config) error { c.Workload.Batch.Prompt = Between(500, 100); return c.Validate() }, []string{"batch prompt", "min <= max"}},
		{"empty trace", func(c *Config) error { c.Trace = []Spec{}; return c.Validate() }, []string{"trace", "no requests"}},
	}
	for _, tc := range cases {
		c := base
		err := tc.mutate(&c)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want a ConfigError", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not mention %q", tc.name, err, w)
			}
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: message is not one line: %q", tc.name, err)
		}
	}
}

// A model too large for the GPU names the sizes and what would fit.
func TestWeightsThatDoNotFitSayWhatWould(t *testing.T) {
	c, _ := ScenarioConfig("chatbot")
	_ = c.SetModel("llama3-70b")
	_ = c.SetPrecision("fp16")
	_, err := New(c)
	if err == nil {
		t.Fatal("Llama 3 70B at FP16 (141 GB) accepted on an 80 GB H100")
	}
	// 141.2 GB does not fit the 141 GB H200 either; the MI300X's 192 GB does.
	for _, w := range []string{"141.2 GB", "80 GB", "int4", "mi300x"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q does not mention %q", err, w)
		}
	}
	_ = c.SetModel("mixtral-8x7b")
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), "fp8 on this GPU") {
		t.Errorf("Mixtral FP16 on H100: %v", err)
	}
}

// The mixed scenario's KV capacity follows from its GPU and model (the
// per-token figures are checked in package hw).
func TestKVCapacity(t *testing.T) {
	c, _ := ScenarioConfig("mixed")
	// 25.6 GB - 8.03e9 × 2 B = 9.54 GB; / (16 × 131072) = 4549 blocks.
	if got := c.KVCapacityBlocks(); got != 4549 {
		t.Errorf("mixed: %d KV blocks, want 4549", got)
	}
}

// A model with a tiny KV cache on a huge GPU would need an absurd block map:
// a clear error, not an out-of-memory crash.
func TestTooManyBlocksIsAnError(t *testing.T) {
	c, _ := ScenarioConfig("chatbot")
	c.Model = Model{ID: "toy", Name: "Toy", Layers: 1, KVHeads: 1, HeadDim: 1, Params: 1e6}
	c.GPU.VRAM = 1e10
	c.BlockSize = 1
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "use larger blocks") {
		t.Fatalf("got %v", err)
	}
	c.GPU.PCIeBW = 1e15 // the per-tick byte count must not overflow
	c.BlockSize = MaxBlockSize
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if e.pcieBytesPerTick != 15e12 {
		t.Fatalf("bytes per tick %d", e.pcieBytesPerTick)
	}
}
