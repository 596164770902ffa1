package settings

import (
	"flag"
	"fmt"

	"inferplay/cluster"
	"inferplay/sim"
)

// Cluster is the playground's cluster mode: its traffic served by
// replicas behind a router, or by prefill and decode pools. The zero value
// is one GPU, the playground as it always was.
type Cluster struct {
	Replicas        int // co-located replicas (0 or 1: one GPU)
	Prefill, Decode int // disaggregated pools (0: not)
	Router          string
	Interconnect    string
}

// On reports whether the playground serves its traffic with a cluster.
func (c Cluster) On() bool { return c.Replicas > 1 || c.Prefill > 0 }

// clusterFlags are the cluster mode's flags as given.
type clusterFlags struct {
	replicas           int
	pd, router, linkID string
}

func (f *clusterFlags) define(fs *flag.FlagSet) {
	fs.IntVar(&f.replicas, "replicas", 1, "playground: serve its traffic with this many copies of the GPU behind -router (1 to 256)")
	fs.StringVar(&f.router, "router", cluster.DefaultRouter, "playground, with -replicas or -pd: which replica gets each request")
	fs.StringVar(&f.pd, "pd", "", "playground: P prefill GPUs send each prompt's KV to D decode GPUs, as 2:2 (instead of -replicas)")
	fs.StringVar(&f.linkID, "interconnect", sim.DefaultInterconnect, "playground, with -pd: the link between the pools (nvlink, ib400, roce100)")
}

// cluster checks the flags and gives the mode they ask for.
func (f *clusterFlags) cluster(set map[string]bool) (Cluster, error) {
	c := Cluster{Router: f.router, Interconnect: f.linkID}
	if _, err := cluster.LookupRouter(f.router); err != nil {
		return c, err
	}
	if _, err := sim.LookupInterconnect(f.linkID); err != nil {
		return c, err
	}
	if f.replicas < 1 || f.replicas > cluster.MaxReplicas {
		return c, fmt.Errorf("replicas: %d is not valid (1 to %d)", f.replicas, cluster.MaxReplicas)
	}
	c.Replicas = f.replicas
	if f.pd != "" {
		if set["replicas"] {
			return c, fmt.Errorf("pd: -pd P:D gives the GPUs, P+D of them; leave out -replicas")
		}
		p, d, ok := cluster.ParsePD(f.pd)
		if !ok {
			return c, fmt.Errorf("pd: %q is not prefill:decode GPUs, as 2:2, each at least 1 and %d in all at most", f.pd, cluster.MaxReplicas)
		}
		c.Replicas, c.Prefill, c.Decode = 0, p, d
	}
	switch {
	case (set["router"] || set["interconnect"]) && !c.On():
		return c, fmt.Errorf("router: -router and -interconnect need -replicas N (above 1) or -pd P:D")
	case set["interconnect"] && c.Prefill == 0:
		return c, fmt.Errorf("interconnect: -interconnect links prefill to decode GPUs, and needs -pd P:D")
	}
	return c, nil
}
