package cluster

import (
	"fmt"
	"time"

	"inferplay/sim"
)

// Driving a cluster a little at a time, for a picture that plays it:
// AdvanceTo moves the whole cluster to a time, routing what arrives and
// handing over what lands before it, so that any sequence of AdvanceTo
// calls followed by Run gives the run Run alone gives.

// AdvanceTo routes every request that arrives before t, hands to a decode
// replica every KV that lands by then, and brings every replica to t. It
// returns an error if a replica is stuck or refuses a request.
func (c *Cluster) AdvanceTo(t time.Duration) error {
	if c.pd != nil {
		return c.advanceDisaggregated(t)
	}
	for c.next < len(c.traffic) && c.traffic[c.next].Arrival < t {
		if err := c.routeNext(); err != nil {
			return err
		}
	}
	for _, e := range c.Engines {
		e.AdvanceTo(t)
		if s := e.Stuck(); s != "" {
			return fmt.Errorf("a replica is stuck: %s", s)
		}
	}
	c.now = max(c.now, t)
	return nil
}

// advanceDisaggregated is AdvanceTo with two pools: the arrivals before t
// go to prefill replicas, in order, each after the prefill pool has been
// brought to it and what landed by then has been handed over; then both
// pools are brought to t.
func (c *Cluster) advanceDisaggregated(t time.Duration) error {
	for {
		until, arrival := t, false
		if c.next < len(c.traffic) && c.traffic[c.next].Arrival < t {
			until, arrival = c.traffic[c.next].Arrival, true
		}
		if err := c.collectSends(until); err != nil {
			return err
		}
		if err := c.handOver(until); err != nil {
			return err
		}
		if !arrival {
			break
		}
		if err := c.routePrefill(); err != nil {
			return err
		}
	}
	for _, e := range c.Engines[c.pd.prefill:] {
		e.AdvanceTo(t)
	}
	c.now = max(c.now, t)
	return nil
}

// collectSends brings the prefill pool to t and queues the copies it
// issued on the way.
func (c *Cluster) collectSends(t time.Duration) error {
	for p, e := range c.Engines[:c.pd.prefill] {
		e.AdvanceTo(t)
		if s := e.Stuck(); s != "" {
			return fmt.Errorf("a prefill replica is stuck: %s", s)
		}
		for _, s := range e.TakeSent() {
			c.pd.landing.push(landing{from: p, seq: c.pd.issued, send: s})
			c.pd.issued++
		}
	}
	return nil
}

// handOver gives every KV that has landed by t to a decode replica, in the
// order they land.
func (c *Cluster) handOver(t time.Duration) error {
	for len(c.pd.landing) > 0 && c.pd.landing[0].send.End <= t {
		if err := c.handOff(c.pd.landing.pop()); err != nil {
			return err
		}
	}
	return nil
}

// routePrefill sends the next arrival to a prefill replica.
func (c *Cluster) routePrefill() error {
	s := c.traffic[c.next]
	p := c.route(&c.pools[0], s, s.Arrival)
	if _, err := c.Engines[p].SubmitPrefill(s); err != nil {
		return fmt.Errorf("request %d: %w", c.next, err)
	}
	c.pd.prefillOf[c.next] = int32(p)
	c.pd.placeOn[p] = append(c.pd.placeOn[p], int32(c.next))
	c.next++
	return nil
}

// Now is the time the cluster has been brought to.
func (c *Cluster) Now() time.Duration { return c.now }

// Done reports whether every request has been routed and every replica
// has nothing left to do (finished, stuck or stopped by MaxTicks), with no
// KV still on its way.
func (c *Cluster) Done() bool {
	if c.next < len(c.traffic) || c.pd != nil && len(c.pd.landing) > 0 {
		return false
	}
	for _, e := range c.Engines {
		if _, busy := e.NextEvent(); busy {
			return false
		}
	}
	return true
}

// Flight is a prompt's KV on its way from a prefill replica, for drawing.
type Flight struct {
	From int      // the prefill replica
	Send sim.Send // its copy; Send.Req is the request's ID there
}

// InFlight appends to dst the KV copies issued and not yet handed to a
// decode replica, in no particular order: a picture that asks every frame
// reuses its buffer.
func (c *Cluster) InFlight(dst []Flight) []Flight {
	if c.pd == nil {
		return dst
	}
	for _, l := range c.pd.landing {
		dst = append(dst, Flight{From: l.from, Send: l.send})
	}
	return dst
}
