package playback

import (
	"reflect"
	"testing"
	"time"

	"inferplay/cluster"
	"inferplay/sim"
)

// A cluster player moves every cluster on one clock; going back replays
// to the same state, and the scrubber's positions and times agree.
func TestClusterPlayer(t *testing.T) {
	c, err := sim.ScenarioConfig("chatbot")
	if err != nil {
		t.Fatal(err)
	}
	c.Timing, c.Workload.Requests = "roofline", 80
	ic, _ := sim.LookupInterconnect("ib400")
	build := func() ([]*cluster.Cluster, error) {
		a, err := cluster.New(c, 3, "least-requests", 0)
		if err != nil {
			return nil, err
		}
		b, err := cluster.NewDisaggregated(c, 1, 2, "least-requests", 0, ic)
		return []*cluster.Cluster{a, b}, err
	}
	p, err := NewCluster(build)
	if err != nil {
		t.Fatal(err)
	}
	for range 500 {
		p.Forward()
	}
	want := [2]sim.Result{p.Side(0).Result(), p.Side(1).Result()}
	if p.Now() != 500*ClusterStep || p.Side(0).Now() != p.Now() || p.Side(1).Now() != p.Now() || p.Seen() != 500 {
		t.Fatalf("at %v, sides at %v and %v, seen %d", p.Now(), p.Side(0).Now(), p.Side(1).Now(), p.Seen())
	}
	p.StepBack(300)
	if p.Position() != 200 || p.Seen() != 500 {
		t.Fatalf("back to %d, seen %d", p.Position(), p.Seen())
	}
	p.Seek(p.PositionAt(p.TimeAt(500)))
	if got := [2]sim.Result{p.Side(0).Result(), p.Side(1).Result()}; !reflect.DeepEqual(got, want) {
		t.Fatal("replayed to the same position, the clusters differ")
	}
	if p.PositionAt(time.Hour) != 500 || p.PositionAt(-time.Second) != 0 {
		t.Fatal("positions beyond what was seen")
	}
	p.PlayUntil(p.Finished)
	if !p.Finished() || p.Err() != nil {
		t.Fatalf("finished %v, %v", p.Finished(), p.Err())
	}
}
