package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"inferplay/sim"
)

// A Router picks the replica for a request as it arrives, from what it
// sees of them.
type Router interface {
	Route(s sim.Spec, v *View) int
}

// blindRouter is a router that chooses without looking at the replicas
// (round-robin, random): the cluster then brings only the chosen replica
// up to each arrival, so that a request costs the same on 4 replicas as on
// 256, and reads no view.
type blindRouter interface{ blind() }

// View is what a router sees: each replica's load as of a moment up to
// the router's delay ago, what it has sent each since, and the replicas'
// caches (a prefix-aware router's index). Rand is the router's own
// randomness, seeded from the run's seed.
type View struct {
	Replicas []Replica
	Sent     []int
	Rand     *rand.Rand
	cached   func(replica int, s sim.Spec) int
}

// Replica is one replica's load as the router last saw it.
type Replica struct {
	Outstanding int     // requests arrived and not finished
	KVUtil      float64 // VRAM KV blocks held, a fraction of its capacity
}

// Load is the requests a replica has that the router knows of: those it
// last saw, and those it has sent since.
func (v *View) Load(i int) int { return v.Replicas[i].Outstanding + v.Sent[i] }

// CachedPrefixTokens is how much of a request's prompt a replica holds in
// its prefix cache now.
func (v *View) CachedPrefixTokens(i int, s sim.Spec) int { return v.cached(i, s) }

// RouterInfo describes a registered router.
type RouterInfo struct {
	Name        string
	Description string
	New         func() Router
}

// DefaultRouter is the router a cluster uses unless told otherwise.
const DefaultRouter = "round-robin"

var routers = []RouterInfo{
	{"round-robin", "Each replica in turn, whatever its load.", func() Router { return &roundRobin{} }},
	{"random", "A replica at random (seeded), whatever its load.", func() Router { return random{} }},
	{"least-requests", "The replica with the fewest requests outstanding (arrived, not finished).", func() Router { return leastRequests{} }},
	{"least-kv", "The replica whose VRAM holds the least KV, as a fraction of its KV space.", func() Router { return leastKV{} }},
	{"power-of-two", "Two replicas at random, and the one of them with fewer requests outstanding.", func() Router { return powerOfTwo{} }},
	{"prefix-affinity", "The replica that caches the longest prefix of the prompt, unless it has many more requests outstanding than the least loaded; then that one.", func() Router { return prefixAffinity{} }},
}

// Routers lists the routers, in the order of their descriptions.
func Routers() []RouterInfo { return slices.Clone(routers) }

// LookupRouter finds a router by name.
func LookupRouter(name string) (RouterInfo, error) {
	names := make([]string, len(routers))
	for i, r := range routers {
		if r.Name == name {
			return r, nil
		}
		names[i] = r.Name
	}
	return RouterInfo{}, fmt.Errorf("router: %q is not a router (valid: %s)", name, strings.Join(names, ", "))
}
