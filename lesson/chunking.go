package lesson

import (
	"fmt"
	"slices"
	"time"

	"inferplay/sim"
)

// chunkingTrace is the chunked-prefill scene's workload: three chats that
// are decoding when a long document arrives (few enough rows for the
// smallest projector screen).
var chunkingTrace = []sim.Spec{
	{Arrival: 0, Input: 200, Output: 60, Class: sim.Interactive},
	{Arrival: 10 * time.Millisecond, Input: 300, Output: 60, Class: sim.Interactive},
	{Arrival: 20 * time.Millisecond, Input: 150, Output: 60, Class: sim.Interactive},
	{Arrival: 150 * time.Millisecond, Input: 16000, Output: 16, Class: sim.Batch},
}

// ChunkingBudget is the token budget of the chunked run.
const ChunkingBudget = 2048

// ChunkingConfig is the scene's run with or without chunked prefill:
// Llama 3 8B at FP16 on one H100, on the roofline model.
func ChunkingConfig(chunked bool, seed uint64) (sim.Config, error) {
	c, err := base("llama3-8b", "h100", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario = "chunking"
	c.Timing, c.Seed = "roofline", seed
	c.MaxBatchTokens, c.WholePrompts = ChunkingBudget, !chunked
	c.Trace = slices.Clone(chunkingTrace)
	c.TraceName = "three chats decoding, then a 16,000-token document"
	return c, c.Validate()
}

// ChunkingRow is one request's run: its prompt's iterations and the times
// its tokens came out.
type ChunkingRow struct {
	Class   sim.Class
	Input   int
	Prefill []Span          // the iterations that ran its prompt
	Tokens  []time.Duration // when each output token came out
}

// Span is a stretch of simulated time.
type Span struct{ Start, End time.Duration }

// ChunkingRun is the scene's whole run one way.
type ChunkingRun struct {
	Chunked bool
	Rows    []ChunkingRow
	Iters   []Span
	End     time.Duration
	// ChatGap is the longest wait between two tokens of any chat, and
	// ChatTBTP99 the chats' p99 gap between tokens; DocTTFT is the
	// document's time to first token.
	ChatGap, ChatTBTP99, DocTTFT time.Duration
}

// RunChunking runs the scene's workload with or without chunked prefill.
func RunChunking(chunked bool, seed uint64) (*ChunkingRun, error) {
	c, err := ChunkingConfig(chunked, seed)
	if err != nil {
		return nil, err
	}
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return nil, err
	}
	run := &ChunkingRun{Chunked: chunked, Rows: make([]ChunkingRow, len(chunkingTrace))}
	for i, s := range chunkingTrace {
		run.Rows[i] = ChunkingRow{Class: s.Class, Input: s.Input}
	}
	for steps := 0; !e.Done(); steps++ {
		if steps > 100_000 || e.Stuck() != "" {
			return nil, fmt.Errorf("chunking scene: the run did not finish: %s", e.Stuck())
		}
		events := e.Step()
		it := e.LastIteration()
		span := Span{it.Start, it.Start + it.Duration}
		run.Iters = append(run.Iters, span)
		for _, ev := range events {
			if ev.Req < 0 || ev.Req >= len(run.Rows) {
				continue
			}
			switch ev.Kind {
			case sim.EvPrefillChunk:
				run.Rows[ev.Req].Prefill = append(run.Rows[ev.Req].Prefill, span)
			case sim.EvToken:
				run.Rows[ev.Req].Tokens = append(run.Rows[ev.Req].Tokens, span.End)
			}
		}
	}
	run.End = e.Now()
	var gaps []time.Duration
	for id, r := range run.Rows {
		if r.Class == sim.Batch {
			if q := e.Request(id); q.FirstTokenTick > 0 {
				run.DocTTFT = q.FirstTokenAt - q.JoinedAt
			}
			continue
		}
		for i := 1; i < len(r.Tokens); i++ {
			gaps = append(gaps, r.Tokens[i]-r.Tokens[i-1])
		}
	}
	if len(gaps) > 0 {
		slices.Sort(gaps)
		run.ChatGap = gaps[len(gaps)-1]
		run.ChatTBTP99 = gaps[(99*len(gaps)+99)/100-1] // nearest rank
	}
	return run, nil
}

// ChunkingDocTokens is the document's prompt length.
func ChunkingDocTokens() int { return chunkingTrace[len(chunkingTrace)-1].Input }
