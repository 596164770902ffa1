package scenes

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Contention is the tour's third scene, "When requests compete": one long
// prompt and five short ones on a small Gantt chart, under a policy that
// one key switches, with the chats' TTFT under each policy tried side by
// side.
type Contention struct {
	about
	kit    *render.Kit
	policy string
	timing string
	seed   uint64
	// runs are every policy's whole run on the timing model, computed
	// ahead: the workload is fixed and small, and the comparison of a late
	// beat must be right on its first frame.
	runs  map[string]*contentionRun
	run   *contentionRun // the policy's, played by the clock
	clock slowClock
	err   string
	beat  int
	// spot and spotlight point at what a beat's caption names.
	spot      []Callout
	spotlight Spotlight
	// chrome and layout are where the scene draws.
	chrome Chrome
	layout contentionLayout

	// span is the chart's time axis: the longest run of any policy, so
	// that switching keeps the scale.
	span time.Duration
	// worst is the largest mean chat TTFT of any policy: the comparison's
	// axis covers it, whichever results are shown.
	worst time.Duration
	// results are the chats' TTFTs (and the long prompt's) of each policy
	// shown in the comparison, by policy.
	results  map[string]contentionResult
	captions []string // the beats' words; nil: to be made
}

type cellKind uint8

const (
	cellNone cellKind = iota
	cellPrefill
	cellDecode
)

type contentionResult struct {
	chats []time.Duration
	long  time.Duration // the long prompt's TTFT
}

// contentionWall is how long the longest policy's run plays at 1×: slow
// enough to follow a chat's wait, iteration by iteration.
const contentionWall = 8 * time.Second

// NewContention builds the scene at its first beat, on the roofline model.
// The seed is the run's; the scene's workload is fixed, so it changes
// nothing but is shown, as in every scene.
func NewContention(kit *render.Kit, seed uint64) *Contention {
	c := &Contention{kit: kit, seed: seed, results: map[string]contentionResult{},
		about: about{name: "contention", title: "When requests compete"}}
	c.SetTiming(lesson.ContentionTimings[0])
	return c
}

// Timing is the timing model the scene runs on.
func (c *Contention) Timing() string { return c.timing }

// SetTiming runs the scene on a timing model (one of
// lesson.ContentionTimings), at the same beat and policy.
func (c *Contention) SetTiming(timing string) {
	c.timing = timing
	c.intro = contentionIntro(timing)
	c.runs = map[string]*contentionRun{}
	c.span, c.worst, c.err = 0, 0, ""
	for _, p := range lesson.ContentionPolicies {
		r, err := runContention(p, timing, c.seed)
		if err != nil {
			c.err = err.Error()
			continue
		}
		c.runs[p] = r
		c.span = max(c.span, r.end)
		c.worst = max(c.worst, lesson.Mean(r.result.chats))
	}
	c.captions = nil
	policy := c.policy
	c.SetBeat(c.beat)
	if policy != "" && policy != c.policy {
		c.SetPolicy(policy)
	}
}

func contentionIntro(timing string) string {
	s := "Requests share the GPU, so someone decides who goes first: the scheduling policy. Here a " +
		thousands(contentionDocTokens()) + "-token document arrives just before five short chats. "
	if timing == "classic" {
		return s + "One prompt is prefilled at a time, 512 tokens per 15 ms tick; the policy picks which."
	}
	return s + fmt.Sprintf("Each GPU iteration has room for %s tokens; the policy picks whose prompts fill it.",
		thousands(sim.DefaultMaxBatchTokens))
}

// contentionDocTokens is the long prompt's length.
func contentionDocTokens() int {
	c, err := lesson.ContentionConfig(lesson.ContentionPolicies[0], lesson.ContentionTimings[0], 0)
	if err != nil {
		return 0
	}
	for _, s := range c.Trace {
		if s.Class == sim.Batch {
			return s.Input
		}
	}
	return 0
}

// contentionBeats: the workload, then each policy in turn, the last with
// every policy's result side by side.
var contentionBeats = []struct {
	policy string
	play   bool
}{
	{"fcfs", false}, {"fcfs", true}, {"sjf", true}, {"mlfq", true}, {"srpt", true},
}

func (c *Contention) Beats() []string {
	if c.captions == nil {
		c.captions = c.words()
	}
	return c.captions
}

