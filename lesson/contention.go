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

// ContentionTimings are the timing models the contention scene runs on:
// the roofline model, as every scene of the tour, and the original
// simulator's fixed ticks.
var ContentionTimings = []string{"roofline", "classic"}

// ClassicModelNote is what a screen running the classic model says about
// it, in the same words everywhere.
const ClassicModelNote = "original model: fixed 15 ms ticks, one 512-token chunk per tick"

// contentionTrace is the scene's fixed workload: a long batch prompt (a
// document to summarize) arrives first, and five short chat prompts arrive
// while it is being prefilled. The document is long enough that on the
// roofline model, where a chat behind it still waits out about one and a
// half 2,048-token iterations, FCFS is several times slower for the chats
// than MLFQ or SRPT (about 8×; at 16,000 tokens it was under 5×).
var contentionTrace = []sim.Spec{
	{Arrival: 0, Input: 24000, Output: 48, Class: sim.Batch},
	{Arrival: 45 * time.Millisecond, Input: 200, Output: 24, Class: sim.Interactive},
	{Arrival: 90 * time.Millisecond, Input: 300, Output: 24, Class: sim.Interactive},
	{Arrival: 135 * time.Millisecond, Input: 150, Output: 24, Class: sim.Interactive},
	{Arrival: 180 * time.Millisecond, Input: 250, Output: 24, Class: sim.Interactive},
	{Arrival: 225 * time.Millisecond, Input: 200, Output: 24, Class: sim.Interactive},
}

// ContentionConfig is the scene's run under a policy and a timing model
// (one of ContentionTimings): Llama 3 8B at FP16 on one H100.
func ContentionConfig(policy, timing string, seed uint64) (sim.Config, error) {
	if !slices.Contains(ContentionPolicies, policy) {
		return sim.Config{}, fmt.Errorf("policy: %q is not one the scene compares (%v)", policy, ContentionPolicies)
	}
	if !slices.Contains(ContentionTimings, timing) {
		return sim.Config{}, fmt.Errorf("timing: %q is not one the scene runs on (%v)", timing, ContentionTimings)
	}
	c, err := base("llama3-8b", "h100", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario = "contention"
	c.Scheduler = policy
	c.Timing = timing
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
