package cluster

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"inferplay/sim"
)

// MaxReplicas bounds a cluster.
const MaxReplicas = 256

// Cluster is replicas of one serving configuration behind a router.
type Cluster struct {
	cfg     sim.Config
	Engines []*sim.Engine
	Router  RouterInfo
	router  Router
	// Delay is how old the router's view of the replicas may be.
	Delay time.Duration

	traffic []sim.Spec
	next    int // the first request not routed yet
	// replicaOf and idOf say, by the request's place in the traffic,
	// where it went and its ID there.
	replicaOf, idOf []int32
	view            View
	viewAt          time.Duration // when the view was taken (-1: never)
}

// New builds a cluster of n replicas of cfg behind the named router,
// which sees the replicas as they were up to delay ago. The traffic is
// cfg's trace or its open-loop workload, generated once; a closed loop's
// users answer to one replica's latencies, and are refused.
func New(cfg sim.Config, n int, router string, delay time.Duration, opts ...sim.Option) (*Cluster, error) {
	if n < 1 || n > MaxReplicas {
		return nil, fmt.Errorf("replicas: %d is not valid (1 to %d)", n, MaxReplicas)
	}
	info, err := LookupRouter(router)
	if err != nil {
		return nil, err
	}
	if delay < 0 || delay > sim.MaxArrival {
		return nil, fmt.Errorf("router-delay: %s is not valid (0 or more)", delay)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	traffic := cfg.Trace
	if traffic == nil {
		if cfg.Workload.Clients > 0 {
			return nil, fmt.Errorf("replicas: a cluster serves open-loop traffic or a trace; closed-loop clients (-clients) would answer to one replica's latencies")
		}
		if traffic, err = cfg.Workload.Generate(cfg.Seed); err != nil {
			return nil, err
		}
	}
	c := &Cluster{cfg: cfg, Router: info, router: info.New(), Delay: delay, traffic: traffic, viewAt: -1,
		replicaOf: make([]int32, len(traffic)), idOf: make([]int32, len(traffic))}
	for range n {
		e, err := sim.NewOpen(cfg, opts...)
		if err != nil {
			return nil, err
		}
		c.Engines = append(c.Engines, e)
	}
	c.view = View{Replicas: make([]Replica, n), Sent: make([]int, n),
		Rand:   rand.New(rand.NewPCG(cfg.Seed, 0x726f75746572)), // "router"
		cached: func(i int, s sim.Spec) int { return c.Engines[i].CachedPrefixTokens(s) }}
	return c, nil
}

// Config is the replicas' configuration.
func (c *Cluster) Config() sim.Config { return c.cfg }

// Len is the number of requests of the traffic; Routed how many have been
// handed to a replica.
func (c *Cluster) Len() int    { return len(c.traffic) }
func (c *Cluster) Routed() int { return c.next }

// Placement is where the request at place i of the traffic went: its
// replica and its ID there (ok is false until it has been routed).
func (c *Cluster) Placement(i int) (replica, id int, ok bool) {
	if i < 0 || i >= c.next {
		return 0, 0, false
	}
	return int(c.replicaOf[i]), int(c.idOf[i]), true
}

// Run routes every request as it arrives and runs the replicas until all
// have finished (or reached MaxTicks, or one is stuck).
func (c *Cluster) Run() error {
	for c.next < len(c.traffic) {
		if err := c.routeNext(); err != nil {
			return err
		}
	}
	for _, e := range c.Engines {
		e.Run()
		if s := e.Stuck(); s != "" {
			return fmt.Errorf("a replica is stuck: %s", s)
		}
	}
	return nil
}

// routeNext brings every replica to the next arrival, lets the router
// choose, and submits the request there.
func (c *Cluster) routeNext() error {
	s := c.traffic[c.next]
	for _, e := range c.Engines {
		e.AdvanceTo(s.Arrival)
	}
	c.look(s.Arrival)
	i := c.router.Route(s, &c.view)
	if i < 0 || i >= len(c.Engines) {
		i = 0 // a router's mistake must not lose the request
	}
	id, err := c.Engines[i].Submit(s)
	if err != nil {
		return fmt.Errorf("request %d: %w", c.next, err)
	}
	c.replicaOf[c.next], c.idOf[c.next] = int32(i), int32(id)
	c.view.Sent[i]++
	c.next++
	return nil
}

// look refreshes the router's view when it is older than the delay (with
// no delay, at every arrival).
func (c *Cluster) look(now time.Duration) {
	if c.viewAt >= 0 && now-c.viewAt < c.Delay {
		return
	}
	c.viewAt = now
	for i, e := range c.Engines {
		util := 0.0
		if n := e.CapacityBlocks(); n > 0 {
			util = float64(e.HeldBlocks()) / float64(n)
		}
		c.view.Replicas[i] = Replica{Outstanding: e.Len() - e.Finished(), KVUtil: util}
		c.view.Sent[i] = 0
	}
}

// Result summarizes the whole cluster as one run.
func (c *Cluster) Result() sim.Result { return sim.ClusterResult(c.Engines) }

// WriteRequests writes the requests file of the whole traffic, a row per
// request in arrival order with the replica that served it (a valid trace
// of the traffic; see sim.WriteClusterRequests). Requests not routed yet
// are left out.
func (c *Cluster) WriteRequests(w io.Writer) error {
	return sim.WriteClusterRequests(w, c.Engines, c.next, func(i int) (int, int) {
		return int(c.replicaOf[i]), int(c.idOf[i])
	})
}
