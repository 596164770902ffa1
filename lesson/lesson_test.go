package lesson

import (
	"testing"
	"time"

	"inferplay/sim"
)

func run(t *testing.T, c sim.Config) *sim.Engine {
	t.Helper()
	e, err := sim.New(c)
	if err != nil {
		t.Fatal(err)
	}
	e.Run()
	if e.Stuck() != "" {
		t.Fatalf("stuck: %s", e.Stuck())
	}
	return e
}

// The contention scene's lesson, from the engine, on both timing models:
// behind a long prompt, FCFS makes every chat wait, and so does SJF, which
// never interrupts the prompt it started; MLFQ and SRPT let the chats
// through, at least 5× sooner on average.
func TestContentionFCFSBlocksChats(t *testing.T) {
	for _, timing := range ContentionTimings {
		ttfts := map[string][]time.Duration{}
		for _, p := range ContentionPolicies {
			c, err := ContentionConfig(p, timing, sim.DefaultSeed)
			if err != nil {
				t.Fatal(err)
			}
			e := run(t, c)
			if p == "sjf" {
				// The caption's reason SJF cannot help: the document
				// started before the first chat arrived.
				if doc, chat := e.Request(0), e.Request(1); doc.Class != sim.Batch || doc.PrefillStartAt >= chat.Arrival {
					t.Errorf("%s: the document started prefilling at %v, the first chat arrived at %v", timing, doc.PrefillStartAt, chat.Arrival)
				}
			}
			ttfts[p] = InteractiveTTFTs(e)
			if len(ttfts[p]) != 5 {
				t.Fatalf("%s/%s: %d interactive TTFTs, want 5", timing, p, len(ttfts[p]))
			}
			for i, d := range ttfts[p] {
				if d <= 0 {
					t.Errorf("%s/%s: chat %d has no first token", timing, p, i)
				}
			}
		}
		fcfs := Mean(ttfts["fcfs"])
		for _, p := range []string{"mlfq", "srpt"} {
			for i := range ttfts["fcfs"] {
				if ttfts["fcfs"][i] <= ttfts[p][i] {
					t.Errorf("%s: chat %d: TTFT %v under fcfs, not above %v under %s", timing, i+1, ttfts["fcfs"][i], ttfts[p][i], p)
				}
			}
			// Head-of-line blocking is large, not marginal.
			if m := Mean(ttfts[p]); fcfs < 5*m {
				t.Errorf("%s: mean chat TTFT %v under fcfs, %v under %s: want a gap of 5× or more", timing, fcfs, m, p)
			}
		}
		// SJF helps little: the document started before any chat arrived
		// and is never interrupted, so every chat still waits for it.
		if s := Mean(ttfts["sjf"]); 2*s < fcfs {
			t.Errorf("%s: mean chat TTFT %v under sjf, %v under fcfs: want sjf to fail to help", timing, s, fcfs)
		}
	}
}

func TestContentionRejectsOtherSetups(t *testing.T) {
	if _, err := ContentionConfig("lottery", "roofline", 1); err == nil {
		t.Fatal("no error for an unknown policy")
	}
	if _, err := ContentionConfig("fcfs", "sundial", 1); err == nil {
		t.Fatal("no error for an unknown timing model")
	}
}

func TestPromptRunsOneRequest(t *testing.T) {
	for _, s := range []PromptSetup{
		DefaultPrompt,
		{Prompt: MinPrompt, Output: MinOutput, Model: "llama3-8b", GPU: "h100"},
		{Prompt: MaxPrompt, Output: MaxOutput, Model: "qwen2.5-7b", GPU: "l4"},
	} {
		c, err := s.Config()
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		e := run(t, c)
		r := e.Request(0)
		if r.State != sim.Done || r.Decoded != s.Output || r.Prefilled != s.Prompt {
			t.Errorf("%+v: state %v, decoded %d, prefilled %d", s, r.State, r.Decoded, r.Prefilled)
		}
		if r.FirstTokenAt <= 0 || r.CompletedAt < r.FirstTokenAt || (s.Output > 1 && r.CompletedAt == r.FirstTokenAt) {
			t.Errorf("%+v: first token at %v, done at %v", s, r.FirstTokenAt, r.CompletedAt)
		}
	}
}