// words puts the runs' numbers into the beats' captions, so that every
// caption is true of the timing model the scene runs on.
func (c *Contention) words() []string {
	mean := func(p string) string {
		if r, ok := c.runs[p]; ok {
			return fmtDur(lesson.Mean(r.result.chats))
		}
		return "?"
	}
	cell, cells := "one GPU iteration, as long as its work takes", "iterations"
	if c.timing == "classic" {
		cell, cells = "a 15 ms tick", "ticks"
	}
	var docIters, reach int
	var docTime, docPays time.Duration
	if r, ok := c.runs["fcfs"]; ok {
		docIters, docTime = r.docIters, r.result.long
	}
	if r, ok := c.runs["mlfq"]; ok {
		reach = r.maxChatIters
	}
	if f, s := c.runs["fcfs"], c.runs["srpt"]; f != nil && s != nil {
		docPays = s.result.long - f.result.long
	}
	within := "within an iteration or two"
	if c.timing == "classic" {
		within = "within a tick or two"
	}
	if reach > 2 {
		within = fmt.Sprintf("within %d %s", reach, cells)
	}
	quantum := thousands(sim.MLFQQuanta()[0]) + " tokens"
	if c.timing == "classic" {
		quantum += fmt.Sprintf(" (%d chunks)", sim.MLFQQuanta()[0]/sim.ClassicChunk)
	}
	return []string{
		"The document arrives first; the five chats come 45 ms apart while it is being prefilled. Each row is a request, each cell " +
			cell + ". Press Right or PgDn to run it first come, first served.",
		fmt.Sprintf("FCFS: the document holds the GPU for %d %s of prefill (%s) and every chat waits behind it: head-of-line blocking. The chats wait %s on average for their first token.",
			docIters, cells, fmtDur(docTime), mean("fcfs")),
		fmt.Sprintf("Shortest job first picks the shortest waiting prompt, but never interrupts one that has started. The document started before any chat arrived, so the chats still wait: %s on average.",
			mean("sjf")),
		fmt.Sprintf("MLFQ serves a new prompt its first %s at the top level, then drops it a level: the chats overtake the document and get their first token %s (%s on average).",
			quantum, within, mean("mlfq")),
		fmt.Sprintf("SRPT re-decides every %s, so any shorter prompt goes first. Mean chat TTFT: FCFS %s, SJF %s, MLFQ %s, SRPT %s; the document's first token comes %s later. S switches policy.",
			strings.TrimSuffix(cells, "s"), mean("fcfs"), mean("sjf"), mean("mlfq"), mean("srpt"), fmtDur(docPays)),
	}
}

func (c *Contention) Beat() int { return c.beat }

// SetBeat enters a beat from scratch: the comparison shows the results of
// the policies the beats before it ran (the last beat: every policy), as
// though the tour had played them, so a link to a late beat opens on the
// same screen as walking there.
func (c *Contention) SetBeat(i int) {
	c.beat = max(0, min(i, len(contentionBeats)-1))
	b := contentionBeats[c.beat]
	clear(c.results)
	for j, prev := range contentionBeats {
		if (j < c.beat && prev.play) || c.beat == len(contentionBeats)-1 {
			if r, ok := c.runs[prev.policy]; ok {
				c.results[prev.policy] = r.result
			}
		}
	}
	c.captions = nil
	c.SetPolicy(b.policy)
	c.clock.SetPaused(!b.play)
}

// Changed reports whether the policy differs from the beat's.
func (c *Contention) Changed() bool { return c.policy != contentionBeats[c.beat].policy }

// Policy is the policy running.
func (c *Contention) Policy() string { return c.policy }

// SetPolicy plays the workload under a policy from the start.
func (c *Contention) SetPolicy(p string) {
	c.policy = p
	r, ok := c.runs[p]
	if !ok {
		c.run = nil
		if _, err := lesson.ContentionConfig(p, c.timing, c.seed); err != nil {
			c.err = err.Error()
		}
		return
	}
	c.run = r
	marks := make([]time.Duration, len(r.iters))
	for i, it := range r.iters {
		marks[i] = it.end
	}
	// Every policy plays at the pace of the longest run, so that
	// switching keeps the speed as the chart keeps its scale.
	c.clock.reset(c.span, marks, contentionWall)
	c.clock.end = r.end
	c.clock.paused = false
}

// NextPolicy switches to the next policy and runs it.
func (c *Contention) NextPolicy() {
	i := slices.Index(lesson.ContentionPolicies, c.policy)
	c.SetPolicy(lesson.ContentionPolicies[(i+1)%len(lesson.ContentionPolicies)])
}

// ClearResults forgets the policies tried.
func (c *Contention) ClearResults() {
	clear(c.results)
	c.captions = nil
}

// Results are the mean chat TTFT of each policy in the comparison, for
// tests.
func (c *Contention) Results() map[string]time.Duration {
	out := map[string]time.Duration{}
	for p, r := range c.results {
		out[p] = lesson.Mean(r.chats)
	}
	return out
}

func (c *Contention) Transport() Transport {
	if c.run == nil {
		return nil
	}
	return &c.clock
}

