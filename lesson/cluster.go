package lesson

import (
	"time"

	"inferplay/cluster"
	"inferplay/sim"
)

// The cluster scene's runs: each beat serves one traffic with two
// clusters of four GPUs side by side, the left one as most people would
// start and the right one as the beat's idea does it.

// ClusterGPUs is how many GPUs each side of a beat has.
const ClusterGPUs = 4

// ClusterSide is one side of a beat: four replicas behind a router, or
// two pools of them with an interconnect between.
type ClusterSide struct {
	Label           string
	Replicas        int // co-located replicas (0: disaggregated)
	Prefill, Decode int
	Router          string
	Link            string // the interconnect, when disaggregated
}

// Build makes the side's cluster for the traffic of c.
func (s ClusterSide) Build(c sim.Config) (*cluster.Cluster, error) {
	if s.Replicas > 0 {
		return cluster.New(c, s.Replicas, s.Router, 0)
	}
	ic, err := sim.LookupInterconnect(s.Link)
	if err != nil {
		return nil, err
	}
	return cluster.NewDisaggregated(c, s.Prefill, s.Decode, s.Router, 0, ic)
}

// RoutingSides: the same four H100s behind round-robin and behind
// least-requests.
var RoutingSides = [2]ClusterSide{
	{Label: "round-robin", Replicas: ClusterGPUs, Router: "round-robin"},
	{Label: "least-requests", Replicas: ClusterGPUs, Router: "least-requests"},
}

// RoutingConfig is chat traffic with a few huge prompts among it: 95 % of
// the requests are chats of 100–500 tokens, the rest documents of
// 40,000–60,000 tokens, at 15 a second on four H100s. A replica that gets
// a document spends most of a second on its prompt while its chats wait.
func RoutingConfig(seed uint64) (sim.Config, error) {
	c, err := base("llama3-8b", "h100", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario, c.Timing, c.Seed = "routing", "roofline", seed
	w := &c.Workload
	w.Requests, w.InteractiveShare, w.Rate = 300, 0.95, 15
	w.Batch = sim.Shape{Prompt: sim.Between(40_000, 60_000), Output: sim.Between(100, 200)}
	return c, c.Validate()
}

// AffinitySides: four L4s behind round-robin and behind prefix-affinity.
var AffinitySides = [2]ClusterSide{
	{Label: "round-robin", Replicas: ClusterGPUs, Router: "round-robin"},
	{Label: "prefix-affinity", Replicas: ClusterGPUs, Router: "prefix-affinity"},
}

// AffinityPrompts and AffinityPromptTokens are the apps of the affinity
// beat: that many system prompts of that many tokens, more than one L4's
// KV space holds but not more than four together.
const (
	AffinityPrompts      = 24
	AffinityPromptTokens = 3000
)

// AffinityConfig is chats of 24 apps, each with its own 3,000-token
// system prompt, at 2 a second on four L4s (7.9 GB of KV space each).
func AffinityConfig(seed uint64) (sim.Config, error) {
	c, err := base("llama3-8b", "l4", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario, c.Timing, c.Seed = "affinity", "roofline", seed
	w := &c.Workload
	w.Requests, w.InteractiveShare, w.Rate = 300, 1, 2
	w.System = sim.SystemPrompts{Count: AffinityPrompts, Tokens: AffinityPromptTokens, Share: 1}
	return c, c.Validate()
}

// DisaggregationSides: four H100s co-located, and two that prefill beside
// two that decode, over InfiniBand.
var DisaggregationSides = [2]ClusterSide{
	{Label: "co-located", Replicas: ClusterGPUs, Router: "least-requests"},
	{Label: "2 prefill + 2 decode", Prefill: 2, Decode: 2, Router: "least-requests", Link: "ib400"},
}

// DisaggregationConfig is retrieval-augmented chat (2,000–16,000-token
// prompts, short answers) at 4 a second, against a tight TBT target of
// 12 ms and a TTFT target of 1.5 s.
func DisaggregationConfig(seed uint64) (sim.Config, error) {
	c, err := sim.ScenarioConfig("rag")
	if err != nil {
		return c, err
	}
	c.Timing, c.Seed = "roofline", seed
	c.Workload.Requests, c.Workload.Rate = 300, 4
	c.SLO[sim.Interactive] = sim.SLO{TTFT: 1500 * time.Millisecond, TBT: 12 * time.Millisecond}
	return c, c.Validate()
}

// Builder makes a beat's two clusters, for a player to build again.
func Builder(c sim.Config, sides [2]ClusterSide) func() ([]*cluster.Cluster, error) {
	return func() ([]*cluster.Cluster, error) {
		out := make([]*cluster.Cluster, len(sides))
		for i, s := range sides {
			cl, err := s.Build(c)
			if err != nil {
				return nil, err
			}
			out[i] = cl
		}
		return out, nil
	}
}

// Backlog is the routing beat's moment: when one replica of the left
// side had the most requests waiting.
type Backlog struct {
	At      time.Duration
	Replica int // the left side's replica
	Waiting int // its requests waiting then
	// Prompt is the longest prompt under way on it then (0: none), and
	// Other the most requests any replica of the right side had waiting.
	Prompt, Other int
}

// FindBacklog plays the routing beat's two clusters in steps of step and
// finds the moment of the left side's longest queue.
func FindBacklog(c sim.Config, sides [2]ClusterSide, step time.Duration) (b Backlog, ok bool) {
	cls, err := Builder(c, sides)()
	if err != nil {
		return b, false
	}
	for at := step; !cls[0].Done() && at < time.Hour; at += step {
		for _, cl := range cls {
			if cl.AdvanceTo(at) != nil {
				return b, false
			}
		}
		for i, e := range cls[0].Engines {
			if n := e.Waiting(); n > b.Waiting {
				b = Backlog{At: at, Replica: i, Waiting: n, Prompt: LongestPrompt(e), Other: mostWaiting(cls[1])}
			}
		}
	}
	return b, b.Waiting > 0
}

// LongestPrompt is the longest prompt an engine is prefilling or has
// paused (0: none).
func LongestPrompt(e *sim.Engine) int {
	n := 0
	for _, l := range [2]sim.List[int]{e.Prefilling(), e.Paused()} {
		for _, id := range l.All() {
			n = max(n, e.Request(id).Input)
		}
	}
	return n
}

// mostWaiting is the longest queue of a cluster's replicas.
func mostWaiting(cl *cluster.Cluster) int {
	n := 0
	for _, e := range cl.Engines {
		n = max(n, e.Waiting())
	}
	return n
}

// Outcome is a side's whole run, for a beat's caption.
type Outcome struct {
	Summary sim.Summary
	// PerReplica are the replicas' prefix-cache hit rates.
	PerReplica []float64
}

// Outcomes runs both sides to the end.
func Outcomes(c sim.Config, sides [2]ClusterSide) (out [2]Outcome, err error) {
	cls, err := Builder(c, sides)()
	if err != nil {
		return out, err
	}
	for i, cl := range cls {
		if err := cl.Run(); err != nil {
			return out, err
		}
		out[i].Summary = cl.Result().Summary
		for _, e := range cl.Engines {
			out[i].PerReplica = append(out[i].PerReplica, e.Result().Summary.CacheHitRate)
		}
	}
	return out, nil
}
