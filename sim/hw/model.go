package hw

// Model describes a transformer's shape: enough to size its weights and its
// KV cache, and (for the roofline model) its FLOPs per token.
type Model struct {
	ID     string
	Name   string
	Layers int
	Hidden int
	Heads  int
	// KVHeads is the number of key/value heads (grouped-query attention
	// shares each among Heads/KVHeads query heads).
	KVHeads int
	HeadDim int
	FFN     int
	// Params is the total parameter count; ActiveParams the count used per
	// token (smaller than Params for mixture-of-experts models).
	Params       float64
	ActiveParams float64
	// Experts and ActiveExperts describe a mixture of experts: each token
	// uses ActiveExperts of the Experts in every layer. Zero for dense models.
	Experts       int
	ActiveExperts int
	Source        string
}

// KVBytesPerElement is the size of one cached key or value element. The KV
// cache is kept in FP16/BF16 whatever the weight precision, as serving
// engines do by default.
const KVBytesPerElement = 2

// KVBytesPerToken is 2 (K and V) × layers × KV heads × head dim × bytes per
// element.
func (m Model) KVBytesPerToken() int64 {
	return 2 * int64(m.Layers) * int64(m.KVHeads) * int64(m.HeadDim) * KVBytesPerElement
}

// WeightBytes is the memory the weights take at the given precision.
func (m Model) WeightBytes(p Precision) int64 {
	return int64(m.Params * p.BytesPerWeight)
}

// Model presets. Shapes come from each model's published config.json
// (Hugging Face model cards) as collected in shared/reference/specs.md.
var models = []Model{
	{ID: "llama3-8b", Name: "Llama 3 8B", Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336,
		Params: 8.03e9, ActiveParams: 8.03e9, Source: "meta-llama/Meta-Llama-3-8B config.json"},
	{ID: "llama3-70b", Name: "Llama 3 70B", Layers: 80, Hidden: 8192, Heads: 64, KVHeads: 8, HeadDim: 128, FFN: 28672,
		Params: 70.6e9, ActiveParams: 70.6e9, Source: "meta-llama/Meta-Llama-3-70B config.json"},
	{ID: "mistral-7b", Name: "Mistral 7B", Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336,
		Params: 7.24e9, ActiveParams: 7.24e9, Source: "mistralai/Mistral-7B-v0.1 config.json"},
	{ID: "qwen2.5-7b", Name: "Qwen2.5 7B", Layers: 28, Hidden: 3584, Heads: 28, KVHeads: 4, HeadDim: 128, FFN: 18944,
		Params: 7.6e9, ActiveParams: 7.6e9, Source: "Qwen/Qwen2.5-7B config.json"},
	{ID: "mixtral-8x7b", Name: "Mixtral 8x7B", Layers: 32, Hidden: 4096, Heads: 32, KVHeads: 8, HeadDim: 128, FFN: 14336,
		Params: 46.7e9, ActiveParams: 12.9e9, Experts: 8, ActiveExperts: 2, Source: "mistralai/Mixtral-8x7B-v0.1 config.json (8 experts, top-2)"},
}

// ModelCatalog holds the model presets.
var ModelCatalog = Catalog[Model]{Field: "model", Items: models, ID: func(m Model) string { return m.ID }}

// Models returns every model preset, sorted by ID.
func Models() []Model { return ModelCatalog.All() }

// LookupModel finds a model preset by ID.
func LookupModel(id string) (Model, error) { return ModelCatalog.Lookup(id) }

// WeightsRead splits the weights a forward pass over some tokens reads into
// the part every token uses and the experts, of which a batch of t tokens
// touches a growing share: each expert is missed by one token with
// probability 1 − k/E, so by all of them with (1 − k/E)^t. It returns the
// shared bytes and the expert bytes; the pass reads shared + experts × share.
func (m Model) WeightsRead(p Precision) (shared, experts float64) {
	// Explicit conversions round each product, so that no platform fuses
	// it with the subtraction below.
	total := float64(m.Params * p.BytesPerWeight)
	if m.Experts <= 0 || m.ActiveExperts <= 0 || m.ActiveExperts >= m.Experts || m.ActiveParams >= m.Params {
		return total, 0
	}
	frac := float64(m.ActiveExperts) / float64(m.Experts)
	experts = float64((m.Params - m.ActiveParams) / (1 - frac) * p.BytesPerWeight)
	return total - experts, experts
}

// ExpertShare is the expected fraction of experts that t tokens touch.
func (m Model) ExpertShare(t int) float64 {
	if m.Experts <= 0 {
		return 1
	}
	miss := 1 - float64(m.ActiveExperts)/float64(m.Experts)
	// miss^t by squaring: products only, so the result is the same on every
	// platform (no fused multiply-add).
	all := 1.0
	for ; t > 0; t >>= 1 {
		if t&1 == 1 {
			all = float64(all * miss)
		}
		miss = float64(miss * miss)
	}
	return 1 - all
}
