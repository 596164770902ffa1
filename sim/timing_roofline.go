package sim

import (
	"math"
	"time"
)

// roofline prices an iteration from the work it does on the GPUs serving the
// model:
//
//	compute = (2 × active params × new tokens) / (peak × MFU(n))
//	        + (4 × layers × heads × head dim × attended pairs) / (peak16 × MFU(n))
//	memory  = weights read / (bandwidth × MBU)
//	        + KV bytes × (context + new tokens) / (bandwidth × KVMBU)
//	time    = max(compute, memory) + overhead [+ layers × eager cost] + all-reduces
//
// MFU(n) = MFU × n / (n + MFUHalf) for n new tokens: matrix units reach
// their best rate only on tall matrices, so a large prefill runs nearer
// peak than a small batch does. An iteration with prompt tokens pays a
// launch cost per layer: serving engines replay decode-only iterations as
// captured CUDA graphs, but run prompts eagerly, kernel by kernel.
//
// where peak is the FP8 rate when FP8 weights run on a GPU that has it and
// the FP16 rate otherwise (4-bit weights are unpacked to FP16 for the
// matrix units), attention always runs at the FP16 rate (the KV cache is
// FP16), and all rates and bandwidths are those of all TP GPUs together.
// A dense model reads all its weights once per iteration; a mixture of
// experts reads its shared layers and the experts its tokens chose.
// With tensor parallelism every layer ends in two all-reduces of the new
// tokens' activations; a ring all-reduce sends 2(N−1)/N of the data over
// each GPU's link.
//
// Every product that feeds a sum is converted explicitly, because Go may
// otherwise fuse multiply-adds on some CPUs, and the same run must give the
// same nanoseconds on every platform.
type roofline struct {
	linearFLOPsPerToken float64 // 2 × active params
	attnFLOPsPerPair    float64 // 4 × layers × heads × head dim
	linearRate          float64 // FLOP/s for the weights' matrix multiplies, after MFU
	attnRate            float64 // FLOP/s for attention, after MFU
	model               Model   // for the weights a batch reads
	sharedBytes         float64
	expertBytes         float64
	kvBytesPerToken     float64
	memRate             float64 // bytes/s for the weights, after MBU
	kvRate              float64 // bytes/s for the KV cache, after KVMBU
	overhead            time.Duration
	mfuHalf             float64       // tokens at which MFU(n) is half of MFU
	eager               time.Duration // launch cost of an iteration that prefills, all layers

	allReduces      float64 // all-reduces per iteration (2 per layer), 0 without TP
	allReduceBytes  float64 // bytes per new token per all-reduce on each link
	allReduceFixed  time.Duration
	p2pRate         float64
	gpus            float64
	allReduceFactor float64 // 2(N−1)/N
}

func newRoofline(c *Config) *roofline {
	g, m := c.GPU, c.Model
	n := float64(c.GPUs())
	linearPeak := g.FP16FLOPS
	if c.Precision.ID == "fp8" && g.FP8FLOPS > 0 {
		linearPeak = g.FP8FLOPS
	}
	r := &roofline{
		linearFLOPsPerToken: 2 * m.ActiveParams,
		attnFLOPsPerPair:    float64(4 * m.Layers * m.Heads * m.HeadDim),
		linearRate:          float64(n*linearPeak) * g.MFU,
		attnRate:            float64(n*g.FP16FLOPS) * g.MFU,
		model:               m,
		kvBytesPerToken:     float64(c.KVBytesPerToken()),
		memRate:             float64(n*g.MemBW) * g.MBU,
		kvRate:              float64(n*g.MemBW) * g.KVMBU,
		overhead:            g.Overhead,
		mfuHalf:             g.MFUHalf,
		eager:               time.Duration(m.Layers) * g.EagerLayerCost,
		gpus:                n,
	}
	r.sharedBytes, r.expertBytes = m.WeightsRead(c.Precision)
	if c.GPUs() > 1 {
		r.allReduces = float64(2 * m.Layers)
		r.allReduceBytes = float64(m.Hidden * 2) // FP16 activations
		r.allReduceFixed = g.AllReduceLatency
		r.p2pRate = g.P2PBW
		r.allReduceFactor = 2 * (n - 1) / n
	}
	return r
}

func (r *roofline) Duration(it Iteration) (time.Duration, Bound) {
	tokens := float64(it.Tokens())
	// 1 / (n / (n + MFUHalf)): how much slower than MFU this shape runs.
	shape := float64(tokens+r.mfuHalf) / max(tokens, 1)
	compute := float64(float64(r.linearFLOPsPerToken*tokens)/r.linearRate+
		float64(r.attnFLOPsPerPair*float64(it.AttendedPairs))/r.attnRate) * shape
	kvTokens := float64(it.ContextTokens) + tokens
	weights := r.sharedBytes
	if r.expertBytes > 0 {
		weights += float64(r.expertBytes * r.model.ExpertShare(it.Tokens()))
	}
	memory := weights/r.memRate + float64(r.kvBytesPerToken*kvTokens)/r.kvRate
	bound, secs := BoundMemory, memory
	if compute > memory {
		bound, secs = BoundCompute, compute
	}
	d := durationOf(secs) + r.overhead
	if it.PrefillTokens > 0 {
		d += r.eager
	}
	if r.allReduces > 0 {
		perAllReduce := float64(r.allReduceFactor*float64(r.allReduceBytes*tokens)) / r.p2pRate
		d += time.Duration(r.allReduces) * (r.allReduceFixed + durationOf(perAllReduce))
	}
	return d, bound
}

// durationOf converts seconds to a Duration, rounding up to whole nanoseconds so that
// an iteration never takes zero time, and capping absurd values.
func durationOf(s float64) time.Duration {
	ns := math.Ceil(float64(s * 1e9))
	if !(ns < float64(MaxArrival)) {
		return MaxArrival
	}
	return time.Duration(ns)
}

// checkRoofline makes sure the GPU has the figures the model needs.
func checkRoofline(c *Config) error {
	g := c.GPU
	switch {
	case !(g.FP16FLOPS > 0 && g.FP16FLOPS < 1e18):
		return invalid("gpu flops", g.FP16FLOPS, "the roofline model needs the GPU's FP16 FLOP/s")
	case !(g.MemBW > 0 && g.MemBW < 1e15):
		return invalid("gpu memory bandwidth", g.MemBW, "the roofline model needs the GPU's memory bandwidth")
	case !(g.MFU > 0 && g.MFU <= 1) || !(g.MBU > 0 && g.MBU <= 1) || !(g.KVMBU > 0 && g.KVMBU <= 1):
		return invalid("gpu efficiency", [3]float64{g.MFU, g.MBU, g.KVMBU}, "MFU, MBU and KVMBU must be in (0, 1]")
	case g.Overhead < 0 || g.Overhead > time.Second:
		return invalid("gpu overhead", g.Overhead, "0 to 1 s per iteration")
	case !(g.MFUHalf >= 0 && g.MFUHalf <= 1e6):
		return invalid("gpu mfu half", g.MFUHalf, "0 to 1,000,000 tokens")
	case g.EagerLayerCost < 0 || g.EagerLayerCost > time.Millisecond:
		return invalid("gpu eager layer cost", g.EagerLayerCost, "0 to 1 ms per layer")
	case c.GPUs() > 1 && !(g.P2PBW > 0 && g.P2PBW < 1e15):
		return invalid("tp", c.TP, "this GPU has no GPU-to-GPU bandwidth for tensor parallelism")
	}
	return nil
}
