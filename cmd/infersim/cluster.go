package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"inferplay/cluster"
	"inferplay/sim"
)

// clustered reports whether the flags ask for replicas behind a router.
func (o *options) clustered() bool {
	return o.set["replicas"] || o.set["router"] || o.set["router-delay-ms"] || o.set["pd"] || o.set["interconnect"]
}

// newCluster builds the cluster the flags describe, or says why it cannot.
func newCluster(cfg sim.Config, o *options) (*cluster.Cluster, error) {
	l, err := baseLayout(o)
	if err != nil {
		return nil, err
	}
	switch {
	case o.set["pd"] && o.set["replicas"]:
		return nil, fmt.Errorf("pd: -pd P:D gives the replicas, P+D of them; leave out -replicas")
	case o.set["interconnect"] && !o.set["pd"]:
		return nil, fmt.Errorf("interconnect: -interconnect links prefill to decode replicas, and needs -pd P:D")
	case !o.set["replicas"] && !o.set["pd"]:
		return nil, fmt.Errorf("router: -router and -router-delay-ms need -replicas N or -pd P:D")
	}
	for _, f := range []string{"events-out", "series-out"} {
		if o.set[f] {
			return nil, fmt.Errorf("%s: not available with -replicas or -pd (a cluster runs once, and reports its summary and each replica's)", f)
		}
	}
	return l.build(cfg)
}

// jsonClusterReport is the JSON document of a cluster's run: the whole
// cluster's figures where a run has its own, the cluster's settings, and
// each replica's summary.
type jsonClusterReport struct {
	jsonReport
	Cluster  jsonCluster   `json:"cluster"`
	Replicas []sim.Summary `json:"replicas"`
}

type jsonCluster struct {
	Replicas      int     `json:"replicas"`
	Router        string  `json:"router"`
	RouterDelayMs float64 `json:"router_delay_ms"`
	// Disaggregated: the first Prefill replicas prefill, the other Decode
	// decode, linked by Interconnect.
	Prefill      int    `json:"prefill_replicas,omitempty"`
	Decode       int    `json:"decode_replicas,omitempty"`
	Interconnect string `json:"interconnect,omitempty"`
}

// writeClusterReport writes a cluster's run as a table or JSON.
func writeClusterReport(w io.Writer, format string, cl *cluster.Cluster) error {
	res := cl.Result()
	if format == "json" {
		rep := jsonClusterReport{
			jsonReport: jsonReport{Config: configJSON(cl.Config()), Summary: res.Summary, Classes: map[string]sim.Summary{}, Iterations: res.Iterations},
			Cluster:    jsonCluster{Replicas: len(cl.Engines), Router: cl.Router.Name, RouterDelayMs: float64(cl.Delay) / float64(time.Millisecond)},
		}
		if p, ic, ok := cl.Disaggregated(); ok {
			rep.Cluster.Prefill, rep.Cluster.Decode, rep.Cluster.Interconnect = p, len(cl.Engines)-p, ic.Name
		}
		for c, s := range res.Classes {
			rep.Classes[c.String()] = s
		}
		for _, e := range cl.Engines {
			rep.Replicas = append(rep.Replicas, e.Result().Summary)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	writeHeader(w, cl.Config())
	view := "fresh at every arrival"
	if cl.Delay > 0 {
		view = "up to " + latency(float64(cl.Delay)/float64(time.Millisecond)) + " old"
	}
	prefill, ic, pd := cl.Disaggregated()
	if pd {
		fmt.Fprintf(w, "Cluster: %d prefill and %d decode replicas of this instance, linked by %s, behind the %s router in each pool, its view of their load %s\n",
			prefill, len(cl.Engines)-prefill, ic.Name, cl.Router.Name, view)
		fmt.Fprintf(w, "Interconnect %s: %s\n", ic.Name, ic.Description)
		s := res.Summary
		fmt.Fprintf(w, "KV sent to decode replicas: %s in all; per request from prompt done to KV landed: mean %s, p99 %s\n",
			sim.FormatBytes(s.KVTransferBytes), latency(s.KVTransfer.Mean), latency(s.KVTransfer.P99))
	} else {
		fmt.Fprintf(w, "Cluster: %d replicas of this instance behind the %s router, its view of their load %s\n", len(cl.Engines), cl.Router.Name, view)
	}
	fmt.Fprintf(w, "Router %s: %s\n", cl.Router.Name, cl.Router.Description)
	if err := writeResult(w, res, len(cl.Engines)); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if pd {
		fmt.Fprintln(tw, "replica\trole\treqs\tdone\tqueue p50\tTTFT p50\tTTFT p99\tTBT p50\tTBT p99\ttok/s\tpreempted\tpeak KV\tcached\t")
	} else {
		fmt.Fprintln(tw, "replica\treqs\tdone\tTTFT p50\tTTFT p99\tTBT p50\ttok/s\tpreempted\tpeak KV\tcached\tin SLO\t")
	}
	for i, e := range cl.Engines {
		s := e.Result().Summary
		switch {
		case pd && i < prefill:
			// A prefill replica's requests end when their KV has left.
			fmt.Fprintf(tw, "%d\tprefill\t%d\t%d sent\t%s\t–\t–\t–\t–\t–\t%d\t%.0f%%\t%.0f%%\t\n", i, s.Requests, s.HandedOff,
				latency(s.QueueWait.P50), s.Preemptions, s.PeakKVUtilization*100, s.CacheHitRate*100)
		case pd:
			fmt.Fprintf(tw, "%d\tdecode\t%d\t%d\t–\t%s\t%s\t%s\t%s\t%.0f\t%d\t%.0f%%\t–\t\n", i, s.Requests, s.Completed,
				msec(s, s.TTFT.P50), msec(s, s.TTFT.P99), msec(s, s.TBT.P50), msec(s, s.TBT.P99), s.Throughput, s.Preemptions,
				s.PeakKVUtilization*100)
		default:
			fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%.0f\t%d\t%.0f%%\t%.0f%%\t%.0f%%\t\n", i, s.Requests, s.Completed,
				msec(s, s.TTFT.P50), msec(s, s.TTFT.P99), msec(s, s.TBT.P50), s.Throughput, s.Preemptions,
				s.PeakKVUtilization*100, s.CacheHitRate*100, s.SLOAttainment*100)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pd {
		fmt.Fprintln(w, footnote+` A prefill replica's requests end when their KV has left; a decode replica's TTFT and TBT run from the client's arrival, and its first token waits for the KV. "cached" is the share of a prefill replica's prompt tokens taken from its prefix cache.`)
		return nil
	}
	fmt.Fprintln(w, footnote+` "cached" is the share of a replica's prompt tokens taken from its prefix cache; a replica's tok/s is over its own run.`)
	return nil
}
