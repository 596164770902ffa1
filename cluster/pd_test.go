package cluster

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"inferplay/sim"
)

func runPD(t *testing.T, c sim.Config, prefill, decode int, router, link string) *Cluster {
	t.Helper()
	ic, err := sim.LookupInterconnect(link)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := NewDisaggregated(c, prefill, decode, router, 0, ic, sim.WithoutBlockMap())
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.Run(); err != nil {
		t.Fatal(err)
	}
	return cl
}

// Every request is prefilled by exactly one prefill replica and decoded by
// exactly one decode replica: its prompt's KV leaves the first (Sent) and
// lands on the second, the same bytes, and the second produces all of its
// tokens; between them the replicas produce every output token of the
// traffic once, under every router, with swaps and recomputation on
// decode replicas short of VRAM.
func TestDisaggregatedServesEachRequestOnce(t *testing.T) {
	for _, r := range Routers() {
		for _, preemption := range []string{sim.PreemptSwap, sim.PreemptRecompute} {
			c := config(t, "mixed", "roofline")
			c.Preemption = preemption
			c.Workload.Requests = 120
			c.Workload.System = sim.SystemPrompts{Count: 3, Tokens: 1000, Share: 0.5}
			cl := runPD(t, c, 2, 3, r.Name, "roce100")
			want, prefills, decodes := 0, make([]int, 2), make([]int, 3)
			for i := range cl.Len() {
				p, pid, ok := cl.PrefillPlacement(i)
				d, did, okD := cl.Placement(i)
				if !ok || !okD || p >= 2 || d < 2 || pid != prefills[p] {
					t.Fatalf("%s: request %d placed at R%d of %d (%v) and R%d of %d (%v)", r.Name, i, pid, p, ok, did, d, okD)
				}
				prefills[p]++
				decodes[d-2]++
				pre, dec := cl.Engines[p].Request(pid), cl.Engines[d].Request(did)
				spec := cl.traffic[i]
				if pre.Spec != spec || pre.State != sim.Sent || pre.Decoded != 0 {
					t.Fatalf("%s: request %d on its prefill replica: %+v", r.Name, i, pre)
				}
				dec.Arrival = spec.Arrival // on the decode replica it arrives when its KV lands
				if dec.Spec != spec || dec.State != sim.Done || dec.Decoded != spec.Output || dec.KVBytes != pre.KVBytes || dec.KVBytes == 0 {
					t.Fatalf("%s: request %d on its decode replica: %+v (sent %d bytes)", r.Name, i, dec, pre.KVBytes)
				}
				if land := cl.Engines[d].Request(did).Arrival; land != pre.CompletedAt || dec.FirstTokenAt <= land || dec.JoinedAt != pre.JoinedAt {
					t.Fatalf("%s: request %d left at %v, landed at %v, first token %v", r.Name, i, pre.CompletedAt, land, dec.FirstTokenAt)
				}
				want += spec.Output
			}
			tokens := 0
			for k, e := range cl.Engines {
				if err := e.CheckInvariants(); err != nil {
					t.Fatalf("%s: replica %d: %v", r.Name, k, err)
				}
				tokens += e.Counters().Tokens
			}
			s := cl.Result().Summary
			if tokens != want || s.OutputTokens != want || s.Requests != cl.Len() || s.Completed != cl.Len() || s.HandedOff != 0 {
				t.Fatalf("%s/%s: %d tokens produced, %d in the summary, want %d; %d requests, %d completed of %d",
					r.Name, preemption, tokens, s.OutputTokens, want, s.Requests, s.Completed, cl.Len())
			}
		}
	}
}