func (c *Contention) Status() string {
	return fmt.Sprintf("seed %d · %s · timing %s", c.seed, c.policy, c.timing)
}

func (c *Contention) Layout(area Rect) {
	c.chrome = layoutChrome(c.kit, c, area)
	c.layout = layoutContention(c.kit, c.chrome.Body)
}

// Update plays the run on; once it has played to the end, its result joins
// the comparison.
func (c *Contention) Update(dt time.Duration) {
	if c.run == nil {
		return
	}
	c.clock.advance(dt)
	if c.clock.at >= c.run.end {
		if _, ok := c.results[c.policy]; !ok {
			c.results[c.policy] = c.run.result
		}
	}
}

func (c *Contention) Draw(dst *ebiten.Image) {
	err := c.err
	if err == "" && c.run == nil {
		err = "no run for policy " + c.policy
	}
	drawTeaching(dst, c.kit, c, c.chrome, err, c.draw)
}

// contentionRun is a whole run of the workload under a policy, as the
// chart draws it.
type contentionRun struct {
	result contentionResult
	end    time.Duration
	reqs   []contentionReq
	iters  []contentionIter
	// cells holds what each request did in each iteration: cells[id][i].
	cells [][]cellKind
	long  int // the document's ID, or -1
	// docIters counts the iterations in which the document prefilled.
	docIters int
	// maxChatIters is the most iterations any chat's wait for its first
	// token overlapped, counting the one running when it arrived.
	maxChatIters int
}

// contentionReq is what the chart needs of a request.
type contentionReq struct {
	class             sim.Class
	input             int
	arrival, joined   time.Duration
	first, completion time.Duration // 0: not reached
}

type contentionIter struct{ start, end time.Duration }

func runContention(policy, timing string, seed uint64) (*contentionRun, error) {
	cfg, err := lesson.ContentionConfig(policy, timing, seed)
	if err != nil {
		return nil, err
	}
	e, err := sim.New(cfg, sim.WithoutBlockMap()) // drawn from its events
	if err != nil {
		return nil, err
	}
	r := &contentionRun{long: -1, cells: make([][]cellKind, e.Len()+e.Unsent())}
	for !e.Done() {
		if e.Stuck() != "" {
			return nil, fmt.Errorf("%s", e.Stuck())
		}
		for _, ev := range e.Step() {
			switch ev.Kind {
			case sim.EvIteration:
				r.iters = append(r.iters, contentionIter{ev.At, ev.At + ev.Dur})
			case sim.EvPrefillChunk:
				r.mark(ev.Req, cellPrefill)
			case sim.EvToken:
				r.mark(ev.Req, cellDecode)
			}
		}
	}
	r.end = e.Now()
	for id := range e.Len() {
		q := e.Request(id)
		cr := contentionReq{class: q.Class, input: q.Input, arrival: q.Arrival, joined: q.JoinedAt}
		if q.FirstTokenTick > 0 {
			cr.first = q.FirstTokenAt
		}
		if q.CompletionTick > 0 {
			cr.completion = q.CompletedAt
		}
		r.reqs = append(r.reqs, cr)
		if q.Class == sim.Batch {
			r.long = id
		}
	}
	r.result = resultOf(e)
	for id, q := range r.reqs {
		if id == r.long {
			for _, k := range r.cells[id] {
				if k == cellPrefill {
					r.docIters++
				}
			}
			continue
		}
		n := 0
		for _, it := range r.iters {
			if it.end > q.arrival && it.start < q.first {
				n++
			}
		}
		r.maxChatIters = max(r.maxChatIters, n)
	}
	return r, nil
}

// mark records what a request did in the iteration just recorded. A chat's
// prompt and its first decode share an iteration: the prefill is what the
// chart shows.
func (r *contentionRun) mark(id int, k cellKind) {
	for len(r.cells) <= id {
		r.cells = append(r.cells, nil)
	}
	row := r.cells[id]
	for len(row) < len(r.iters) {
		row = append(row, cellNone)
	}
	if i := len(r.iters) - 1; i >= 0 && row[i] != cellPrefill {
		row[i] = k
	}
	r.cells[id] = row
}

// kind is what request id did in iteration i.
func (r *contentionRun) kind(id, i int) cellKind {
	if i < len(r.cells[id]) {
		return r.cells[id][i]
	}
	return cellNone
}

func resultOf(e *sim.Engine) contentionResult {
	r := contentionResult{chats: lesson.InteractiveTTFTs(e)}
	for id := range e.Len() {
		if q := e.Request(id); q.Class == sim.Batch {
			r.long = q.FirstTokenAt - q.JoinedAt
		}
	}
	return r
}
