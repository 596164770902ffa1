package scenes

import (
	"fmt"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// Contention is the tour's third scene, "When requests compete": one long
// prompt and five short ones on a small Gantt chart, under a policy that
// one key switches, with the chats' TTFT under each policy tried side by
// side.
type Contention struct {
	about
	kit      *render.Kit
	policy   string
	seed     uint64
	player   *playback.Player
	controls PlayerControls // the player's Transport, kept to cost nothing per frame
	err      string
	beat     int
	chrome   Chrome
	layout   contentionLayout

	// cells holds what each request did in each tick, from the events:
	// cells[id][tick-1].
	cells [][]cellKind
	// span is the chart's time axis: the longest run of any policy, so
	// that switching keeps the scale.
	span time.Duration
	// results are the chats' TTFTs (and the long prompt's) of each policy
	// whose run has finished, by policy.
	results  map[string]contentionResult
	captions []string // the beats' words for these results; nil: to be made
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

// NewContention builds the scene at its first beat.
// The seed is the run's; the scene's workload is fixed, so it changes
// nothing but is shown, as in every scene.
func NewContention(kit *render.Kit, seed uint64) *Contention {
	c := &Contention{kit: kit, seed: seed, results: map[string]contentionResult{},
		about: about{"contention", "When requests compete",
			"Requests share the GPU, so someone decides who goes first: the scheduling policy. Here a " +
				"16,000-token document arrives just before five short chats. One prompt is prefilled at a time, " +
				"512 tokens per 15 ms tick; the policy picks which."}}
	for _, p := range lesson.ContentionPolicies {
		if r, err := runContention(p, c.seed); err == nil {
			c.span = max(c.span, r.end)
		}
	}
	c.SetBeat(0)
	return c
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

// words puts the results so far into the beats' captions; a change of
// results clears them to be made again.
func (c *Contention) words() []string {
	ttft := func(p string) string {
		if r, ok := c.results[p]; ok {
			return fmtDur(lesson.Mean(r.chats))
		}
		return "?"
	}
	return []string{
		"The document arrives first; the five chats come 45 ms apart while it is being prefilled. Each row is a request, each cell a 15 ms tick. Press → to run it first come, first served.",
		"FCFS: the document holds the prefill lane for 32 ticks and every chat waits behind it (red): head-of-line blocking. A 200-token chat waits hundreds of ms for its first token.",
		"Shortest job first picks the shortest waiting prompt, but never interrupts one that has started. The document started first, so the chats still wait.",
		"MLFQ demotes a prompt once it has used its quantum (4 chunks): the chats overtake the document and get their first token within a tick or two.",
		fmt.Sprintf("SRPT re-decides every chunk, so any shorter prompt goes first. Mean chat TTFT: FCFS %s, SJF %s, MLFQ %s, SRPT %s; the document pays a little. S switches policy.",
			ttft("fcfs"), ttft("sjf"), ttft("mlfq"), ttft("srpt")),
	}
}

func (c *Contention) Beat() int { return c.beat }

func (c *Contention) SetBeat(i int) {
	c.beat = max(0, min(i, len(contentionBeats)-1))
	b := contentionBeats[c.beat]
	if c.beat == len(contentionBeats)-1 {
		// The comparison beat: every policy's result, computed by the
		// engine as a finished run would.
		for _, p := range lesson.ContentionPolicies {
			if r, err := runContention(p, c.seed); err == nil {
				c.results[p] = r.result
			}
		}
	}
	if c.beat == 0 {
		clear(c.results)
	}
	c.captions = nil
	c.SetPolicy(b.policy)
	if c.player != nil {
		c.player.SetPaused(!b.play)
	}
}

// Changed reports whether the policy differs from the beat's.
func (c *Contention) Changed() bool { return c.policy != contentionBeats[c.beat].policy }

// Policy is the policy running.
func (c *Contention) Policy() string { return c.policy }

// SetPolicy runs the workload under a policy from the start, playing.
func (c *Contention) SetPolicy(p string) {
	c.policy = p
	cfg, err := lesson.ContentionConfig(p, c.seed)
	if err == nil {
		c.player, err = playback.New(cfg)
	}
	if err != nil {
		c.player, c.err = nil, err.Error()
		return
	}
	c.err = ""
	c.player.SetSpeed(0.25)
	c.cells = c.cells[:0]
	for range c.player.Engine().Len() {
		c.cells = append(c.cells, nil)
	}
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

// Results are the mean chat TTFT of each policy tried, for tests.
func (c *Contention) Results() map[string]time.Duration {
	out := map[string]time.Duration{}
	for p, r := range c.results {
		out[p] = lesson.Mean(r.chats)
	}
	return out
}

func (c *Contention) Transport() Transport {
	if c.player == nil {
		return nil
	}
	c.controls.Player = c.player
	if c.controls.Seeked == nil {
		c.controls.Seeked = c.seeked // a method value: made once, not per frame
	}
	return &c.controls
}

// seeked drops what the chart recorded after the tick playback went back to.
func (c *Contention) seeked() {
	tick := c.player.Engine().Tick()
	for id, row := range c.cells {
		if len(row) > tick {
			c.cells[id] = row[:tick]
		}
	}
}

func (c *Contention) Status() string {
	return fmt.Sprintf("seed %d · %s · timing classic", c.seed, c.policy)
}

func (c *Contention) Layout(area Rect) {
	c.chrome = layoutChrome(c.kit, c, area)
	c.layout = layoutContention(c.kit, c.chrome.Body)
}

func (c *Contention) Update(time.Duration) {
	if c.player == nil {
		return
	}
	for _, ev := range c.player.Frame() {
		switch ev.Kind {
		case sim.EvPrefillChunk:
			c.mark(ev.Req, ev.Tick, cellPrefill)
		case sim.EvToken:
			c.mark(ev.Req, ev.Tick, cellDecode)
		}
	}
	e := c.player.Engine()
	if e.Done() {
		if _, ok := c.results[c.policy]; !ok {
			c.results[c.policy] = resultOf(e)
			c.captions = nil
		}
	}
}

func (c *Contention) mark(id, tick int, k cellKind) {
	row := c.cells[id]
	for len(row) < tick {
		row = append(row, cellNone)
	}
	// A chat's prompt and its first decode can share a tick: the prefill
	// is what the chart shows.
	if row[tick-1] != cellPrefill {
		row[tick-1] = k
	}
	c.cells[id] = row
}

func (c *Contention) Draw(dst *ebiten.Image) { drawTeaching(dst, c.kit, c, c.chrome, c.err, c.draw) }

// contentionRun is a whole run of the workload under a policy.
type contentionRun struct {
	result contentionResult
	end    time.Duration
}

func runContention(policy string, seed uint64) (contentionRun, error) {
	cfg, err := lesson.ContentionConfig(policy, seed)
	if err != nil {
		return contentionRun{}, err
	}
	e, err := sim.New(cfg)
	if err != nil {
		return contentionRun{}, err
	}
	e.Run()
	return contentionRun{result: resultOf(e), end: e.Now()}, nil
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