func TestPromptBadSetups(t *testing.T) {
	for _, s := range []PromptSetup{
		{Prompt: 0, Output: 10, Model: "llama3-8b", GPU: "h100"},
		{Prompt: 100, Output: MaxOutput + 1, Model: "llama3-8b", GPU: "h100"},
		{Prompt: 100, Output: 10, Model: "gpt-9", GPU: "h100"},
		{Prompt: 100, Output: 10, Model: "llama3-70b", GPU: "h100"}, // 141 GB of weights
	} {
		if _, err := s.Config(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

// The budget is the engine's arithmetic: Llama 3 8B holds 128 KiB per
// token, and the users that fit are exactly those whose blocks fit.
func TestKVBudget(t *testing.T) {
	b, err := DefaultKV.Budget()
	if err != nil {
		t.Fatal(err)
	}
	if b.BytesPerToken != 2*32*8*128*2 {
		t.Errorf("bytes per token %d", b.BytesPerToken)
	}
	if b.DemandBytes != 8*4096*b.BytesPerToken || b.Spilled != 0 || b.Resident != 8 {
		t.Errorf("demand %d, resident %d, spilled %d", b.DemandBytes, b.Resident, b.Spilled)
	}
	if b.FitUsers*b.UserBlocks > b.CapacityBlocks || (b.FitUsers+1)*b.UserBlocks <= b.CapacityBlocks {
		t.Errorf("fit %d users of %d blocks in %d", b.FitUsers, b.UserBlocks, b.CapacityBlocks)
	}
	over := DefaultKV
	over.Users = b.FitUsers + 10
	o, err := over.Budget()
	if err != nil {
		t.Fatal(err)
	}
	if o.Spilled != 10 || o.SpillBytes != 10*int64(o.UserBlocks)*o.BlockBytes || o.SpillTime <= 0 {
		t.Errorf("spilled %d users, %d bytes in %v", o.Spilled, o.SpillBytes, o.SpillTime)
	}
	// 5 GB at 50 GB/s is 100 ms.
	if want := o.Config.CopyTime(o.SpillBytes); o.SpillTime != want {
		t.Errorf("spill time %v, link says %v", o.SpillTime, want)
	}
}

func TestKVBudgetBadSetups(t *testing.T) {
	for _, s := range []KVSetup{
		{Users: 0, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
		{Users: 1, Tokens: MaxTokens + 1, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
		{Users: 1, Tokens: 4096, Model: "llama3-70b", GPU: "l4", Precision: "fp16"},
		{Users: 1, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp3"},
	} {
		if _, err := s.Budget(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

// The run the prompt scene plays: prefill in chunks of the batch budget,
// then one token per iteration, and KV growing a block per 16 tokens.
func TestRunPrompt(t *testing.T) {
	s := PromptSetup{Prompt: 5000, Output: 20, Model: "llama3-8b", GPU: "h100"}
	run, err := RunPrompt(s)
	if err != nil {
		t.Fatal(err)
	}
	chunks := (5000 + sim.DefaultMaxBatchTokens - 1) / sim.DefaultMaxBatchTokens
	if len(run.Steps) != chunks+s.Output-1 {
		t.Fatalf("%d steps, want %d prefill chunks and %d decodes", len(run.Steps), chunks, s.Output-1)
	}
	prev := time.Duration(0)
	for i, st := range run.Steps {
		if st.Start < prev || st.End <= st.Start {
			t.Fatalf("step %d runs %v–%v after %v", i, st.Start, st.End, prev)
		}
		prev = st.End
		if want := (st.KVTokens + 15) / 16; st.Blocks != want {
			t.Errorf("step %d: %d blocks for %d KV tokens", i, st.Blocks, st.KVTokens)
		}
		if i < chunks && st.Prefill == 0 || i >= chunks && st.Prefill != 0 {
			t.Errorf("step %d: %d prompt tokens", i, st.Prefill)
		}
	}
	if run.Passes != chunks || run.Decodes != s.Output-1 || run.TPOT <= 0 || run.TPOT > run.TTFT {
		t.Errorf("%d passes, %d decodes at %v", run.Passes, run.Decodes, run.TPOT)
	}
	if run.TTFT != run.Steps[chunks-1].End || run.End != prev {
		t.Errorf("TTFT %v, end %v", run.TTFT, run.End)
	}
	if i, f := run.At(run.TTFT / 2); i != 0 && f <= 0 {
		t.Errorf("At(TTFT/2) = %d, %v", i, f)
	}
	if i, _ := run.At(run.End); i != len(run.Steps) {
		t.Errorf("At(end) = %d", i)
	}
}
