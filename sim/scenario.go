package sim

import "time"

// Scenario is a named starting configuration with a story.
type Scenario struct {
	ID          string
	Title       string
	Description string
	Model       string
	GPU         string
	Precision   string
	Scheduler   string
	Workload    Workload
	// SLO overrides DefaultSLOs for a class when its targets are set.
	SLO [2]SLO
}

// DefaultSeed is the seed runs use unless told otherwise.
const DefaultSeed = 42

// DefaultScenario is what a bare run shows.
const DefaultScenario = "mixed"

var scenarios = []Scenario{
	{
		ID:    "chatbot",
		Title: "Chatbot service",
		Description: "Short prompts at a steady rate on an H100: continuous batching keeps the GPU busy " +
			"and the KV cache stays far below VRAM. The happy path.",
		Model: "llama3-8b", GPU: "h100", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 50, InteractiveShare: 0.9, Rate: PerTick(0.04), Pattern: Poisson,
			Interactive: Shape{Prompt: Range{100, 500}, Output: Range{50, 200}},
			Batch:       Shape{Prompt: Range{1000, 3000}, Output: Range{200, 500}}},
	},
	{
		ID:    "mixed",
		Title: "Mixed traffic",
		Description: "Chat and heavy batch jobs share a GPU with 9.5 GB left for KV cache. Under FCFS a " +
			"20,000-token prompt blocks every chat behind it (head-of-line blocking), and the batch " +
			"decodes fill VRAM until requests are swapped to CPU memory.",
		Model: "llama3-8b", GPU: "constrained", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 60, InteractiveShare: 0.6, Rate: PerTick(0.04), Pattern: Poisson,
			Interactive: Shape{Prompt: Range{100, 500}, Output: Range{50, 300}},
			Batch:       Shape{Prompt: Range{5000, 20000}, Output: Range{300, 1500}}},
	},
	{
		ID:    "docprocessing",
		Title: "Document processing",
		Description: "Long documents (8k–30k tokens) on Llama 3 70B. Its 141.2 GB of FP16 weights cannot fit " +
			"an 80 GB H100, so it is served 4-bit quantized (35.3 GB of weights, 44.7 GB left for KV cache " +
			"at 320 KiB per token): a few long contexts fill VRAM and evictions cascade.",
		Model: "llama3-70b", GPU: "h100", Precision: "int4", Scheduler: "fcfs",
		Workload: Workload{Requests: 30, InteractiveShare: 0.1, Rate: PerTick(0.01), Pattern: Poisson,
			Interactive: Shape{Prompt: Range{200, 800}, Output: Range{100, 300}},
			Batch:       Shape{Prompt: Range{8000, 30000}, Output: Range{1000, 5000}}},
	},
	{
		ID:    "rag",
		Title: "Retrieval-augmented chat",
		Description: "Every prompt carries 2k–16k tokens of retrieved documents and every answer is short, so " +
			"prefill is the bottleneck (about 80% busy). Compare schedulers: SRPT and SJF cut the median " +
			"TTFT sharply, but the longest prompts wait behind every shorter one and the p99 doubles or " +
			"triples; MLFQ only round-robins prompts that are all long. Fairness has a price.",
		Model: "llama3-8b", GPU: "h100", Precision: "fp16", Scheduler: "fcfs",
		Workload: Workload{Requests: 120, InteractiveShare: 1, Rate: PerTick(0.05), Pattern: Poisson,
			Interactive: Shape{Prompt: Range{2000, 16000}, Output: Range{50, 200}},
			Batch:       Shape{Prompt: Range{2000, 16000}, Output: Range{50, 200}}},
		// A user who asked about their documents expects a short pause
		// while they are read: two seconds to the first token.
		SLO: [2]SLO{Interactive: {TTFT: 2 * time.Second, TBT: 100 * time.Millisecond}},
	},
}

var scenarioCatalog = catalog[Scenario]{field: "scenario", items: scenarios, id: func(s Scenario) string { return s.ID }}

// Scenarios returns every scenario sorted by ID.
func Scenarios() []Scenario { return scenarioCatalog.all() }

// LookupScenario finds a scenario by ID.
func LookupScenario(id string) (Scenario, error) { return scenarioCatalog.lookup(id) }

// Config returns the scenario's configuration with the default seed, block
// size and timing model.
func (s Scenario) Config() Config {
	c := Config{
		Scenario:  s.ID,
		Scheduler: s.Scheduler,
		Timing:    "classic",
		BlockSize: DefaultBlockSize,
		Seed:      DefaultSeed,
		Workload:  s.Workload,

		TP:             1,
		MaxBatchTokens: DefaultMaxBatchTokens,
		MaxRunning:     DefaultMaxRunning,
		Preemption:     PreemptSwap,
		SLO:            DefaultSLOs,
	}
	for cl, slo := range s.SLO {
		if slo != (SLO{}) {
			c.SLO[cl] = slo
		}
	}
	// Scenario presets name valid IDs; a test checks every one resolves.
	_ = c.SetModel(s.Model)
	_ = c.SetGPU(s.GPU)
	_ = c.SetPrecision(s.Precision)
	return c
}

// ScenarioConfig looks a scenario up and returns its configuration.
func ScenarioConfig(id string) (Config, error) {
	s, err := LookupScenario(id)
	if err != nil {
		return Config{}, err
	}
	return s.Config(), nil
}
