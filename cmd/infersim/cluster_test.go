package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"inferplay/sim"
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
		"-router least-kv":              "need -replicas",
		"-replicas 2 -router nearest":   `"nearest" is not a router`,
		"-replicas 0":                   "replicas",
		"-replicas 2 -clients 4":        "closed-loop",
		"-replicas 2 -events-out x.csv": "events-out: not available with -replicas",
		"-pd 2:2 -replicas 4":           "leave out -replicas",
		"-interconnect nvlink":          "needs -pd",
		"-pd 1:1":                       "continuous batcher",
		"-pd 1:1 -interconnect tin-can": `"tin-can" is not one of nvlink, ib400, roce100`,
	})
}

// Disaggregated from the command line: the header names the pools and
// the link and sums up the KV sent, a row per replica says its role, the
// prefill rows count what they sent, and JSON has the pools' sizes, the
// link and the KV figures; the requests file names both replicas.
func TestPDFlags(t *testing.T) {
	path := t.TempDir() + "/requests.csv"
	args := []string{"-scenario", "rag", "-timing", "roofline", "-pd", "1:2", "-interconnect", "roce100", "-requests", "60"}
	code, out, errs := runCLI(t, append(args, "-requests-out", path)...)
	if code != 0 || errs != "" || !strings.Contains(out, "Cluster: 1 prefill and 2 decode replicas of this instance, linked by roce100") ||
		!strings.Contains(out, "KV sent to decode replicas: ") || !strings.Contains(out, "  prefill    60  60 sent") || strings.Count(out, "  decode ") != 2 {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	data, err := os.ReadFile(path)
	if err != nil || strings.Count(string(data), "\n") != 61 || !strings.Contains(string(data), ",replica,prefill_replica,kv_bytes,kv_wait_ms\n") {
		t.Fatalf("%v: %.200s", err, data)
	}
	_, out, _ = runCLI(t, append(args, "-format", "json")...)
	var rep struct {
		Cluster struct {
			Replicas     int    `json:"replicas"`
			Prefill      int    `json:"prefill_replicas"`
			Decode       int    `json:"decode_replicas"`
			Interconnect string `json:"interconnect"`
		} `json:"cluster"`
		Summary struct {
			Completed int      `json:"completed"`
			KVBytes   int64    `json:"kv_transfer_bytes"`
			KVWait    sim.Dist `json:"kv_transfer_ms"`
		} `json:"summary"`
		Replicas []struct {
			HandedOff int `json:"handed_off"`
		} `json:"replicas"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Cluster.Replicas != 3 || rep.Cluster.Prefill != 1 || rep.Cluster.Decode != 2 || rep.Cluster.Interconnect != "roce100" ||
		rep.Summary.Completed != 60 || rep.Summary.KVBytes == 0 || rep.Summary.KVWait.Mean <= 0 || rep.Replicas[0].HandedOff != 60 {
		t.Fatalf("report %+v", rep)
	}
}

// -compare takes cluster layouts as rows, at the router and link of the
// flags: a co-located row and disaggregated ones at the same GPU count,
// with the columns that weigh them (TBT p99, the KV wait, each target
// met). A row of replicas=1 is the single engine; a policy comparison on
// -replicas runs every row on that cluster.
func TestCompareLayouts(t *testing.T) {
	args := []string{"-scenario", "rag", "-timing", "roofline", "-requests", "80", "-router", "least-requests"}
	code, out, errs := runCLI(t, append(args, "-compare", "replicas=4,pd=2:2,replicas=1")...)
	if code != 0 || errs != "" || !strings.Contains(out, "Clusters: replicas=4: 4 replicas behind least-requests; pd=2:2: 2 prefill + 2 decode over ib400") ||
		!strings.Contains(out, "TBT p99") || !strings.Contains(out, "TTFT met  TBT met  in SLO") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	_, single, _ := runCLI(t, append(args, "-compare", "replicas=1,pd=1:1")...)
	_, alone, _ := runCLI(t, append(args, "-compare", "fcfs,srpt")...)
	row := func(out, name string) string {
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}
	// The single engine's row in the layout columns: its TTFT p50 and p99
	// lead both tables.
	if r1, r2 := strings.Fields(row(single, "replicas=1")), strings.Fields(row(alone, "fcfs")); len(r1) < 4 || len(r2) < 4 || strings.Join(r1[:4], " ") != strings.Join(r2[:4], " ") {
		t.Fatalf("replicas=1 %v, one engine %v", r1, r2)
	}
	code, out, errs = runCLI(t, append(args, "-replicas", "2", "-compare", "fcfs,srpt")...)
	if code != 0 || !strings.Contains(out, "Clusters: fcfs: 2 replicas behind least-requests; srpt: 2 replicas") {
		t.Fatalf("exit %d, %q:\n%s", code, errs, out)
	}
	refusedInOneLine(t, map[string]string{
		"-compare replicas=0,pd=1:1": `compare: replicas "0"`,
		"-compare replicas=2,pd=2":   `compare: pd "2"`,
	})
}
