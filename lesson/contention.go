package lesson

import (
	"fmt"
	"slices"
	"time"

	"inferplay/sim"
)

// ContentionPolicies are the policies the contention scene switches
// between, in the order one key cycles them: the two that suffer
// head-of-line blocking, then the two that cure it.
var ContentionPolicies = []string{"fcfs", "sjf", "mlfq", "srpt"}

// contentionTrace is the scene's fixed workload: a long batch prompt (a
// document to summarize) arrives first, and five short chat prompts arrive
// while it is being prefilled.
var contentionTrace = []sim.Spec{
	{Arrival: 0, Input: 16000, Output: 48, Class: sim.Batch},
	{Arrival: 45 * time.Millisecond, Input: 200, Output: 24, Class: sim.Interactive},
	{Arrival: 90 * time.Millisecond, Input: 300, Output: 24, Class: sim.Interactive},
	{Arrival: 135 * time.Millisecond, Input: 150, Output: 24, Class: sim.Interactive},
	{Arrival: 180 * time.Millisecond, Input: 250, Output: 24, Class: sim.Interactive},
	{Arrival: 225 * time.Millisecond, Input: 200, Output: 24, Class: sim.Interactive},
}

// ContentionConfig is the scene's run under a policy. It uses the classic
// model, where one prompt at a time prefills 512 tokens per 15 ms tick, so
// that who holds the prefill lane is plain on a small chart.
func ContentionConfig(policy string, seed uint64) (sim.Config, error) {
	if !slices.Contains(ContentionPolicies, policy) {
		return sim.Config{}, fmt.Errorf("policy: %q is not one the scene compares (%v)", policy, ContentionPolicies)
	}
	c, err := base("llama3-8b", "h100", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario = "contention"
	c.Scheduler = policy
	c.Timing = "classic"
	c.Seed = seed
	c.Trace = slices.Clone(contentionTrace)
	c.TraceName = "one long prompt, five short"
	return c, c.Validate()
}

// InteractiveTTFTs are the time to first token of each interactive request
// that has one, in request order; 0 for those still waiting.
func InteractiveTTFTs(e *sim.Engine) []time.Duration {
	var out []time.Duration
	for id := range e.Len() {
		r := e.Request(id)
		if r.Class != sim.Interactive {
			continue
		}
		var ttft time.Duration
		if r.FirstTokenTick > 0 {
			ttft = r.FirstTokenAt - r.JoinedAt
		}
		out = append(out, ttft)
	}
	return out
}

// Mean is the mean of durations (0 for none).
func Mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}
