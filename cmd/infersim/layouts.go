package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"inferplay/cluster"
	"inferplay/sim"
)

// A comparison's rows may run on a cluster: every row on the one the
// flags describe (-replicas, -pd), or each on its own, named as a row
// (-compare replicas=4,pd=2:2,pd=1:3) with the router and interconnect of
// the flags. Rows of layouts at the same GPU count show what splitting
// prompts from tokens buys.

// layout is the cluster a comparison row runs on.
type layout struct {
	replicas        int // co-located replicas, or 0 when disaggregated
	prefill, decode int
	router          string
	delay           time.Duration
	link            sim.Interconnect
}

// baseLayout is the cluster the flags describe (one replica when they
// name none), with a router and interconnect that exist.
func baseLayout(o *options) (*layout, error) {
	ic, err := sim.LookupInterconnect(o.cluster.interconnect)
	if err != nil {
		return nil, err
	}
	if _, err := cluster.LookupRouter(o.cluster.router); err != nil {
		return nil, err
	}
	l := &layout{replicas: o.cluster.replicas, router: o.cluster.router, link: ic,
		delay: time.Duration(math.Round(o.cluster.routerDelayMs * float64(time.Millisecond)))}
	if o.set["pd"] {
		l.replicas, l.prefill, l.decode = 0, o.cluster.prefill, o.cluster.decode
	}
	return l, nil
}

// layoutSide reads a comparison row that names a cluster: replicas=N or
// pd=P:D, over base; ok is false for any other row.
func layoutSide(side string, base layout) (l layout, ok bool, err error) {
	key, value, _ := strings.Cut(side, "=")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	switch key {
	case "replicas":
		n, whole := sim.ParseWhole(value)
		if !whole || n < 1 || n > cluster.MaxReplicas {
			return l, true, fmt.Errorf("compare: replicas %q is not a whole number from 1 to %d", value, cluster.MaxReplicas)
		}
		base.replicas, base.prefill, base.decode = int(n), 0, 0
	case "pd":
		p, d, valid := cluster.ParsePD(value)
		if !valid {
			return l, true, fmt.Errorf("compare: pd %q is not prefill:decode replicas, as 2:2, each at least 1 and %d in all at most", value, cluster.MaxReplicas)
		}
		base.replicas, base.prefill, base.decode = 0, p, d
	default:
		return l, false, nil
	}
	return base, true, nil
}

func (l *layout) String() string {
	if l.replicas > 0 {
		return fmt.Sprintf("%d replicas behind %s", l.replicas, l.router)
	}
	return fmt.Sprintf("%d prefill + %d decode over %s, behind %s", l.prefill, l.decode, l.link.Name, l.router)
}

// clustered reports whether the layout is a cluster, not one engine.
func (l *layout) clustered() bool { return l != nil && (l.replicas > 1 || l.prefill > 0) }

// build makes the layout's cluster for cfg's traffic.
func (l *layout) build(cfg sim.Config) (*cluster.Cluster, error) {
	if l.prefill > 0 {
		return cluster.NewDisaggregated(cfg, l.prefill, l.decode, l.router, l.delay, l.link, sim.WithoutBlockMap())
	}
	return cluster.New(cfg, l.replicas, l.router, l.delay, sim.WithoutBlockMap())
}

// run serves cfg's traffic on the layout.
func (l *layout) run(cfg sim.Config) (rowResult, error) {
	cl, err := l.build(cfg)
	if err != nil {
		return rowResult{}, err
	}
	if err := cl.Run(); err != nil {
		return rowResult{}, fmt.Errorf("%s: the run could not go on: %w", l, err)
	}
	return resultOf(cl.Result(), cl.Engines), nil
}

// rowResult is one run of a comparison row: its result, and the share of
// its requests that met each of their class's targets alone.
type rowResult struct {
	sim.Result
	ttftMet, tbtMet float64
}

// resultOf adds to res, the result of engines, the share of requests
// meeting each target. A request a prefill replica sent on is counted on
// its decode replica.
func resultOf(res sim.Result, engines []*sim.Engine) rowResult {
	row := rowResult{Result: res}
	var ttft, tbt, n int
	for _, e := range engines {
		slo := e.Config().SLO
		for i := range e.Len() {
			r := e.Request(i)
			if r.State == sim.Sent || r.State == sim.Sending {
				continue
			}
			n++
			if r.State != sim.Done {
				continue
			}
			m, target := r.Metrics(), slo[r.Class]
			if (sim.SLO{TTFT: target.TTFT}).Met(m) {
				ttft++
			}
			if (sim.SLO{TBT: target.TBT}).Met(m) {
				tbt++
			}
		}
	}
	if n > 0 {
		row.ttftMet, row.tbtMet = float64(ttft)/float64(n), float64(tbt)/float64(n)
	}
	return row
}
