package cluster

import "inferplay/sim"

// The routers. Ties go to the lowest-numbered replica, so that every
// choice is reproducible.

type roundRobin struct{ next int }

// Round-robin and random choose without looking at the replicas.
func (*roundRobin) blind() {}
func (random) blind()      {}

func (r *roundRobin) Route(_ sim.Spec, v *View) int {
	i := r.next % len(v.Replicas)
	r.next = i + 1
	return i
}

type random struct{}

func (random) Route(_ sim.Spec, v *View) int { return v.Rand.IntN(len(v.Replicas)) }

type leastRequests struct{}

func (leastRequests) Route(_ sim.Spec, v *View) int { return leastLoaded(v) }

// leastLoaded is the replica with the fewest requests the router knows of.
func leastLoaded(v *View) int {
	best := 0
	for i := 1; i < len(v.Replicas); i++ {
		if v.Load(i) < v.Load(best) {
			best = i
		}
	}
	return best
}

type leastKV struct{}

// Route: the least KV held; among equals, the fewest requests, which also
// spreads requests sent before the view shows their KV.
func (leastKV) Route(_ sim.Spec, v *View) int {
	best := 0
	for i := 1; i < len(v.Replicas); i++ {
		a, b := v.Replicas[i].KVUtil, v.Replicas[best].KVUtil
		if a < b || a == b && v.Load(i) < v.Load(best) {
			best = i
		}
	}
	return best
}

type powerOfTwo struct{}

func (powerOfTwo) Route(_ sim.Spec, v *View) int {
	n := len(v.Replicas)
	if n == 1 {
		return 0
	}
	a := v.Rand.IntN(n)
	b := v.Rand.IntN(n - 1)
	if b >= a {
		b++ // two different replicas
	}
	if v.Load(b) < v.Load(a) || v.Load(b) == v.Load(a) && b < a {
		return b
	}
	return a
}

type prefixAffinity struct{}

// affinitySlack is how many more requests than the least loaded replica a
// replica may have and still get a request for its cached prefix: past
// it, one popular prefix would flood one replica.
func affinitySlack(least int) int { return max(4, least/2) }

// Route: the longest cached prefix, among replicas within the slack of the
// least loaded; with no prefix cached anywhere, the least loaded.
func (prefixAffinity) Route(s sim.Spec, v *View) int {
	least := leastLoaded(v)
	limit := v.Load(least) + affinitySlack(v.Load(least))
	best, bestTokens := least, 0
	for i := range v.Replicas {
		if v.Load(i) > limit {
			continue
		}
		if t := v.CachedPrefixTokens(i, s); t > bestTokens || t == bestTokens && t > 0 && v.Load(i) < v.Load(best) {
			best, bestTokens = i, t
		}
	}
	return best
}
