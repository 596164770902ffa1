package lesson

import (
	"fmt"
	"time"

	"inferplay/sim"
)

// PromptSetup is what the prompt scene's controls set: one request, and the
// model and GPU that serve it.
type PromptSetup struct {
	Prompt, Output int // tokens
	Model, GPU     string
}

// Slider ranges of the prompt scene.
const (
	MinPrompt, MaxPrompt = 8, 16384
	MinOutput, MaxOutput = 1, 512
)

// DefaultPrompt is the setup the scene opens with: a chat turn with some
// context, on the most common serving GPU. At 512 tokens prefill is
// compute-bound; below about 190 it would cost no more than one decode
// step, because reading the weights would dominate both.
var DefaultPrompt = PromptSetup{Prompt: 512, Output: 32, Model: "llama3-8b", GPU: "h100"}

// Config is a run of the one request on the roofline model, so that every
// time shown is the GPU's own: FLOPs or bytes, whichever is slower.
func (s PromptSetup) Config() (sim.Config, error) {
	if s.Prompt < MinPrompt || s.Prompt > MaxPrompt {
		return sim.Config{}, fmt.Errorf("prompt: %d tokens is not valid (%d to %d)", s.Prompt, MinPrompt, MaxPrompt)
	}
	if s.Output < MinOutput || s.Output > MaxOutput {
		return sim.Config{}, fmt.Errorf("output: %d tokens is not valid (%d to %d)", s.Output, MinOutput, MaxOutput)
	}
	c, err := base(s.Model, s.GPU, "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario = "prompt"
	c.Timing = "roofline"
	c.Scheduler = "fcfs"
	c.Trace = []sim.Spec{{Input: s.Prompt, Output: s.Output, Class: sim.Interactive}}
	c.TraceName = "one prompt"
	return c, c.Validate()
}

// base is a configuration for a model, GPU and precision, with the engine's
// defaults for everything else.
func base(model, gpu, precision string) (sim.Config, error) {
	c, err := sim.ScenarioConfig("chatbot")
	if err != nil {
		return c, err
	}
	if err := c.SetModel(model); err != nil {
		return c, err
	}
	if err := c.SetGPU(gpu); err != nil {
		return c, err
	}
	if err := c.SetPrecision(precision); err != nil {
		return c, err
	}
	return c, nil
}

// PromptStep is one iteration of the prompt scene's run, as the engine
// timed it, with the request's state after it.
type PromptStep struct {
	Start, End time.Duration
	Bound      sim.Bound
	Prefill    int // prompt tokens processed in this iteration
	// Prefilled, Decoded and KVTokens are the request's counts after the
	// iteration; Blocks its KV blocks.
	Prefilled, Decoded, KVTokens, Blocks int
}

// PromptRun is the whole run of one request, computed ahead so that the
// scene can play it in slow motion, forwards and backwards.
type PromptRun struct {
	Config sim.Config
	Steps  []PromptStep
	// TTFT is when the first token came out; End when the last did.
	TTFT, End time.Duration
	// Passes are the prefill passes (chunks); Decodes the decode passes
	// after them, which take TPOT on average.
	Passes, Decodes int
	TPOT            time.Duration
}

// RunPrompt runs the setup's one request through the engine.
func RunPrompt(s PromptSetup) (PromptRun, error) {
	c, err := s.Config()
	if err != nil {
		return PromptRun{}, err
	}
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return PromptRun{}, err
	}
	run := PromptRun{Config: c}
	for !e.Done() {
		var st PromptStep
		ran := false
		for _, ev := range e.Step() {
			if ev.Kind == sim.EvIteration {
				st.Start, st.End, st.Bound, ran = ev.At, ev.At+ev.Dur, ev.Bound, true
			}
			if ev.Kind == sim.EvPrefillChunk {
				st.Prefill += ev.Tokens
			}
		}
		if !ran {
			continue
		}
		r := e.Request(0)
		st.Prefilled, st.Decoded, st.KVTokens, st.Blocks = r.Prefilled, r.Decoded, r.KVTokens, r.Blocks().Len()
		run.Steps = append(run.Steps, st)
	}
	r := e.Request(0)
	if r.State != sim.Done {
		return run, fmt.Errorf("the request did not finish: %s", r.Reason)
	}
	run.TTFT, run.End = r.FirstTokenAt-r.JoinedAt, r.CompletedAt
	var decoding time.Duration
	for _, st := range run.Steps {
		if st.Prefill > 0 {
			run.Passes++
		} else {
			run.Decodes++
			decoding += st.End - st.Start
		}
	}
	if run.Decodes > 0 {
		run.TPOT = decoding / time.Duration(run.Decodes)
	}
	return run, nil
}

// At is the index of the step in progress at time t (len(Steps) when the
// run is over), and how far through it t is, from 0 to 1.
func (p *PromptRun) At(t time.Duration) (int, float64) {
	for i, s := range p.Steps {
		if t < s.End {
			if t <= s.Start {
				return i, 0
			}
			return i, float64(t-s.Start) / float64(s.End-s.Start)
		}
	}
	return len(p.Steps), 1
}

// Marks are the iteration ends, where stepping stops.
func (p *PromptRun) Marks() []time.Duration {
	m := make([]time.Duration, len(p.Steps))
	for i, s := range p.Steps {
		m[i] = s.End
	}
	return m
}
