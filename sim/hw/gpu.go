package hw

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
	MFU float64
	MBU float64
	// KVMBU is the share of bandwidth at which attention reads the KV
	// cache: scattered, per request and per head, it streams slower than
	// the weights do.
	KVMBU    float64
	Overhead time.Duration
	// MFUHalf is the tokens per iteration at which the matrix units reach
	// half of MFU (MFU × n / (n + MFUHalf)); EagerLayerCost is the launch
	// cost per layer of an iteration that prefills, which runs kernel by
	// kernel rather than as a captured CUDA graph.
	MFUHalf        float64
	EagerLayerCost time.Duration
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
//   - MFU is the share of peak that the largest matrix multiplies reach;
//     an iteration of n new tokens reaches MFU × n / (n + 50). Fitted to
//     TensorRT-LLM 0.9's first-token latencies (README, "Fidelity"): on
//     the A100, 0.75, which puts Mistral 7B's 2,048-token prefill at
//     140 ms (measured 139.6) and the 131,072 prompt tokens of a batch of
//     64 in line with its measured throughput; on Hopper 0.6 (31–32 ms
//     for the same prefill at FP8, measured 31.7 and 32.4); 0.6 on Ada
//     and 0.48 on the MI300X, in the same proportion to the Hopper value
//     as before, for want of measurements. With half the rate at 50
//     tokens, a 128-token prompt runs at 72 % of MFU and a decode step at
//     one request at 2 %, where only the memory side matters.
//   - Eager layers: an iteration with prompt tokens runs kernel by kernel
//     (decode-only iterations replay CUDA graphs), about 0.1 ms per layer
//     on Hopper and 0.15 ms elsewhere. This is what makes a 128-token
//     prompt take 6.5 ms on an H100 (FP8) rather than the 3 ms its bytes
//     take: 32 layers × 0.107 ms, and 80 × for a 70B model (19.6 ms
//     measured over TP4).
//   - Overhead: 0.3 ms per iteration for the scheduler, launches and
//     sampling with CUDA graphs; 0.5 ms where software is less mature.
//   - P2P: NVLink 3 is 600 GB/s in total on an A100 SXM, so 300 GB/s each
//     way; NVLink 4 is 900 GB/s on H100/H200 SXM, so 450 each way; the
//     MI300X's seven Infinity Fabric links give 448 GB/s each way; GPUs
//     without NVLink all-reduce over PCIe. A small all-reduce costs about
//     6 µs over NVLink in NCCL's measurements on 2 H100s (NVIDIA/nccl issue
//     1259); we take 10 µs for 4–8 GPUs, and 25 µs over PCIe.
const (
	nvlink3  = 300 * GB
	nvlink4  = 450 * GB
	arNVLink = 10 * time.Microsecond
	arPCIe   = 25 * time.Microsecond
	overhead = 300 * time.Microsecond

	kvmbu       = 0.45
	mfuHopper   = 0.6
	mfuAmpere   = 0.75
	mfuHalf     = 50
	eagerHopper = 100 * time.Microsecond
	eagerOther  = 150 * time.Microsecond
	overhead2   = 500 * time.Microsecond
)

// GPU presets from vendor datasheets: NVIDIA A100, H100, H200 and L4
// datasheets, the NVIDIA Ada Lovelace whitepaper (RTX 4090) and the AMD
// Instinct MI300X datasheet, as collected in shared/reference/specs.md.
var gpus = []GPU{
	{ID: "h100", Name: "H100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 3.35 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H100 datasheet",
		MFU: mfuHopper, MBU: 0.78, KVMBU: kvmbu, Overhead: overhead, MFUHalf: mfuHalf, EagerLayerCost: eagerHopper,
		P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
	{ID: "a100", Name: "A100 80GB SXM", VRAM: 80 * GB, FP16FLOPS: 312e12, MemBW: 2.039 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA A100 datasheet",
		MFU: mfuAmpere, MBU: 0.7, KVMBU: kvmbu, Overhead: overhead, MFUHalf: mfuHalf, EagerLayerCost: eagerOther,
		P2PBW: nvlink3, P2PLink: "NVLink 3", AllReduceLatency: arNVLink},
	{ID: "h200", Name: "H200 SXM", VRAM: 141 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12, MemBW: 4.8 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "NVIDIA H200 datasheet",
		MFU: mfuHopper, MBU: 0.78, KVMBU: kvmbu, Overhead: overhead, MFUHalf: mfuHalf, EagerLayerCost: eagerHopper,
		P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
	{ID: "l4", Name: "L4", VRAM: 24 * GB, FP16FLOPS: 121e12, FP8FLOPS: 242e12, MemBW: 0.3 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA L4 datasheet",
		MFU: mfuHopper, MBU: 0.75, KVMBU: kvmbu, Overhead: overhead2, MFUHalf: mfuHalf, EagerLayerCost: eagerOther,
		P2PBW: pcie4, P2PLink: "PCIe 4 x16", AllReduceLatency: arPCIe},
	{ID: "rtx4090", Name: "GeForce RTX 4090", VRAM: 24 * GB, FP16FLOPS: 165e12, FP8FLOPS: 330e12, MemBW: 1.008 * TB,
		PCIeBW: pcie4, Link: "PCIe 4 x16", Source: "NVIDIA Ada Lovelace whitepaper",
		MFU: mfuHopper, MBU: 0.75, KVMBU: kvmbu, Overhead: overhead2, MFUHalf: mfuHalf, EagerLayerCost: eagerOther,
		P2PBW: pcie4, P2PLink: "PCIe 4 x16", AllReduceLatency: arPCIe},
	{ID: "mi300x", Name: "Instinct MI300X", VRAM: 192 * GB, FP16FLOPS: 1307e12, FP8FLOPS: 2615e12, MemBW: 5.3 * TB,
		PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "AMD Instinct MI300X datasheet",
		MFU: 0.48, MBU: 0.6, KVMBU: 0.35, Overhead: overhead2, MFUHalf: mfuHalf, EagerLayerCost: eagerOther,
		P2PBW: 448 * GB, P2PLink: "Infinity Fabric", AllReduceLatency: arNVLink},
	// A teaching GPU: an H100 with its memory cut to 25.6 GB, so that an 8B
	// model at FP16 (16 GB of weights) leaves under 10 GB for KV cache and
	// memory pressure shows up with a few dozen requests.
	{ID: "constrained", Name: "Constrained (H100 compute, 25.6 GB)", VRAM: 25.6 * GB, FP16FLOPS: 989e12, FP8FLOPS: 1979e12,
		MemBW: 3.35 * TB, PCIeBW: pcie5, Link: "PCIe 5 x16", Source: "teaching preset derived from the H100",
		MFU: mfuHopper, MBU: 0.78, KVMBU: kvmbu, Overhead: overhead, MFUHalf: mfuHalf, EagerLayerCost: eagerHopper,
		P2PBW: nvlink4, P2PLink: "NVLink 4", AllReduceLatency: arNVLink},
}

// GPUCatalog holds the GPU presets.
var GPUCatalog = Catalog[GPU]{Field: "gpu", Items: gpus, ID: func(g GPU) string { return g.ID }}

// GPUs returns every GPU preset, sorted by ID.
func GPUs() []GPU { return GPUCatalog.All() }

// LookupGPU finds a GPU preset by ID.
func LookupGPU(id string) (GPU, error) { return GPUCatalog.Lookup(id) }
