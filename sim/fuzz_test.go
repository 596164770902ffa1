package sim

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseTrace: any input gives specs or an error, never a panic; specs it
// accepts are valid and replay through the engine.
func FuzzParseTrace(f *testing.F) {
	for _, s := range []string{
		"arrival_ms,input_tokens,output_tokens,class\n0,100,10,interactive\n12.5,2000,300,batch\n",
		"arrival_tick,input_tokens,output_tokens\n1,512,1\n1,513,2\n",
		"arrival_ms,input_tokens\n0,1\n",
		"\ufeffARRIVAL_MS, INPUT_TOKENS, OUTPUT_TOKENS\n# comment\n5, 10, 10\n",
		"arrival_ms,input_tokens,output_tokens\n\"1,2\",3\n",
		"arrival_tick,arrival_ms,input_tokens,output_tokens\n1,0,1,1\n",
		"arrival_ms,input_tokens,output_tokens\n-1,1,1\nNaN,1,1\n",
		"arrival_ms,input_tokens,output_tokens,prefix_group,prefix_tokens,session\n0,3000,5,1,2000,0\n5,3100,5,1,2000,4\n900,3200,9,1,2000,4\n",
		"arrival_ms,input_tokens,output_tokens,prefix_group,prefix_tokens\n0,10,5,1,11\n1,10,5,0,3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		specs, err := ParseTrace(bytes.NewReader(data))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := validateTrace(specs); err != nil {
			t.Fatalf("parser accepted an invalid trace: %v", err)
		}
		if len(specs) > 50 {
			return
		}
		c := tinyConfig(t, "srpt", 4096, specs...)
		c.BlockSize = 16
		e, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		e.cfg.MaxTicks = 0
		for steps := 0; !e.Done(); steps++ {
			if steps > 200_000 {
				t.Fatal("trace run did not finish")
			}
			e.Step()
		}
	})
}

// FuzzConfig: any combination of fields either fails validation with a
// ConfigError or gives an engine that runs to the end.
func FuzzConfig(f *testing.F) {
	f.Add("mixed", "llama3-8b", "h100", "fp16", "fcfs", uint64(1), 20, 0.5, 2.0, "poisson", 16, 100, 500, 10, 50,
		"classic", "swap", 1, 2048, 256, false, int64(0), "")
	f.Add("chatbot", "mixtral-8x7b", "l4", "int4", "mlfq", uint64(9), 3, 0.0, 1e6, "burst", 1, 1, 1, 1, 1,
		"roofline", "recompute", 8, 1, 1, true, int64(1), "serial")
	f.Add("docprocessing", "llama3-70b", "mi300x", "fp8", "sjf", uint64(0), 1, 1.0, 0.001, "fixed", 4096, 9_000_000, 10_000_000, 1, 2,
		"roofline", "swap", 2, 100_000, 3, false, int64(3e9), "continuous")
	f.Add("mixed", "qwen2.5-7b", "constrained", "fp16", "skipjoin-mlfq", uint64(3), 15, 0.5, 50.0, "gamma", 16, 1000, 9000, 10, 400,
		"classic", "recompute", 1, 512, 16, false, int64(0), "continuous")
	f.Add("mixed", "llama3-8b", "constrained", "fp16", "priority", uint64(5), 18, 0.6, 20.0, "poisson", 1, 100, 20000, 1, 300,
		"roofline", "swap", 1, 2048, 4, false, int64(2e9), "static")
	f.Add("mixed", "llama3-8b", "constrained", "fp16", "mlfq", uint64(11), 18, 0.7, 5.0, "poisson", 16, 2000, 20000, 10, 400,
		"roofline", "recompute", 1, 2048, 64, false, int64(0), "")
	// Conversations and system prompts under pressure, with a CPU tier.
	f.Add("chatbot", "llama3-8b", "constrained", "fp16", "fcfs", uint64(16), 20, 0.9, 50.0, "poisson", 16, 300, 3000, 10, 200,
		"roofline", "swap", 1, 2048, 64, false, int64(0), "")
	// Conversations and system prompts under pressure, with a CPU tier.
	f.Add("chatbot", "llama3-8b", "constrained", "fp16", "fcfs", uint64(16), 20, 0.9, 50.0, "poisson", 16, 300, 3000, 10, 200,
		"roofline", "swap", 1, 2048, 64, false, int64(0), "")
	f.Fuzz(func(t *testing.T, scenario, model, gpu, precision, policy string, seed uint64, requests int,
		share, rate float64, pattern string, block, pmin, pmax, omin, omax int,
		timing, preemption string, tp, batchTokens, running int, whole bool, cpuKV int64, batcher string) {
		c, err := ScenarioConfig(scenario)
		if err != nil {
			return
		}
		c.Timing, c.Preemption, c.TP, c.MaxBatchTokens, c.MaxRunning, c.WholePrompts, c.CPUKVBytes, c.Batcher =
			timing, preemption, tp, batchTokens, running, whole, cpuKV, batcher
		if c.SetModel(model) != nil || c.SetGPU(gpu) != nil || c.SetPrecision(precision) != nil {
			return
		}
		c.Scheduler, c.Seed, c.BlockSize = policy, seed, block
		c.Workload = Workload{Requests: requests, InteractiveShare: share, Rate: rate, Pattern: pattern,
			Interactive: Shape{Prompt: Between(pmin, pmax), Output: Between(omin, omax)}, Batch: Shape{Prompt: Between(pmin, pmax), Output: Between(omin, omax)}}
		if seed%3 != 0 {
			// Shared system prompts, from the inputs already given (the
			// corpus's entries keep their shape): a few, as long as the
			// shortest prompt, before the given share of the prompts.
			c.Workload.System = SystemPrompts{Count: 1 + int(seed%4), Tokens: pmin, Share: share}
		}
		if seed%5 == 1 && requests > 1 {
			// Conversations of closed-loop users, whose every turn
			// resends the last: prefixes that grow and come back.
			c.Workload.Clients, c.Workload.Turns = max(1, requests/3), 2+int(seed%3)
		}
		if seed%2 == 0 && c.BatcherInfo().Name == "continuous" && (c.Workload.System.Count > 0 || c.Workload.Turns > 1) {
			// A CPU tier for the cached blocks, as large as the swap
			// room (a gigabyte when that has no limit).
			c.CPUCacheBytes = cpuKV
			if cpuKV == 0 {
				c.CPUCacheBytes = GB
			}
		}
		e, err := New(c)
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("not a ConfigError: %v", err)
			}
			return
		}
		if requests > 20 || pmax > 200_000 || omax > 20_000 {
			return // valid, but too long a run for a fuzz iteration
		}
		for steps := 0; !e.Done(); steps++ {
			if steps > 2_000_000 {
				t.Fatal("run did not finish")
			}
			e.Step()
		}
		checkEnded(t, e) // Done is not success: a stuck run is Done too
	})
}

func TestTraceErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"":                                  "line 1: empty file",
		"input_tokens,output_tokens\n1,1\n": "line 1: missing column arrival_ms",
		"arrival_ms,input_tokens,output_tokens,colour\n":                     `line 1: unknown column "colour"`,
		"arrival_ms,input_tokens,output_tokens\n0,10,10\n5,ten,10\n":         `line 3: input_tokens: "ten"`,
		"arrival_ms,input_tokens,output_tokens\n0,10,10\n5,10\n":             "line 3: wrong number of fields",
		"arrival_ms,input_tokens,output_tokens,class\n0,10,10,urgent\n":      `line 2: class: unknown class "urgent"`,
		"arrival_ms,input_tokens,output_tokens\n-5,10,10\n":                  `line 2: arrival_ms: "-5"`,
		"arrival_tick,input_tokens,output_tokens\n1.5,10,10\n":               `line 2: arrival_tick: "1.5"`,
		"arrival_ms,input_tokens,output_tokens\n0,0,10\n":                    `line 2: input_tokens: "0"`,
		"arrival_ms,input_tokens,output_tokens\n":                            "no requests",
		"arrival_ms,arrival_tick,input_tokens,output_tokens\n0,1,1,1\n":      "not both",
		"arrival_ms,input_tokens,output_tokens\n# skip me\n\n1,2,\"3\n":      "line 4",
		"arrival_ms,input_tokens,input_tokens,output_tokens\n":               "appears twice",
		"arrival_ms,input_tokens,output_tokens\n0,10,99999999999999999999\n": "output_tokens",
	}
	for in, want := range cases {
		_, err := ParseTrace(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTrace(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestTraceArrivalsAndClasses(t *testing.T) {
	specs, err := ParseTrace(strings.NewReader("arrival_tick,input_tokens,output_tokens,class\n0,10,5,batch\n3,20,6,interactive\n"))
	if err != nil {
		t.Fatal(err)
	}
	if specs[0].Arrival != 0 || specs[1].Arrival != 2*ClassicTick || specs[0].Class != Batch || specs[1].Input != 20 {
		t.Fatalf("specs %+v", specs)
	}
	specs, err = ParseTrace(strings.NewReader("arrival_ms,input_tokens,output_tokens\n7.25,1,1\n"))
	if err != nil || specs[0].Arrival != 7250000 || specs[0].Class != Interactive {
		t.Fatalf("specs %+v, %v", specs, err)
	}
}
