package sim

// GPU describes one accelerator: its memory, its peak throughput and the
// host link that KV cache is swapped over.
type GPU struct {
	ID   string
	Name string
	// VRAM is the device memory in bytes (decimal GB, as on spec sheets).
	VRAM int64
	// FP16FLOPS and FP8FLOPS are dense peak FLOP/s; FP8FLOPS is 0 where the
	// GPU has no FP8 tensor cores.
	FP16FLOPS float64
	FP8FLOPS  float64
	// MemBW is the HBM/GDDR bandwidth in bytes per second.
	MemBW float64
	// PCIeBW is the practical one-way host-link bandwidth in bytes per
	// second: a KV copy to CPU memory moves in one direction only, so the
	// bidirectional total on marketing pages would double-count.
	PCIeBW int64
	Link   string
	Source string
}

// Practical one-way PCIe rates: Gen4 x16 is 32 GB/s raw and about 25 GB/s in
// practice; Gen5 x16 is 64 GB/s raw and about 50–55 GB/s in practice
// (shared/reference/specs.md). We take the low end of the practical range.
const (
	pcie4 = 25 * GB
	pcie5 = 50 * GB
)

// GPU presets from vendor datasheets: NVIDIA A100, H100, H200 and L4
// datasheets, the NVIDIA Ada Lovelace whitepaper (RTX 4090) and the AMD
// Instinct MI300X datasheet, as collected in shared/reference/specs.md.
var gpus = []GPU{
	{ID: "h100", Name: "H100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 3.35 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H100 datasheet"},
	{ID: "a100", Name: "A100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 312e12, MemBW: 2.039 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA A100 datasheet"},
	{ID: "h200", Name: "H200 SXM", VRAM: 141 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 4.8 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H200 datasheet"},
	{ID: "l4", Name: "L4", VRAM: 24 * GB, FP16FLOPS: 121e12, FP8FLOPS: 242e12, MemBW: 0.3 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA L4 datasheet"},
	{ID: "rtx4090", Name: "GeForce RTX 4090", VRAM: 24 * GB, FP16FLOPS: 165e12, FP8FLOPS: 330e12, MemBW: 1.008 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA Ada Lovelace whitepaper"},
	{ID: "mi300x", Name: "Instinct MI300X", VRAM: 192 * GB, FP16FLOPS: 1307e12, FP8FLOPS: 2615e12, MemBW: 5.3 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "AMD Instinct MI300X datasheet"},
	// A teaching GPU: an H100 with its memory cut to 25.6 GB, so that an 8B
	// model at FP16 (16 GB of weights) leaves under 10 GB for KV cache and
	// memory pressure shows up with a few dozen requests.
	{ID: "constrained", Name: "Constrained (H100 compute, 25.6 GB)", VRAM: 25.6 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12,
		MemBW: 3.35 * TB, PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "teaching preset derived from the H100"},
}

var gpuCatalog = catalog[GPU]{field: "gpu", items: gpus, id: func(g GPU) string { return g.ID }}

// GPUs returns every GPU preset, sorted by ID.
func GPUs() []GPU { return gpuCatalog.all() }

// LookupGPU finds a GPU preset by ID.
func LookupGPU(id string) (GPU, error) { return gpuCatalog.lookup(id) }
