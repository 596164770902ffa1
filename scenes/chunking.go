package scenes

import (
	"fmt"
	"time"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Chunking is the tour's scene on chunked prefill: three chats decoding
// when a long document arrives, its prompt run whole above and in chunks
// below, on one clock, so that the stall of the one and the steady ticks
// of the other show side by side.
type Chunking struct {
	about
	twinRuns
	seed uint64
	runs [2]*lesson.ChunkingRun // whole, chunked
	// target is the chats' TBT target, from the scenario the lesson uses.
	target time.Duration
}

// NewChunking builds the scene at its first beat.
func NewChunking(kit *render.Kit, seed uint64) *Chunking {
	c := &Chunking{twinRuns: twinRuns{kit: kit}, seed: seed, about: about{name: "chunking", title: "Chunked prefill: long prompts without stalls",
		intro: fmt.Sprintf("Decodes share each iteration with prompts. A long prompt run whole makes one long iteration, and every running chat waits it out between two tokens; run in chunks of a %s-token budget, it shares many short iterations with the decodes.",
			thousands(lesson.ChunkingBudget))}}
	var ends [2][]time.Duration
	for i, chunked := range []bool{false, true} {
		r, err := lesson.RunChunking(chunked, seed)
		if err != nil {
			c.err = err.Error()
			return c
		}
		c.runs[i] = r
		for _, it := range r.Iters {
			ends[i] = append(ends[i], it.End)
		}
	}
	if cfg, err := lesson.ChunkingConfig(true, seed); err == nil {
		c.target = cfg.SLO[sim.Interactive].TBT
	}
	c.startClock(ends[0], ends[1])
	return c
}

func (c *Chunking) Beats() []string {
	if c.err != "" {
		return []string{c.err, c.err, c.err}
	}
	whole, chunked := c.runs[0], c.runs[1]
	doc := len(whole.Rows) - 1
	target := "no target"
	if c.target > 0 {
		target = "a " + fmtDur(c.target) + " target"
	}
	return []string{
		fmt.Sprintf("Three chats are answering when a %s-token document arrives. Above, its prompt runs whole; below, in %s-token chunks beside the chats' decodes. Each tick is a token. Press Right or PgDn to run both.",
			thousands(lesson.ChunkingDocTokens()), thousands(lesson.ChunkingBudget)),
		fmt.Sprintf("Run whole, the document's prompt is one iteration of %s, and every chat waits it out between two tokens: a gap of %s against %s.",
			fmtDur(whole.Rows[doc].Prefill[0].End-whole.Rows[doc].Prefill[0].Start), fmtDur(whole.ChatGap), target),
		fmt.Sprintf("In chunks, the document shares %d iterations with the decodes: the chats' longest gap is %s, and the document's first token comes %s later (%s against %s).",
			len(chunked.Rows[doc].Prefill), fmtDur(chunked.ChatGap), fmtDur(chunked.DocTTFT-whole.DocTTFT), fmtDur(chunked.DocTTFT), fmtDur(whole.DocTTFT)),
	}
}

func (c *Chunking) Status() string {
	return fmt.Sprintf("seed %d · prompts whole and chunked · timing roofline", c.seed)
}

// Runs are the scene's two runs (whole, chunked), for tests.
func (c *Chunking) Runs() [2]*lesson.ChunkingRun { return c.runs }
