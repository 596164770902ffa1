package cluster

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"inferplay/sim"
)

// Disaggregated prefill and decode: a pool of replicas runs the prompts,
// and sends each prompt's KV over the interconnect to a replica of a
// second pool, which produces its tokens. The router chooses in each pool
// as it would in one: a prompt's prefill replica when it arrives, its
// decode replica when its KV lands.

// disaggregation is the state of a cluster with separate pools.
type disaggregation struct {
	prefill int // the prefill pool: Engines[:prefill]
	link    sim.Interconnect
	// prefillOf is, by the request's place in the traffic, its prefill
	// replica; placeOn[p][id] the place of request id of prefill replica p.
	prefillOf []int32
	placeOn   [][]int32
	handed    []bool // by place: whether its decode replica has it
	landing   landings
	issued    uint64 // copies seen so far, to order equal landings
	handoffs  []Handoff
}

// Handoff is a request's KV handed from a prefill replica to a decode
// replica, in the order they landed.
type Handoff struct {
	Place    int // the request's place in the traffic
	From, To int // the replicas, as indices of Engines
}

// Handoffs lists the handoffs so far, in the order the KV landed; a
// picture draws the packets of those it has not seen.
func (c *Cluster) Handoffs() []Handoff {
	if c.pd == nil {
		return nil
	}
	return c.pd.handoffs
}

// NewDisaggregated builds a cluster of prefill replicas and decode
// replicas of cfg, linked by ic, with the named router choosing in each
// pool. It needs the continuous batcher, whose running batch a request
// can join with its KV already in place. The decode replicas cache no
// prefixes: every request brings all of its KV.
func NewDisaggregated(cfg sim.Config, prefill, decode int, router string, delay time.Duration, ic sim.Interconnect, opts ...sim.Option) (*Cluster, error) {
	if prefill < 1 || decode < 1 || prefill+decode > MaxReplicas {
		return nil, fmt.Errorf("pd: %d prefill and %d decode replicas is not valid (at least 1 of each, %d in all at most)", prefill, decode, MaxReplicas)
	}
	if b := cfg.BatcherInfo(); !b.Budgeted || b.Static {
		return nil, fmt.Errorf("pd: disaggregated prefill and decode needs the continuous batcher, whose running batch a request joins with its KV in place (add -timing roofline or -batcher continuous); this run uses the %s batcher", b.Name)
	}
	c, err := newCluster(cfg, router, delay)
	if err != nil {
		return nil, err
	}
	if err := c.addPool(cfg, prefill, opts); err != nil {
		return nil, err
	}
	for _, e := range c.Engines {
		e.SendKVOver(ic)
	}
	dec := cfg
	dec.NoPrefixCaching, dec.CPUCacheBytes = true, 0
	if err := c.addPool(dec, decode, opts); err != nil {
		return nil, err
	}
	c.pd = &disaggregation{prefill: prefill, link: ic, prefillOf: make([]int32, len(c.traffic)),
		placeOn: make([][]int32, prefill), handed: make([]bool, len(c.traffic))}
	return c, nil
}

// ParsePD reads "P:D", a disaggregated cluster's prefill and decode
// replicas: each at least 1, MaxReplicas in all at most.
func ParsePD(s string) (prefill, decode int, ok bool) {
	ps, ds, found := strings.Cut(s, ":")
	p, okP := sim.ParseWhole(ps)
	d, okD := sim.ParseWhole(ds)
	if !found || !okP || !okD || p < 1 || d < 1 || p+d > MaxReplicas {
		return 0, 0, false
	}
	return int(p), int(d), true
}

// Disaggregated reports whether prompts and tokens run on separate pools,
// and if so how many replicas prefill and over which interconnect.
func (c *Cluster) Disaggregated() (prefill int, link sim.Interconnect, ok bool) {
	if c.pd == nil {
		return 0, sim.Interconnect{}, false
	}
	return c.pd.prefill, c.pd.link, true
}

