package cluster

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"inferplay/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Golden runs: four replicas of mixed traffic with shared system prompts
// behind each router, the whole cluster's summary and each replica's,
// the same to the bit natively and as WebAssembly (make test-wasm runs
// this too). Regenerate with go test ./cluster -run Golden -update.
func TestGoldenCluster(t *testing.T) {
	for _, r := range Routers() {
		c := config(t, "mixed", "roofline")
		c.Workload.System = sim.SystemPrompts{Count: 3, Tokens: 1500, Share: 0.6}
		checkGolden(t, run(t, c, 4, r.Name, 25*time.Millisecond), r.Name)
	}
}

// checkGolden compares a cluster's summary and its replicas' with the
// golden file of that name, or writes it with -update.
func checkGolden(t *testing.T, cl *Cluster, name string) {
	t.Helper()
	doc := struct {
		Summary  sim.Summary
		Replicas []sim.Summary
	}{Summary: cl.Result().Summary}
	for _, e := range cl.Engines {
		doc.Replicas = append(doc.Replicas, e.Result().Summary)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), got) {
		t.Errorf("%s differs from %s", name, path)
	}
}
