package scenes

import (
	"fmt"
	"time"

	"inferplay/lesson"
	"inferplay/render"
)

// Batching is the tour's scene on batching: the same twelve requests in a
// batch of four slots, static batching above and continuous batching
// below, on one clock, so that the idle slots of the one and the early
// finish of the other show side by side.
type Batching struct {
	about
	twinRuns
	seed uint64
	runs [2]*lesson.BatchingRun // static, continuous: lesson.BatchingBatchers
}

// NewBatching builds the scene at its first beat.
func NewBatching(kit *render.Kit, seed uint64) *Batching {
	b := &Batching{twinRuns: twinRuns{kit: kit}, seed: seed, about: about{name: "batching", title: "Batching: keeping the GPU full",
		intro: fmt.Sprintf("A GPU runs many requests in one iteration, a batch. Here %d requests arrive at once and a batch holds %d: each row is a slot, each cell an iteration. How slots are refilled decides how much of the GPU works.",
			lesson.BatchingRequests(), lesson.BatchingSlots)}}
	var ends [2][]time.Duration
	for i, name := range lesson.BatchingBatchers {
		r, err := lesson.RunBatching(name, seed)
		if err != nil {
			b.err = err.Error()
			return b
		}
		b.runs[i] = r
		for _, it := range r.Iters {
			ends[i] = append(ends[i], it.End)
		}
	}
	b.startClock(ends[0], ends[1])
	return b
}

func (b *Batching) Beats() []string {
	if b.err != "" {
		return []string{b.err, b.err, b.err}
	}
	st, co := b.runs[0], b.runs[1]
	return []string{
		fmt.Sprintf("Every request has a %d-token prompt; the answers run from %d to %d tokens. Above, static batching; below, continuous batching: the same requests on the same GPU. Press Right or PgDn to run both.",
			lesson.BatchingPrompt(), lesson.BatchingShortest(), lesson.BatchingLongest()),
		fmt.Sprintf("Static batching takes four requests and no one new until all four have finished: a slot whose answer is done sits idle (dark) while the longest decodes on. %.0f%% of its slot time is idle.",
			100*st.IdleShare),
		fmt.Sprintf("Continuous batching gives a freed slot to the next request at the very next iteration: no slot idles while anyone waits. All %d are done in %s instead of %s: %.0f tokens/s against %.0f, and answers come %s sooner on average.",
			lesson.BatchingRequests(), fmtDur(co.End), fmtDur(st.End), co.Throughput, st.Throughput, fmtDur(st.MeanE2E-co.MeanE2E)),
	}
}

func (b *Batching) Status() string {
	return fmt.Sprintf("seed %d · static and continuous batching · timing roofline", b.seed)
}

// Runs are the scene's two runs (static, continuous), for tests.
func (b *Batching) Runs() [2]*lesson.BatchingRun { return b.runs }
