package sim

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"inferplay/sim/hw"
)

// Config is everything a run depends on. Together with its seed it fixes the
// run completely.
type Config struct {
	Scenario  string // the scenario it started from, for reporting
	Model     Model
	GPU       GPU
	Precision Precision
	Scheduler string
	Timing    string
	// Batcher names how iterations are formed (serial, continuous or
	// static); empty means the timing model's usual one (see BatcherInfo).
	Batcher string
	// BlockSize is the number of tokens per KV block (16, as in vLLM, by
	// default). With 1 the classic model is reproduced token for token.
	BlockSize int
	Seed      uint64
	Workload  Workload
	// Trace, when not nil, replaces the generated workload.
	Trace     []Spec
	TraceName string
	// MaxTicks stops a run early when above 0; the result then says what
	// was left unfinished.
	MaxTicks int

	// TP is the number of GPUs the model is split across (tensor
	// parallelism): weights, KV cache, FLOPs and host links are shared out.
	TP int
	// MaxBatchTokens and MaxRunning bound one iteration of the continuous
	// batcher: tokens processed (a decode step counts one) and requests in
	// the batch. WholePrompts turns chunked prefill off, so a prompt runs in
	// one iteration. The serial batcher keeps its own fixed batch and
	// ignores them.
	MaxBatchTokens int
	MaxRunning     int
	WholePrompts   bool
	// NoPrefixCaching turns automatic prefix caching off (prefixcache.go):
	// requests of a prefix group then prefill their shared tokens each.
	NoPrefixCaching bool
	// Preemption is PreemptSwap or PreemptRecompute.
	Preemption string
	// CPUKVBytes caps the CPU memory that holds swapped KV (0: no limit).
	// When it is full, a victim is recomputed instead.
	CPUKVBytes int64
	// CPUCacheBytes is the CPU tier of the prefix cache (cputier.go): CPU
	// memory, apart from CPUKVBytes, that keeps cached blocks VRAM gave up
	// (0: none). Only the continuous batcher keeps one.
	CPUCacheBytes int64
	// SLO holds each class's latency targets, indexed by Class.
	SLO [2]SLO
}

// DefaultBlockSize is vLLM's default KV block size in tokens.
const DefaultBlockSize = 16

// MaxBlockSize keeps block arithmetic small and meaningful.
const MaxBlockSize = 4096

// MaxKVBlocks bounds the VRAM block map (64 MiB of owners). The largest
// preset, Qwen2.5 7B in 4 bits on an MI300X with 1-token blocks, needs 3.3
// million.
const MaxKVBlocks = 1 << 24

// Setters that resolve preset IDs. Each returns a ConfigError naming the
// field and the valid values.

func (c *Config) SetModel(id string) (err error) {
	c.Model, err = LookupModel(id)
	return err
}

func (c *Config) SetGPU(id string) (err error) {
	c.GPU, err = LookupGPU(id)
	return err
}

func (c *Config) SetPrecision(id string) (err error) {
	c.Precision, err = LookupPrecision(id)
	return err
}

// WeightBytes is the memory the model's weights take on all GPUs together.
func (c *Config) WeightBytes() int64 { return c.Model.WeightBytes(c.Precision) }

// GPUs is the number of GPUs serving the model (1 without tensor
// parallelism).
func (c *Config) GPUs() int { return max(1, c.TP) }

// VRAMBytes is the device memory of all the GPUs together.
func (c *Config) VRAMBytes() int64 { return int64(c.GPUs()) * c.GPU.VRAM }

// KVCapacityBytes is the VRAM left for KV cache once the weights are loaded.
func (c *Config) KVCapacityBytes() int64 { return c.VRAMBytes() - c.WeightBytes() }

// KVBytesPerToken is the KV cache one token takes on all GPUs together. Each
// GPU holds KVHeads/TP heads; with more GPUs than KV heads, heads are
// replicated, so the total grows.
func (c *Config) KVBytesPerToken() int64 {
	return c.Model.KVBytesPerToken() / int64(c.Model.KVHeads) * int64(max(c.Model.KVHeads, c.GPUs()))
}

// BlockBytes is the size of one KV block.
func (c *Config) BlockBytes() int64 { return int64(c.BlockSize) * c.KVBytesPerToken() }

// KVCapacityBlocks is how many whole KV blocks fit in VRAM next to the weights.
func (c *Config) KVCapacityBlocks() int {
	if c.BlockBytes() <= 0 || c.KVCapacityBytes() <= 0 {
		return 0
	}
	return int(c.KVCapacityBytes() / c.BlockBytes())
}

// Validate checks every field and returns the first problem as a
// ConfigError.
func (c *Config) Validate() error {
	if err := c.validateServer(); err != nil {
		return err
	}
	if c.Trace != nil {
		return validateTrace(c.Trace)
	}
	return c.Workload.Validate()
}

