package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A cluster's requests file lists every request once, in arrival order,
// with the replica that served it, and replays as a trace.
func TestReplicasRequestsFile(t *testing.T) {
	path := t.TempDir() + "/requests.csv"
	code, _, errs := runCLI(t, "-scenario", "chatbot", "-timing", "roofline", "-replicas", "3", "-router", "least-requests", "-requests", "200", "-rate", "20", "-requests-out", path)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, %q", code, errs)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 201 || !strings.HasSuffix(lines[0], ",replica") {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	seen := map[string]int{}
	for _, l := range lines[1:] {
		seen[l[strings.LastIndex(l, ",")+1:]]++
	}
	if len(seen) != 3 || seen["0"]+seen["1"]+seen["2"] != 200 {
		t.Fatalf("replicas %v", seen)
	}
	if code, _, errs := runCLI(t, "-trace", path, "-timing", "roofline"); code != 0 || errs != "" {
		t.Fatalf("the file does not replay as a trace: exit %d, %q", code, errs)
	}
}

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
	refusedInOneLine(t, map[string]string{
		"-router least-kv":               "need -replicas",
		"-replicas 2 -router nearest":    `"nearest" is not a router`,
		"-replicas 0":                    "replicas",
		"-replicas 2 -clients 4":         "closed-loop",
		"-replicas 2 -compare fcfs,mlfq": "compare: not available with -replicas",
	})
}
