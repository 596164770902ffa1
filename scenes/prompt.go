package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Prompt is the tour's first scene, "What happens when you send a prompt":
// one request, its prompt prefilled and its answer decoded token by token,
// in slow motion on the engine's roofline timing.
type Prompt struct {
	about
	seed   uint64
	kit    *render.Kit
	setup  lesson.PromptSetup
	run    lesson.PromptRun
	err    string
	clock  slowClock
	beat   int
	chrome Chrome
	layout promptLayout

	promptChips promptTokens
	answerChips answerTokens
	captions    []string // made once per setup, not per frame
	summary     string   // the run's sums, likewise

	kvLine    string // the KV cache's line, as last drawn
	grid      kvGrid // the KV blocks, as last drawn
	spots     promptSpots
	spot      []Callout
	spotlight Spotlight
}

// NewPrompt builds the scene at its first beat.
// The seed is shown, as in every scene; one request runs the same under
// any seed.
func NewPrompt(kit *render.Kit, seed uint64) *Prompt {
	p := &Prompt{kit: kit, seed: seed, about: about{"prompt", "What happens when you send a prompt",
		"A language model answers in two phases. Prefill reads your whole prompt in one parallel pass " +
			"and remembers it as a KV cache; decode then writes the answer one token at a time, " +
			"each token a full pass over the model's weights."}}
	p.SetBeat(0)
	return p
}

// promptWall is how long a run plays at 1×, whatever its simulated length.
const promptWall = 9 * time.Second

// promptBeats are the setups of the scene's beats and how each plays:
// from where, and until when.
var promptBeats = []struct {
	setup lesson.PromptSetup
	from  func(*lesson.PromptRun) time.Duration
	until func(*lesson.PromptRun) time.Duration // nil: stay paused
	// slow plays at half speed: the prefill beat is one short pass, and
	// at half speed it lasts long enough to watch the chips go in.
	slow bool
}{
	{lesson.DefaultPrompt, start, nil, false},
	{lesson.DefaultPrompt, start, firstToken, true},
	{lesson.DefaultPrompt, firstToken, end, false},
	{lesson.PromptSetup{Prompt: 6000, Output: 24, Model: "llama3-8b", GPU: "h100"}, start, end, false},
	{lesson.PromptSetup{Prompt: 6000, Output: 24, Model: "llama3-8b", GPU: "a100"}, start, end, false},
}

func start(*lesson.PromptRun) time.Duration        { return 0 }
func firstToken(r *lesson.PromptRun) time.Duration { return r.TTFT }
func end(r *lesson.PromptRun) time.Duration        { return r.End }

// Beats are the captions, with the current run's numbers.
func (p *Prompt) Beats() []string { return p.captions }

// words puts the current run's numbers into the beats' captions.
func (p *Prompt) words() []string {
	s := p.setup
	ttft, tpot, chunks := p.run.TTFT, p.run.TPOT, p.run.Passes
	bound := "memory"
	if n := len(p.run.Steps); n > 0 {
		bound = p.run.Steps[n-1].Bound.String()
	}
	return []string{
		fmt.Sprintf("Your prompt is split into tokens, whole words and pieces of words: these %s tokens are about to go to the GPU. Press Right or PgDn to send them.",
			thousands(s.Prompt)),
		fmt.Sprintf("Prefill: the GPU takes all %s tokens in one parallel pass, storing each one's keys and values, the KV cache, in VRAM blocks of 16 tokens. The pass ends with the first answer token: TTFT, %s.",
			thousands(s.Prompt), fmtDur(ttft)),
		fmt.Sprintf("Decode: the answer comes one token per pass, %s each. Every pass reads all the weights for a single token, so it is %s-bound. The KV cache grows a token per pass, a new block every 16 tokens.",
			fmtDur(tpot), bound),
		fmt.Sprintf("A %s-token prompt is prefilled in %d chunks of up to %s tokens, one per pass: TTFT grows to %s, while each answer token still takes about %s.",
			thousands(s.Prompt), chunks, thousands(sim.DefaultMaxBatchTokens), fmtDur(ttft), fmtDur(tpot)),
		fmt.Sprintf("The same %s-token request on an A100: less compute slows prefill (TTFT %s) and less memory bandwidth slows every token (%s). Set your own in the Prompt panel.",
			thousands(s.Prompt), fmtDur(ttft), fmtDur(tpot)),
	}
}

func (p *Prompt) Beat() int { return p.beat }

// SetBeat loads the beat's setup and plays it from its start.
func (p *Prompt) SetBeat(i int) {
	i = max(0, min(i, len(promptBeats)-1))
	b := promptBeats[i]
	p.beat = i
	p.SetSetup(b.setup)
	if p.err != "" {
		return
	}
	if b.until != nil {
		p.clock.play(b.from(&p.run), b.until(&p.run))
		if b.slow {
			p.clock.Slower()
		}
	} else {
		p.clock.at = b.from(&p.run)
	}
}

// Changed reports whether the setup differs from the beat's.
func (p *Prompt) Changed() bool { return p.setup != promptBeats[p.beat].setup }

// Setup is what the scene runs.
func (p *Prompt) Setup() lesson.PromptSetup { return p.setup }

// SetSetup runs a new setup from the start, paused; a setup that cannot run
// is shown with its reason.
func (p *Prompt) SetSetup(s lesson.PromptSetup) {
	p.setup = s
	defer func() { p.captions, p.summary = p.words(), p.summarize() }()
	run, err := lesson.RunPrompt(s)
	if err != nil {
		p.err, p.run = err.Error(), lesson.PromptRun{}
		return
	}
	p.err, p.run = "", run
	p.clock.reset(run.End, run.Marks(), promptWall)
}

func (p *Prompt) Transport() Transport {
	if p.err != "" {
		return nil
	}
	return &p.clock
}

// Status: the scene always runs FCFS on the roofline model.
func (p *Prompt) Status() string {
	return fmt.Sprintf("seed %d · fcfs · timing roofline", p.seed)
}

func (p *Prompt) Layout(area Rect) {
	p.chrome = layoutChrome(p.kit, p, area)
	p.layout = layoutPrompt(p.kit, p.chrome.Body, p.summaryLines())
}

func (p *Prompt) Update(dt time.Duration) {
	if p.err == "" {
		p.clock.advance(dt)
	}
}

func (p *Prompt) Draw(dst *ebiten.Image) { drawTeaching(dst, p.kit, p, p.chrome, p.err, p.draw) }
