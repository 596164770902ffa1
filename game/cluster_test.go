package game

import (
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"inferplay/settings"
	"inferplay/sim"
)

// The cluster scene's pictures hold what its captions say. Routing: the
// tile the caption names is the round-robin side's longest queue, and its
// VRAM bar starts in the decode colour. Affinity: the round-robin side's
// VRAM holds more cached prefix than the affinity side's, every GPU of it
// a prompt on every GPU. Disaggregation: KV is on the link, drawn in the
// copying colour. A click on a tile opens its replica in the playground
// view, and another goes back.
func TestClusterBeats(t *testing.T) {
	c, _ := sim.ScenarioConfig("chatbot")
	for beat, check := range map[int]func(t *testing.T, g *Game){
		0: func(t *testing.T, g *Game) {
			img := renderFrame(g, 1920, 1080)
			views, p := g.cluster.Views(), g.cluster.Player()
			most, at := -1, 0
			for i, e := range p.Side(0).Engines {
				if e.Waiting() > most {
					most, at = e.Waiting(), i
				}
			}
			if spot := g.cluster.Callouts(); len(spot) != 1 || spot[0].Box != views[0].Tiles()[at] || most < 10 {
				t.Fatalf("the callout %v is not on the longest queue, GPU %d (%d waiting)", spot, at+1, most)
			}
			bar := views[0].BarBox(at)
			if got := img.RGBAAt(int(bar.X+2), int(bar.Y+bar.H/2)); !near(got, g.Kit().Theme.Decode) {
				t.Fatalf("GPU %d's VRAM bar starts %v, not the decode colour", at+1, got)
			}
		},
		1: func(t *testing.T, g *Game) {
			p := g.cluster.Player()
			cached := func(side int) (sum int) {
				for _, e := range p.Side(side).Engines {
					sum += e.VRAMUse().Cached
				}
				return sum
			}
			if l, r := cached(0), cached(1); l <= r {
				t.Fatalf("cached prefix blocks: round-robin %d, prefix-affinity %d", l, r)
			}
		},
		2: func(t *testing.T, g *Game) {
			img := renderFrame(g, 1920, 1080)
			p := g.cluster.Player()
			if len(p.Side(1).InFlight(nil)) == 0 {
				t.Fatal("the beat opens with no KV on the link")
			}
			views := g.cluster.Views()
			tiles := views[1].Tiles()
			copying, found := g.Kit().Theme.Copying, false
			y0 := int(tiles[0].Y)
			for x := int(tiles[1].X + tiles[1].W); x < int(tiles[2].X) && !found; x++ {
				for y := y0; y < y0+int(tiles[0].H) && !found; y++ {
					found = near(img.RGBAAt(x, y), copying)
				}
			}
			if !found {
				t.Fatal("no link or KV drawn in the copying colour between the pools")
			}
			r := tiles[2]
			g.cluster.Click(r.X+r.W/2, r.Y+r.H/2)
			if side, rep, ok := g.cluster.Inspecting(); !ok || side != 1 || rep != 2 {
				t.Fatalf("a click on GPU 3 opened %d/%d (%v)", side, rep, ok)
			}
			img = renderFrame(g, 1920, 1080)
			if path := os.Getenv("CLUSTER_INSPECT_PNG"); path != "" {
				f, _ := os.Create(path)
				png.Encode(f, img)
				f.Close()
			}
			g.cluster.Click(10, 10)
			if _, _, ok := g.cluster.Inspecting(); ok {
				t.Fatal("a second click did not go back to the tiles")
			}
		},
	} {
		g, err := New(Options{Config: c, Scene: "cluster", Beat: beat, Width: 1920, Height: 1080, Screenshot: "-"})
		if err != nil {
			t.Fatal(err)
		}
		check(t, g)
	}
}

// The playground's cluster mode: its traffic on the cluster asked for,
// drawn as tiles with the pools split; a click on a tile opens that
// replica, another goes back; the link reopens the same cluster; and the
// setup panel's Apply serves the new setup on it too.
func TestPlaygroundClusterMode(t *testing.T) {
	c, _ := sim.ScenarioConfig("rag")
	c.Timing = "roofline"
	opts := Options{Config: c, Scene: "playground", Beat: 3, Width: 1920, Height: 1080, Screenshot: "-"}
	opts.Cluster = settings.Cluster{Prefill: 2, Decode: 2, Router: "least-requests", Interconnect: "roce100"}
	g, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	for range 120 {
		g.Frame(time.Second / 60)
	}
	renderFrame(g, 1920, 1080)
	st := g.stage
	if st == nil {
		t.Fatal("no cluster on the playground")
	}
	cl := st.Player().Side(0)
	if prefill, link, ok := cl.Disaggregated(); !ok || prefill != 2 || link.Name != "roce100" || cl.Router.Name != "least-requests" || st.Player().Now() == 0 {
		t.Fatalf("the playground serves %d prefill over %q (%v) behind %s, at %v", prefill, link.Name, ok, cl.Router.Name, st.Player().Now())
	}
	if link := g.Link(); !strings.Contains(link, "pd=2%3A2") || !strings.Contains(link, "interconnect=roce100") || !strings.Contains(link, "router=least-requests") {
		t.Fatalf("link %q", link)
	}
	tiles := st.Tiles()
	g.click(tiles[3].X+tiles[3].W/2, tiles[3].Y+tiles[3].H/2)
	if st.Inspecting() != 3 {
		t.Fatalf("a click on GPU 4 opened %d", st.Inspecting())
	}
	renderFrame(g, 1920, 1080)
	g.click(5, 200)
	if st.Inspecting() != -1 {
		t.Fatal("a second click did not go back")
	}
	c.Scheduler = "srpt"
	if err := g.load(c); err != nil || g.stage == st || g.stage.Player().Side(0).Config().Scheduler != "srpt" {
		t.Fatalf("a new setup does not serve on a new cluster: %v", err)
	}
}
