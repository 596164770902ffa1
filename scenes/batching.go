package scenes

import (
	"fmt"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
)

// Batching is the tour's scene on batching: the same twelve requests in a
// batch of four slots, static batching above and continuous batching
// below, on one clock, so that the idle slots of the one and the early
// finish of the other show side by side.
type Batching struct {
	about
	kit   *render.Kit
	seed  uint64
	runs  [2]*lesson.BatchingRun // static, continuous: lesson.BatchingBatchers
	span  time.Duration          // the longer run: both charts' time axis
	clock slowClock
	err   string
	beat  int

	spot      []Callout
	spotlight Spotlight
	chrome    Chrome
	charts    [2]Rect // where each run's chart is
	results   Rect    // the comparison under them
	legendAt  []Rect
}

// batchingWall is how long the longer run plays at 1×.
const batchingWall = 10 * time.Second

// NewBatching builds the scene at its first beat.
func NewBatching(kit *render.Kit, seed uint64) *Batching {
	b := &Batching{kit: kit, seed: seed, about: about{name: "batching", title: "Batching: keeping the GPU full",
		intro: fmt.Sprintf("A GPU runs many requests in one iteration, a batch. Here %d requests arrive at once and a batch holds %d: each row is a slot, each cell an iteration. How slots are refilled decides how much of the GPU works.",
			lesson.BatchingRequests(), lesson.BatchingSlots)}}
	for i, name := range lesson.BatchingBatchers {
		r, err := lesson.RunBatching(name, seed)
		if err != nil {
			b.err = err.Error()
			return b
		}
		b.runs[i] = r
		b.span = max(b.span, r.End)
	}
	var marks []time.Duration
	for _, r := range b.runs {
		for _, it := range r.Iters {
			marks = append(marks, it.End)
		}
	}
	slices.Sort(marks)
	b.clock.reset(b.span, slices.Compact(marks), batchingWall)
	b.SetBeat(0)
	return b
}

// batchingBeats: the setup, static batching played, continuous batching
// and the comparison.
var batchingBeats = []struct {
	play  bool
	atEnd bool
}{{false, false}, {true, false}, {false, true}}

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

func (b *Batching) Beat() int { return b.beat }

// SetBeat enters a beat from scratch.
func (b *Batching) SetBeat(i int) {
	b.beat = max(0, min(i, len(batchingBeats)-1))
	bt := batchingBeats[b.beat]
	b.clock.at, b.clock.stop = 0, 0
	if bt.atEnd {
		b.clock.at = b.span
	}
	b.clock.paused = !bt.play
}

func (b *Batching) Transport() Transport {
	if b.err != "" {
		return nil
	}
	return &b.clock
}

func (b *Batching) Status() string {
	return fmt.Sprintf("seed %d · static and continuous batching · timing roofline", b.seed)
}

// Runs are the scene's two runs (static, continuous), for tests.
func (b *Batching) Runs() [2]*lesson.BatchingRun { return b.runs }

// Charts are where the two runs' slot charts are drawn, for tests.
func (b *Batching) Charts() [2]Rect { return b.charts }

// Callouts are what the beat points at, for tests.
func (b *Batching) Callouts() []Callout { return b.spot }

func (b *Batching) Update(dt time.Duration) { b.clock.advance(dt) }

func (b *Batching) Draw(dst *ebiten.Image) {
	drawTeaching(dst, b.kit, b, b.chrome, b.err, b.draw)
}
