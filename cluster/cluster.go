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

// Cluster is replicas of one serving configuration behind a router: one
// pool of replicas that each serve whole requests, or, disaggregated, a
// pool that prefills and a pool that decodes (pd.go).
type Cluster struct {
	cfg sim.Config
	// Engines are the replicas: the prefill pool's first, when the
	// cluster is disaggregated, then the decode pool's.
	Engines []*sim.Engine
	Router  RouterInfo
	// Delay is how old the router's view of the replicas may be.
	Delay time.Duration

	traffic []sim.Spec
	next    int // the first request not routed yet
	// replicaOf and idOf say, by the request's place in the traffic,
	// where it went and its ID there: the replica that served it whole,
	// or that decoded it (pd.go).
	replicaOf, idOf []int32
	pools           []pool
	pd              *disaggregation
	now             time.Duration // the time AdvanceTo last reached
}

// pool is replicas the router chooses among, with its own view of them.
type pool struct {
	first  int // its first replica in Engines
	router Router
	view   View
	viewAt time.Duration // when the view was taken (-1: never)
}

// New builds a cluster of n replicas of cfg behind the named router,
// which sees the replicas as they were up to delay ago. The traffic is
// cfg's trace or its open-loop workload, generated once; a closed loop's
// users answer to one replica's latencies, and are refused.
func New(cfg sim.Config, n int, router string, delay time.Duration, opts ...sim.Option) (*Cluster, error) {
	if n < 1 || n > MaxReplicas {
		return nil, fmt.Errorf("replicas: %d is not valid (1 to %d)", n, MaxReplicas)
	}
	c, err := newCluster(cfg, router, delay)
	if err != nil {
		return nil, err
	}
	if err := c.addPool(cfg, n, opts); err != nil {
		return nil, err
	}
	return c, nil
}

// newCluster checks what every cluster needs and generates its traffic.
func newCluster(cfg sim.Config, router string, delay time.Duration) (*Cluster, error) {
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
	return &Cluster{cfg: cfg, Router: info, Delay: delay, traffic: traffic,
		replicaOf: make([]int32, len(traffic)), idOf: make([]int32, len(traffic))}, nil
}

// addPool adds n replicas of cfg, chosen among by a router of their own.
func (c *Cluster) addPool(cfg sim.Config, n int, opts []sim.Option) error {
	first := len(c.Engines)
	for range n {
		e, err := sim.NewOpen(cfg, opts...)
		if err != nil {
			return err
		}
		c.Engines = append(c.Engines, e)
	}
	// Each pool's randomness is its own stream of the run's seed.
	stream := 0x726f75746572 + uint64(len(c.pools)) // "router"
	c.pools = append(c.pools, pool{first: first, router: c.Router.New(), viewAt: -1, view: View{
		Replicas: make([]Replica, n), Sent: make([]int, n), Rand: rand.New(rand.NewPCG(cfg.Seed, stream)),
		cached: func(i int, s sim.Spec) int { return c.Engines[first+i].CachedPrefixTokens(s) }}})
	return nil
}

// Spec is the request at place i of the traffic, as the client sent it.
func (c *Cluster) Spec(i int) sim.Spec { return c.traffic[i] }

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
	if c.pd != nil {
		return c.runDisaggregated()
	}
	for c.next < len(c.traffic) {
		if err := c.routeNext(); err != nil {
			return err
		}
	}
	return c.finish(c.Engines)
}

// finish runs engines to their end.
func (c *Cluster) finish(engines []*sim.Engine) error {
	for _, e := range engines {
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
	var i int
	if p := &c.pools[0]; isBlind(p.router) {
		// The replicas run independently: the others catch up when next
		// chosen, or at the end, and run as they would have.
		i = p.first + max(0, min(p.router.Route(s, &p.view), len(p.view.Replicas)-1))
		c.Engines[i].AdvanceTo(s.Arrival)
	} else {
		for _, e := range c.Engines {
			e.AdvanceTo(s.Arrival)
		}
		i = c.route(p, s, s.Arrival)
	}
	id, err := c.Engines[i].Submit(s)
	if err != nil {
		return fmt.Errorf("request %d: %w", c.next, err)
	}
	c.replicaOf[c.next], c.idOf[c.next] = int32(i), int32(id)
	c.next++
	return nil
}

// route asks the pool's router for a replica for s at now, and returns
// its index in Engines.
func (c *Cluster) route(p *pool, s sim.Spec, now time.Duration) int {
	c.look(p, now)
	i := p.router.Route(s, &p.view)
	if i < 0 || i >= len(p.view.Replicas) {
		i = 0 // a router's mistake must not lose the request
	}
	p.view.Sent[i]++
	return p.first + i
}

// look refreshes a pool's view when it is older than the delay (with no
// delay, at every arrival).
func (c *Cluster) look(p *pool, now time.Duration) {
	if p.viewAt >= 0 && now-p.viewAt < c.Delay {
		return
	}
	p.viewAt = now
	for i := range p.view.Replicas {
		e := c.Engines[p.first+i]
		util := 0.0
		if n := e.CapacityBlocks(); n > 0 {
			util = float64(e.HeldBlocks()) / float64(n)
		}
		p.view.Replicas[i] = Replica{Outstanding: e.Len() - e.Finished(), KVUtil: util}
		p.view.Sent[i] = 0
	}
}

// Result summarizes the whole cluster as one run.
func (c *Cluster) Result() sim.Result { return sim.ClusterResult(c.Engines) }

// WriteRequests writes the requests file of the whole traffic, a row per
// request in arrival order with the replica that served it (a valid trace
// of the traffic; see sim.WriteClusterRequests). Requests not routed yet
// are left out.
func (c *Cluster) WriteRequests(w io.Writer) error {
	if c.pd != nil {
		return c.writeDisaggregated(w)
	}
	return sim.WriteClusterRequests(w, c.Engines, c.next, func(i int) (int, int) {
		return int(c.replicaOf[i]), int(c.idOf[i])
	}, nil)
}

// isBlind reports whether a router chooses without a view.
func isBlind(r Router) bool {
	_, ok := r.(blindRouter)
	return ok
}
