package lesson

import "testing"

// The scene's lesson holds in numbers: a static batch leaves slots idle
// while its longest member decodes on, continuous batching refills them,
// and so serves the same requests sooner and at a higher rate.
func TestBatchingLesson(t *testing.T) {
	st, err := RunBatching("static", 42)
	if err != nil {
		t.Fatal(err)
	}
	co, err := RunBatching("continuous", 42)
	if err != nil {
		t.Fatal(err)
	}
	// (Continuous batching idles only at the end, when fewer requests are
	// left than slots.)
	if st.IdleShare < 0.4 || st.IdleShare < co.IdleShare+0.15 {
		t.Fatalf("idle slots: static %.0f%%, continuous %.0f%%", 100*st.IdleShare, 100*co.IdleShare)
	}
	if co.End >= st.End || co.Throughput <= 1.3*st.Throughput || co.MeanE2E >= st.MeanE2E {
		t.Fatalf("continuous: done at %s, %.0f tok/s, E2E %s; static: %s, %.0f tok/s, %s", co.End, co.Throughput, co.MeanE2E, st.End, st.Throughput, st.MeanE2E)
	}
	// A continuous batch is as full as the requests left allow, every
	// iteration.
	for i, it := range co.Iters {
		busy := 0
		for _, c := range it.Slots {
			if c.Req >= 0 {
				busy++
			}
		}
		if busy != min(BatchingSlots, it.Unfinished) {
			t.Fatalf("iteration %d: %d slots busy with %d requests unfinished", i, busy, it.Unfinished)
		}
	}
	// A static batch takes no one new before it has finished: a slot
	// idle in one iteration is filled in the next only if nobody of the
	// batch before runs on in it.
	for i := 1; i < len(st.Iters); i++ {
		prev, cur := st.Iters[i-1], st.Iters[i]
		carried := false
		for _, c := range cur.Slots {
			for _, p := range prev.Slots {
				carried = carried || c.Req >= 0 && c.Req == p.Req
			}
		}
		for s, c := range cur.Slots {
			if prev.Slots[s].Req < 0 && c.Req >= 0 && carried {
				t.Fatalf("iteration %d: slot %d refilled (R%d) while its batch runs", i, s, c.Req)
			}
		}
	}
	if _, err := BatchingConfig("serial", 1); err == nil {
		t.Fatal("a batcher the scene does not compare was taken")
	}
}