// PrefillPlacement is the prefill replica of the request at place i of
// the traffic and its ID there (ok is false until it has been routed, or
// if the cluster is not disaggregated).
func (c *Cluster) PrefillPlacement(i int) (replica, id int, ok bool) {
	if c.pd == nil || i < 0 || i >= c.next {
		return 0, 0, false
	}
	p := int(c.pd.prefillOf[i])
	return p, c.indexOn(p, i), true
}

// indexOn is the ID on prefill replica p of the request at place i: its
// requests are all the cluster's, numbered as they came.
func (c *Cluster) indexOn(p, i int) int {
	on := c.pd.placeOn[p]
	lo, hi := 0, len(on)
	for lo < hi { // places on one replica rise with its IDs
		mid := (lo + hi) / 2
		if int(on[mid]) < i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// runDisaggregated routes every arrival to a prefill replica and every
// landed KV to a decode replica, in time order, then runs the decode
// replicas to the end. The prefill replicas never hear from the decode
// ones, so each is brought up to the next arrival first; every copy that
// lands by then has been issued, and is handed over in the order they land.
func (c *Cluster) runDisaggregated() error {
	for c.next < len(c.traffic) {
		until := c.traffic[c.next].Arrival
		if err := c.collectSends(until); err != nil {
			return err
		}
		if err := c.handOver(until); err != nil {
			return err
		}
		if err := c.routePrefill(); err != nil {
			return err
		}
	}
	if err := c.collectSends(time.Duration(math.MaxInt64)); err != nil {
		return err
	}
	if err := c.handOver(time.Duration(math.MaxInt64)); err != nil {
		return err
	}
	return c.finish(c.Engines[c.pd.prefill:])
}

// handOff gives a landed KV's request to a decode replica.
func (c *Cluster) handOff(l landing) error {
	place := c.pd.placeOn[l.from][l.send.Req]
	at := l.send.End
	for _, e := range c.Engines[c.pd.prefill:] {
		e.AdvanceTo(at)
	}
	d := c.route(&c.pools[1], c.traffic[place], at)
	id, err := c.Engines[d].SubmitHandoff(c.traffic[place], c.Engines[l.from].HandoffOf(l.send))
	if err != nil {
		return fmt.Errorf("request %d: %w", place, err)
	}
	c.replicaOf[place], c.idOf[place] = int32(d), int32(id)
	c.pd.handed[place] = true
	c.pd.handoffs = append(c.pd.handoffs, Handoff{Place: int(place), From: l.from, To: d})
	return nil
}

// writeDisaggregated writes the requests file of a disaggregated run: a
// request's row is its decode replica's, or its prefill replica's while
// its KV has not landed.
func (c *Cluster) writeDisaggregated(w io.Writer) error {
	return sim.WriteClusterRequests(w, c.Engines, c.next, func(i int) (int, int) {
		if c.pd.handed[i] {
			return int(c.replicaOf[i]), int(c.idOf[i])
		}
		p, id, _ := c.PrefillPlacement(i)
		return p, id
	}, func(i int) int { return int(c.pd.prefillOf[i]) })
}

// landing is a copy on its way to a decode replica.
type landing struct {
	from int    // the prefill replica
	seq  uint64 // the order it was seen in
	send sim.Send
}

// landings is a min-heap of copies by when they land, then by the order
// they were seen: the same order on every run. It is typed, not a
// container/heap, so that a copy is never boxed: a cluster sees one per
// request.
type landings []landing

func (h landings) less(i, j int) bool {
	if h[i].send.End != h[j].send.End {
		return h[i].send.End < h[j].send.End
	}
	return h[i].seq < h[j].seq
}

// push adds a copy.
func (h *landings) push(l landing) {
	*h = append(*h, l)
	q := *h
	for i := len(q) - 1; i > 0; {
		parent := (i - 1) / 2
		if !q.less(i, parent) {
			break
		}
		q[i], q[parent] = q[parent], q[i]
		i = parent
	}
}

// pop takes the copy that lands first.
func (h *landings) pop() landing {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		small, l, r := i, 2*i+1, 2*i+2
		if l < len(q) && q.less(l, small) {
			small = l
		}
		if r < len(q) && q.less(r, small) {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	*h = q
	return top
}