// One request, counted by hand: the KV of its prompt (whole blocks) leaves
// at the line rate of the link, times the GPUs of the group, plus the
// link's latency; the decode replica makes its first token in the first
// iteration after the KV lands, and the request's TTFT covers all of it.
func TestHandoffByHand(t *testing.T) {
	c := config(t, "chatbot", "roofline")
	c.TP = 2
	c.Trace = []sim.Spec{{Arrival: 0, Input: 1000, Output: 5}}
	for _, link := range sim.Interconnects() {
		cl := runPD(t, c, 1, 1, "round-robin", link.Name)
		pre, dec := cl.Engines[0].Request(0), cl.Engines[1].Request(0)
		blocks := (1000 + c.BlockSize - 1) / c.BlockSize
		bytes := int64(blocks) * c.BlockBytes()
		bw := link.Bandwidth(&c) * 2
		copyNs := time.Duration(float64(bytes)/bw*1e9 + 0.999999)
		if pre.KVBytes != bytes || pre.KVWait < copyNs+link.Latency || pre.KVWait > copyNs+link.Latency+1 {
			t.Fatalf("%s: %d bytes in %v, want %d in %v + %v", link.Name, pre.KVBytes, pre.KVWait, bytes, copyNs, link.Latency)
		}
		if prompt := pre.CompletedAt - pre.KVWait; dec.Arrival != pre.CompletedAt || prompt <= pre.PrefillStartAt || pre.FirstTokenTick != 0 {
			t.Fatalf("%s: prompt done at %v, KV landed %v (decode replica: %v)", link.Name, prompt, pre.CompletedAt, dec.Arrival)
		}
		first := cl.Engines[1].PrefillEstimate(0) // the iteration's fixed cost, at least
		if dec.FirstTokenAt <= dec.Arrival+first/2 || dec.FirstTokenTick != 1 || dec.CompletionTick != 5 {
			t.Fatalf("%s: first token at %v (tick %d) after landing at %v; done at tick %d", link.Name, dec.FirstTokenAt, dec.FirstTokenTick, dec.Arrival, dec.CompletionTick)
		}
		s := cl.Result().Summary
		if s.KVTransferBytes != bytes || s.KVTransfer.Mean != float64(pre.KVWait)/1e6 || s.TTFT.P50 != float64(dec.FirstTokenAt)/1e6 {
			t.Fatalf("%s: summary %+v", link.Name, s)
		}
	}
}

// The lesson: at the same four GPUs, long prompts sharing iterations with
// decodes stretch the co-located replicas' token gaps, while decode
// replicas that only decode keep them short and steady; the price is the
// first token, which waits for half the GPUs to prefill and for the copy.
// With a tight TBT target disaggregation meets more requests' SLOs; with
// the scenario's loose one co-location does.
func TestDisaggregationTradesTTFTForTBT(t *testing.T) {
	c := config(t, "rag", "roofline")
	c.Workload.Requests, c.Workload.Rate = 300, 4
	colo := run(t, c, 4, "least-requests", 0).Result().Summary
	pd := runPD(t, c, 2, 2, "least-requests", "ib400").Result().Summary
	if !(pd.TBT.P99 < colo.TBT.P99/2 && pd.TBT.P50 < colo.TBT.P50) || !(pd.TTFT.P50 > colo.TTFT.P50 && pd.TTFT.P99 > colo.TTFT.P99) {
		t.Fatalf("TBT p50/p99 %.1f/%.1f ms disaggregated, %.1f/%.1f co-located; TTFT p50/p99 %.0f/%.0f, %.0f/%.0f",
			pd.TBT.P50, pd.TBT.P99, colo.TBT.P50, colo.TBT.P99, pd.TTFT.P50, pd.TTFT.P99, colo.TTFT.P50, colo.TTFT.P99)
	}
	if colo.SLOAttainment < pd.SLOAttainment {
		t.Fatalf("loose SLOs: co-located %.2f, disaggregated %.2f", colo.SLOAttainment, pd.SLOAttainment)
	}
	c.SLO[sim.Interactive] = sim.SLO{TTFT: 1500 * time.Millisecond, TBT: 12 * time.Millisecond}
	colo = run(t, c, 4, "least-requests", 0).Result().Summary
	pd = runPD(t, c, 2, 2, "least-requests", "ib400").Result().Summary
	if pd.SLOAttainment < colo.SLOAttainment+0.15 {
		t.Fatalf("a 12 ms TBT target: disaggregated %.2f, co-located %.2f", pd.SLOAttainment, colo.SLOAttainment)
	}
}

// A slower link is a longer wait for the first token, never a different
// set of tokens.
func TestSlowerLinkDelaysFirstTokens(t *testing.T) {
	c := config(t, "rag", "roofline")
	c.Workload.Requests = 100
	var last float64
	for _, link := range []string{"nvlink", "ib400", "roce100"} {
		s := runPD(t, c, 2, 2, "round-robin", link).Result().Summary
		if s.KVTransfer.Mean <= last || s.Completed != 100 {
			t.Fatalf("%s: KV wait %.2f ms after %.2f, %d done", link, s.KVTransfer.Mean, last, s.Completed)
		}
		last = s.KVTransfer.Mean
	}
}