// validateServer checks everything but the workload: what an open engine,
// fed by Submit, needs.
func (c *Config) validateServer() error {
	m := c.Model
	if m.ID == "" {
		return &ConfigError{Field: "model", Valid: "not set (valid: " + strings.Join(hw.ModelCatalog.IDs(), ", ") + ")"}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"layers", m.Layers}, {"kv heads", m.KVHeads}, {"head dim", m.HeadDim}} {
		if f.v < 1 || f.v > 1<<16 {
			return invalid("model "+f.name, f.v, "must be 1..65536")
		}
	}
	if !(m.Params > 0 && m.Params < 1e15) {
		return invalid("model params", m.Params, "must be positive")
	}
	if c.GPU.ID == "" {
		return &ConfigError{Field: "gpu", Valid: "not set (valid: " + strings.Join(hw.GPUCatalog.IDs(), ", ") + ")"}
	}
	if c.GPU.VRAM <= 0 || c.GPU.VRAM > 1e15 {
		return invalid("gpu vram", c.GPU.VRAM, "must be positive bytes")
	}
	if c.GPU.PCIeBW <= 0 || c.GPU.PCIeBW > 1e15 {
		return invalid("gpu pcie bandwidth", c.GPU.PCIeBW, "must be positive bytes per second")
	}
	if c.Precision.BytesPerWeight <= 0 {
		return &ConfigError{Field: "precision", Valid: "not set (valid: " + strings.Join(hw.PrecisionCatalog.IDs(), ", ") + ")"}
	}
	if _, err := LookupPolicy(c.Scheduler); err != nil {
		return err
	}
	tim, err := LookupTiming(c.Timing)
	if err != nil {
		return err
	}
	if err := tim.Check(c); err != nil {
		return err
	}
	if c.Batcher != "" {
		if _, err := LookupBatcher(c.Batcher); err != nil {
			return err
		}
	}
	if c.BlockSize < 1 || c.BlockSize > MaxBlockSize {
		return invalid("block-size", c.BlockSize, fmt.Sprintf("tokens per KV block, must be 1..%d (vLLM uses 16)", MaxBlockSize))
	}
	if c.MaxTicks < 0 {
		return invalid("max-ticks", c.MaxTicks, "must be 0 (no limit) or a positive tick count")
	}
	if err := c.validateServing(); err != nil {
		return err
	}
	if err := c.checkFit(); err != nil {
		return err
	}
	if n := c.KVCapacityBlocks(); n > MaxKVBlocks {
		return invalid("block-size", c.BlockSize, fmt.Sprintf("VRAM would hold %d KV blocks of this size, more than the %d the simulator tracks; use larger blocks", n, MaxKVBlocks))
	}
	return nil
}

// checkFit makes sure the weights fit and leave room for KV cache, and
// otherwise says what would fit.
func (c *Config) checkFit() error {
	if c.KVCapacityBlocks() >= 1 {
		return nil
	}
	var fits []string
	for _, p := range hw.Precisions() {
		if p.ID != c.Precision.ID && c.Model.WeightBytes(p) < c.VRAMBytes() {
			fits = append(fits, p.ID+" on this GPU")
		}
	}
	for tp := c.GPUs() * 2; tp <= MaxTP; tp *= 2 {
		if c.WeightBytes() < int64(tp)*c.GPU.VRAM {
			fits = append(fits, fmt.Sprintf("tp %d (%s over %d GPUs)", tp, FormatBytes(int64(tp)*c.GPU.VRAM), tp))
			break
		}
	}
	for _, g := range GPUs() {
		if g.ID != c.GPU.ID && c.Model.WeightBytes(c.Precision) < int64(c.GPUs())*g.VRAM {
			fits = append(fits, fmt.Sprintf("%s (%s)", g.ID, FormatBytes(g.VRAM)))
		}
	}
	hint := "nothing smaller fits"
	if len(fits) > 0 {
		hint = "would fit: " + strings.Join(fits, ", ")
	}
	return &ConfigError{
		Field: "model",
		Value: fmt.Sprintf("%s at %s", c.Model.Name, c.Precision.ID),
		Valid: fmt.Sprintf("needs %s of weights, leaving no room for KV cache in the %s of %s; %s",
			FormatBytes(c.WeightBytes()), FormatBytes(c.VRAMBytes()), c.gpuName(), hint),
	}
}

// gpuName names the GPU, with the count under tensor parallelism.
func (c *Config) gpuName() string {
	if c.GPUs() > 1 {
		return fmt.Sprintf("%d× %s", c.GPUs(), c.GPU.Name)
	}
	return c.GPU.Name
}

func validateTrace(specs []Spec) error {
	if len(specs) == 0 {
		return &ConfigError{Field: "trace", Valid: "has no requests"}
	}
	if len(specs) > MaxRequests {
		return invalid("trace", fmt.Sprintf("%d requests", len(specs)), fmt.Sprintf("at most %d", MaxRequests))
	}
	for i, s := range specs {
		if s.Input < 1 || s.Input > MaxTokens || s.Output < 1 || s.Output > MaxTokens {
			return invalid(fmt.Sprintf("trace request %d tokens", i), fmt.Sprintf("%d in, %d out", s.Input, s.Output),
				fmt.Sprintf("each must be 1..%d", MaxTokens))
		}
		if s.Arrival < 0 || s.Arrival > MaxArrival {
			return invalid(fmt.Sprintf("trace request %d arrival", i), s.Arrival, "must be from 0 to about 31 years")
		}
		if s.Class != Interactive && s.Class != Batch {
			return invalid(fmt.Sprintf("trace request %d class", i), s.Class, "interactive or batch")
		}
	}
	return nil
}

// specs returns the run's requests sorted by arrival (stable, so equal
// arrivals keep their order).
func (c *Config) specs() ([]Spec, error) {
	if c.Trace != nil {
		out := slices.Clone(c.Trace)
		slices.SortStableFunc(out, func(a, b Spec) int { return cmp.Compare(a.Arrival, b.Arrival) })
		return out, nil
	}
	if c.Workload.Clients > 0 {
		return nil, nil // the clients send their requests as the run goes
	}
	return c.Workload.Generate(c.Seed)
}
