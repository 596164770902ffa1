package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Replicas behind a router from the command line: the header names the
// router, the table has the cluster's rows and a row per replica, JSON has
// the cluster's settings and each replica's summary, and what a cluster
// cannot do is refused in one line.
func TestReplicasFlags(t *testing.T) {
	args := []string{"-scenario", "chatbot", "-timing", "roofline", "-replicas", "3", "-router", "least-requests", "-requests", "300", "-rate", "20"}
	code, out, errs := runCLI(t, args...)
	if code != 0 || errs != "" || !strings.Contains(out, "Cluster: 3 replicas of this instance behind the least-requests router") ||
		!strings.Contains(out, "  replica  reqs") || strings.Count(out, "\n        2 ") != 1 {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	code, out, _ = runCLI(t, append(args, "-format", "json", "-router-delay-ms", "40")...)
	var rep struct {
		Cluster struct {
			Replicas int     `json:"replicas"`
			Router   string  `json:"router"`
			DelayMs  float64 `json:"router_delay_ms"`
		} `json:"cluster"`
		Summary struct {
			Requests int `json:"requests"`
		} `json:"summary"`
		Replicas []struct {
			Requests int `json:"requests"`
		} `json:"replicas"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	sum := 0
	for _, r := range rep.Replicas {
		sum += r.Requests
	}
	if rep.Cluster.Replicas != 3 || rep.Cluster.Router != "least-requests" || rep.Cluster.DelayMs != 40 || len(rep.Replicas) != 3 || sum != 300 || rep.Summary.Requests != 300 {
		t.Fatalf("report %+v", rep)
	}
	for args, want := range map[string]string{
		"-router least-kv":               "need -replicas",
		"-replicas 2 -router nearest":    `"nearest" is not a router`,
		"-replicas 0":                    "replicas",
		"-replicas 2 -clients 4":         "closed-loop",
		"-replicas 2 -compare fcfs,mlfq": "compare: not available with -replicas",
		"-replicas 2 -requests-out x":    "requests-out: not available",
	} {
		code, _, errs := runCLI(t, strings.Fields(args)...)
		if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, %q", args, code, errs)
		}
	}
}