// The same disaggregated run twice is the same run, to its requests file,
// which replays as a trace of the traffic.
func TestDisaggregatedIsDeterministic(t *testing.T) {
	c := config(t, "assistant", "roofline")
	c.Workload.Requests = 150
	a, b := runPD(t, c, 2, 2, "prefix-affinity", "ib400"), runPD(t, c, 2, 2, "prefix-affinity", "ib400")
	var fa, fb bytes.Buffer
	if err := a.WriteRequests(&fa); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteRequests(&fb); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Result(), b.Result()) || !bytes.Equal(fa.Bytes(), fb.Bytes()) {
		t.Fatal("two runs differ")
	}
	header, _, _ := strings.Cut(fa.String(), "\n")
	if !strings.HasSuffix(header, ",replica,prefill_replica,kv_bytes,kv_wait_ms") {
		t.Fatalf("header %q", header)
	}
	trace, err := sim.ParseTrace(&fa)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.Workload.Generate(c.Seed)
	if !reflect.DeepEqual(trace, want) {
		t.Fatal("the requests file is not the traffic")
	}
}

// A run cut short by MaxTicks loses no request: those the replicas never
// reached count as unfinished, co-located or disaggregated.
func TestMaxTicksLosesNoRequest(t *testing.T) {
	c := config(t, "mixed", "roofline")
	c.MaxTicks = 40
	for _, cl := range []*Cluster{run(t, c, 2, "round-robin", 0), runPD(t, c, 1, 1, "round-robin", "ib400")} {
		s := cl.Result().Summary
		if s.Requests != cl.Len() || s.Completed+s.Rejected+s.Unfinished != cl.Len() || s.Unfinished == 0 {
			t.Fatalf("%d requests, %d done, %d rejected, %d unfinished of %d", s.Requests, s.Completed, s.Rejected, s.Unfinished, cl.Len())
		}
	}
}

// What cannot be disaggregated is refused in one line.
func TestDisaggregationRefusals(t *testing.T) {
	ic, _ := sim.LookupInterconnect("nvlink")
	for _, tc := range []struct {
		timing          string
		prefill, decode int
		want            string
	}{
		{"classic", 1, 1, "continuous batcher"},
		{"roofline", 0, 2, "at least 1 of each"},
		{"roofline", 2, 0, "at least 1 of each"},
		{"roofline", 200, 57, "256 in all"},
	} {
		_, err := NewDisaggregated(config(t, "chatbot", tc.timing), tc.prefill, tc.decode, "round-robin", 0, ic)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v", tc, err)
		}
	}
}

// Golden disaggregated runs, one per interconnect, native = WebAssembly
// (make test-wasm runs this too).
func TestGoldenDisaggregated(t *testing.T) {
	for _, link := range sim.Interconnects() {
		c := config(t, "rag", "roofline")
		c.Workload.Requests = 200
		checkGolden(t, runPD(t, c, 2, 2, "least-requests", link.Name), "pd-"+link.Name)
	}
}

// A cluster played a little at a time, as the picture plays it, is the
// cluster run at once: the same results to the bit, co-located and
// disaggregated, with and without a stale view.
func TestAdvanceIsRun(t *testing.T) {
	ic, _ := sim.LookupInterconnect("roce100")
	for _, router := range []string{"round-robin", "power-of-two", "prefix-affinity"} {
		for _, delay := range []time.Duration{0, 30 * time.Millisecond} {
			c := config(t, "mixed", "roofline")
			c.Workload.Requests = 60
			c.Workload.System = sim.SystemPrompts{Count: 2, Tokens: 1000, Share: 0.5}
			build := []func() (*Cluster, error){
				func() (*Cluster, error) { return New(c, 3, router, delay) },
				func() (*Cluster, error) { return NewDisaggregated(c, 1, 2, router, delay, ic) },
			}
			for k, b := range build {
				whole, _ := b()
				if err := whole.Run(); err != nil {
					t.Fatal(err)
				}
				played, _ := b()
				for at := time.Duration(0); !played.Done(); at += 7 * time.Millisecond {
					if err := played.AdvanceTo(at); err != nil {
						t.Fatal(err)
					}
					if at > time.Hour {
						t.Fatal("never done")
					}
				}
				if err := played.Run(); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(whole.Result(), played.Result()) || !reflect.DeepEqual(whole.replicaOf, played.replicaOf) {
					t.Fatalf("%s/%v/%d: played differs from run:\n%+v\n%+v", router, delay, k, whole.Result().Summary, played.Result().Summary)
				}
			}
		}
	}
}

// The landing heap gives copies back by when they land, ties in the order
// they were seen, however they were pushed.
func TestLandingsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var h landings
	for seq := range uint64(500) {
		h.push(landing{seq: seq, send: sim.Send{End: time.Duration(r.IntN(50))}})
		if r.IntN(4) == 0 && len(h) > 0 {
			h.pop()
		}
	}
	prev := landing{send: sim.Send{End: -1}}
	for len(h) > 0 {
		l := h.pop()
		if l.send.End < prev.send.End || l.send.End == prev.send.End && l.seq < prev.seq {
			t.Fatalf("%+v after %+v", l, prev)
		}
		prev = l
	}
}
