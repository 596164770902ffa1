package sim

import "time"

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

	// Efficiency: the share of peak that serving software reaches. MFU
	// applies to FLOPs (prefill-heavy iterations), MBU to bytes moved
	// (decode-heavy ones). Overhead is the fixed cost of one iteration
	// (scheduling, kernel launches, sampling) that no batch size hides.
	MFU      float64
	MBU      float64
	Overhead time.Duration
	// P2PBW is the one-way GPU-to-GPU bandwidth in bytes per second that a
	// tensor-parallel all-reduce runs over, P2PLink names the link, and
	// AllReduceLatency is the fixed cost of one small all-reduce.
	P2PBW            float64
	P2PLink          string
	AllReduceLatency time.Duration
}

// Practical one-way PCIe rates: Gen4 x16 is 32 GB/s raw and about 25 GB/s in
// practice; Gen5 x16 is 64 GB/s raw and about 50–55 GB/s in practice
// (shared/reference/specs.md). We take the low end of the practical range.
const (
	pcie4 = 25 * GB
	pcie5 = 50 * GB
)

// Efficiency defaults and their reasoning (README, "Roofline timing"):
//   - MBU: well-tuned decode kernels read weights and KV at 65–80 % of HBM
//     bandwidth. We take 0.78 on Hopper, which puts one Llama 3 8B BF16
//     request on an H100 at 6.5 ms per token, the vLLM measurement in
//     shared/reference/specs.md; 0.7 on the A100, which matches vLLM's
//     12.0 ms median per token for Llama 3 8B at about ten concurrent
//     requests (LambdaLabs vllm-benchmark results); 0.75 on the Ada cards,
//     between the two, for want of a measurement; 0.6 on the MI300X, whose
//     ROCm kernels lag in published comparisons.
//   - MFU: large prefill GEMMs reach 40–65 % of dense peak; we take 0.55 on
//     A100, which puts a 512-token prompt of a 7B model at 46 ms, as
//     Databricks measured for MPT-7B on an A100; 0.5 on Hopper and Ada
//     (harder to saturate at higher peaks); 0.4 on the MI300X.
//   - Overhead: 0.3 ms per iteration for the scheduler, launches and
//     sampling with CUDA graphs; 0.5 ms where software is less mature.
//   - P2P: NVLink 3 is 600 GB/s in total on an A100 SXM, so 300 GB/s each
//     way; NVLink 4 is 900 GB/s on H100/H200 SXM, so 450 each way; the
//     MI300X's seven Infinity Fabric links give 448 GB/s each way; GPUs
//     without NVLink all-reduce over PCIe. A small all-reduce costs about
//     6 µs over NVLink in NCCL's measurements on 2 H100s (NVIDIA/nccl issue
//     1259); we take 10 µs for 4–8 GPUs, and 25 µs over PCIe.
const (
	nvlink3   = 300 * GB
	nvlink4   = 450 * GB
	arNVLink  = 10 * time.Microsecond
	arPCIe    = 25 * time.Microsecond
	overhead  = 300 * time.Microsecond
	overhead2 = 500 * time.Microsecond
)

// GPU presets from vendor datasheets: NVIDIA A100, H100, H200 and L4
// datasheets, the NVIDIA Ada Lovelace whitepaper (RTX 4090) and the AMD
// Instinct MI300X datasheet, as collected in shared/reference/specs.md.
var gpus = []GPU{
	{ID: "h100", Name: "H100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 3.35 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H100 datasheet",
		MFU: 0.5, MBU: 0.78, Overhead: overhead, P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
	{ID: "a100", Name: "A100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 312e12, MemBW: 2.039 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA A100 datasheet",
		MFU: 0.55, MBU: 0.7, Overhead: overhead, P2PBW: nvlink3, P2PLink: "NVLink 3", AllReduceLatency: arNVLink},
	{ID: "h200", Name: "H200 SXM", VRAM: 141 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 4.8 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H200 datasheet",
		MFU: 0.5, MBU: 0.78, Overhead: overhead, P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
	{ID: "l4", Name: "L4", VRAM: 24 * GB, FP16FLOPS: 121e12, FP8FLOPS: 242e12, MemBW: 0.3 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA L4 datasheet",
		MFU: 0.5, MBU: 0.75, Overhead: overhead2, P2PBW: pcie4, P2PLink: "PCIe 4 x16", AllReduceLatency: arPCIe},
	{ID: "rtx4090", Name: "GeForce RTX 4090", VRAM: 24 * GB, FP16FLOPS: 165e12, FP8FLOPS: 330e12, MemBW: 1.008 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA Ada Lovelace whitepaper",
		MFU: 0.5, MBU: 0.75, Overhead: overhead2, P2PBW: pcie4, P2PLink: "PCIe 4 x16", AllReduceLatency: arPCIe},
	{ID: "mi300x", Name: "Instinct MI300X", VRAM: 192 * GB, FP16FLOPS: 1307e12, FP8FLOPS: 2615e12, MemBW: 5.3 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "AMD Instinct MI300X datasheet",
		MFU: 0.4, MBU: 0.6, Overhead: overhead2, P2PBW: 448 * GB, P2PLink: "Infinity Fabric", AllReduceLatency: arNVLink},
	// A teaching GPU: an H100 with its memory cut to 25.6 GB, so that an 8B
	// model at FP16 (16 GB of weights) leaves under 10 GB for KV cache and
	// memory pressure shows up with a few dozen requests.
	{ID: "constrained", Name: "Constrained (H100 compute, 25.6 GB)", VRAM: 25.6 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12,
		MemBW: 3.35 * TB, PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "teaching preset derived from the H100",
		MFU: 0.5, MBU: 0.78, Overhead: overhead, P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
}

var gpuCatalog = catalog[GPU]{field: "gpu", items: gpus, id: func(g GPU) string { return g.ID }}

// GPUs returns every GPU preset, sorted by ID.
func GPUs() []GPU { return gpuCatalog.all() }

// LookupGPU finds a GPU preset by ID.
func LookupGPU(id string) (GPU, error) { return gpuCatalog.lookup(id) }
