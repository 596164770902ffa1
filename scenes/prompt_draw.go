package scenes

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

// The words on the token chips. The counts and times are the engine's; the
// words only make the chips read like a prompt and an answer.
var (
	promptWords = strings.Fields("Explain to a first-year student why a GPU that serves a large language model " +
		"runs out of memory when many people chat with it at once, and what the server can do about it.")
	answerWords = strings.Fields("Each chat keeps a cache of keys and values for every token it has seen. " +
		"The cache lives in GPU memory and grows with every token, so many long chats fill it; then the " +
		"server must wait, move caches to CPU memory, or drop and recompute them.")
)

type promptLayout struct{ prompt, answer, gpu, timeline Rect }

func layoutPrompt(k *render.Kit, b Rect) promptLayout {
	gap := k.Px(16)
	topH := b.H * 0.62
	leftW := b.W * 0.48
	var l promptLayout
	l.prompt = Rect{b.X, b.Y, leftW, topH * 0.56}
	l.answer = Rect{b.X, b.Y + l.prompt.H + gap, leftW, topH - l.prompt.H - gap}
	l.gpu = Rect{b.X + leftW + gap, b.Y, b.W - leftW - gap, topH}
	l.timeline = Rect{b.X, b.Y + topH + gap, b.W, b.H - topH - gap}
	return l
}

// chipSize is the type size on token chips.
const chipSize = 20

// chips lays out one chip per group of tokens in a box, flowing like text;
// the group grows (1, 2, 4… tokens a chip) until every chip fits.
type chips struct {
	key   chipsKey
	per   int
	rects []Rect
}

type chipsKey struct {
	tokens    int
	box       Rect
	scale, mt float64
	first     string
}

func (c *chips) layout(k *render.Kit, words []string, tokens int, box Rect) {
	key := chipsKey{tokens, box, k.Scale, k.MinText, words[0]}
	if key == c.key && c.rects != nil {
		return
	}
	c.key = key
	h := k.LineHeight(chipSize) + k.Px(6)
	gap := k.Px(6)
	for c.per = 1; ; c.per *= 2 {
		n := (tokens + c.per - 1) / c.per
		c.rects = c.rects[:0]
		x, y := box.X, box.Y
		fits := true
		for i := range n {
			w := k.TextWidth(words[i%len(words)], chipSize, false) + k.Px(14)
			if x+w > box.X+box.W && x > box.X {
				x, y = box.X, y+h+gap
			}
			if y+h > box.Y+box.H {
				fits = false
				break
			}
			c.rects = append(c.rects, Rect{x, y, w, h})
			x += w + gap
		}
		if fits || c.per > tokens {
			return
		}
	}
}

// chipBox is where chips go inside a panel.
func chipBox(k *render.Kit, r Rect) Rect {
	pad := k.Px(16)
	top := r.Y + k.Px(46)
	return Rect{r.X + pad, top, r.W - 2*pad, r.Y + r.H - pad - top}
}

// state at the clock: the step in progress, how far through it, and the
// request's counts at the end of the last finished step.
type promptState struct {
	step             int
	frac             float64
	prefilled        int // prompt tokens cached
	decoded          int // answer tokens out
	kvTokens, blocks int
	chunkFrom        int // prompt tokens the step in progress processes:
	chunkTo          int // [chunkFrom, chunkTo)
}

func (p *Prompt) state() promptState {
	var s promptState
	s.step, s.frac = p.run.At(p.clock.at)
	if s.step > 0 {
		done := p.run.Steps[s.step-1]
		s.prefilled, s.decoded, s.kvTokens, s.blocks = done.Prefilled, done.Decoded, done.KVTokens, done.Blocks
	}
	if s.step < len(p.run.Steps) && s.frac > 0 {
		s.chunkFrom = s.prefilled
		s.chunkTo = s.prefilled + p.run.Steps[s.step].Prefill
	}
	return s
}

func (p *Prompt) draw(dst *ebiten.Image) {
	k, t, l := p.kit, p.kit.Theme, p.layout
	s := p.state()
	setup := p.setup

	promptTitle := fmt.Sprintf("Prompt: %s tokens", thousands(setup.Prompt))
	p.promptChips.layout(k, promptWords, setup.Prompt, chipBox(k, l.prompt))
	if p.promptChips.per > 1 {
		promptTitle += fmt.Sprintf(" (a chip is %d tokens)", p.promptChips.per)
	}
	k.Panel(dst, l.prompt.X, l.prompt.Y, l.prompt.W, l.prompt.H, k.Fit(promptTitle, l.prompt.W-k.Px(28), 22, true))
	answerTitle := fmt.Sprintf("Answer: %d of %d tokens", s.decoded, setup.Output)
	p.answerChips.layout(k, answerWords, setup.Output, chipBox(k, l.answer))
	if p.answerChips.per > 1 {
		answerTitle += fmt.Sprintf(" (a chip is %d tokens)", p.answerChips.per)
	}
	k.Panel(dst, l.answer.X, l.answer.Y, l.answer.W, l.answer.H, k.Fit(answerTitle, l.answer.W-k.Px(28), 22, true))

	grid := p.drawGPU(dst, s)

	// Prompt chips: waiting, cached (a ghost stays so the prompt still
	// reads), or flying into their KV block during the pass that
	// processes them.
	per := p.promptChips.per
	for i, r := range p.promptChips.rects {
		from := i * per
		word := promptWords[i%len(promptWords)]
		switch {
		case from < s.prefilled:
			p.chip(dst, r, word, t.Free, t.TextDim, t.Prefill)
		case from >= s.chunkFrom && from < s.chunkTo:
			p.chip(dst, r, word, t.Free, t.TextDim, t.Edge)
		default:
			p.chip(dst, r, word, t.Panel, t.Text, t.Queued)
		}
	}
	for i, r := range p.promptChips.rects {
		from := i * per
		if from < s.chunkFrom || from >= s.chunkTo {
			continue
		}
		cx, cy, _ := grid.cellCenter(from / p.run.Config.BlockSize)
		f := render.Smoothstep(s.frac)
		sc := 1 - 0.75*f
		x := lerp(r.X+r.W/2, cx, f) - r.W*sc/2
		y := lerp(r.Y+r.H/2, cy, f) - r.H*sc/2
		k.Rect(dst, x, y, r.W*sc, r.H*sc, t.Prefill)
		if f < 0.15 {
			k.Text(dst, promptWords[i%len(promptWords)], x+r.W*sc/2, y+k.Px(3), chipSize, false, t.Background, render.Center)
		}
	}

	// Answer chips appear as tokens come out; the newest is framed.
	per = p.answerChips.per
	for i, r := range p.answerChips.rects {
		if i*per >= s.decoded {
			break
		}
		frame := t.Decode
		if (i+1)*per >= s.decoded {
			frame = t.Text
		}
		p.chip(dst, r, answerWords[i%len(answerWords)], t.Decode, t.Background, frame)
	}

	p.drawTimeline(dst, s)
}

// chip draws a token chip.
func (p *Prompt) chip(dst *ebiten.Image, r Rect, word string, fill, ink, edge color.RGBA) {
	k := p.kit
	k.Rect(dst, r.X, r.Y, r.W, r.H, fill)
	k.Frame(dst, r.X, r.Y, r.W, r.H, max(1, k.Px(2)), edge)
	k.Text(dst, word, r.X+r.W/2, r.Y+k.Px(3), chipSize, false, ink, render.Center)
}

// kvGrid places the request's KV blocks in a box: one cell per block the
// whole run will need.
type kvGrid struct {
	x, y, cell float64
	cols       int
}

func (g kvGrid) cellCenter(b int) (x, y, size float64) {
	return g.x + (float64(b%g.cols)+0.5)*g.cell, g.y + (float64(b/g.cols)+0.5)*g.cell, g.cell
}

// layoutKVGrid fits n cells in a box, none larger than maxCell.
func layoutKVGrid(n int, box Rect, maxCell float64) kvGrid {
	cell, _ := render.FitCells(n, box.W, box.H)
	cell = min(cell, maxCell)
	return kvGrid{x: box.X, y: box.Y, cell: cell, cols: max(1, int(box.W/cell))}
}

// drawGPU draws the GPU: the phase, the pass in progress and why it takes
// as long as it does, VRAM to scale, and the request's KV blocks. It
// returns the block grid, where chips fly to.
func (p *Prompt) drawGPU(dst *ebiten.Image, s promptState) kvGrid {
	k, t, r := p.kit, p.kit.Theme, p.layout.gpu
	c := p.run.Config
	title := fmt.Sprintf("GPU: %s · %s · %s", c.GPU.Name, c.Model.Name, c.Precision.ID)
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(title, r.W-k.Px(28), 22, true))
	pad := k.Px(16)
	x, w := r.X+pad, r.W-2*pad
	y := top

	phase, pc := "Waiting to be sent", t.Queued
	var it *promptStepView
	if s.step < len(p.run.Steps) && s.frac > 0 {
		st := p.run.Steps[s.step]
		it = &promptStepView{dur: st.End - st.Start, bound: st.Bound, prefill: st.Prefill}
		if st.Prefill > 0 {
			phase, pc = fmt.Sprintf("Prefill: %s prompt tokens in one pass", thousands(st.Prefill)), t.Prefill
			if p.run.Passes > 1 {
				// Every step before this one was a prefill pass too.
				phase = fmt.Sprintf("Prefill: chunk %d of %d, %s tokens", s.step+1, p.run.Passes, thousands(st.Prefill))
			}
		} else {
			phase, pc = fmt.Sprintf("Decode: token %d of %d", s.decoded+1, p.setup.Output), t.Decode
		}
	} else if s.step >= len(p.run.Steps) {
		phase, pc = fmt.Sprintf("Done: %d tokens in %s", p.setup.Output, fmtDur(p.run.End)), t.Done
	} else if s.step > 0 {
		phase, pc = "Between passes", t.TextDim
	}
	k.Text(dst, k.Fit(phase, w, 30, true), x, y, 30, true, pc, render.Left)
	y += k.LineHeight(30) + k.Px(4)
	if it != nil {
		why := "compute-bound: the math outlasts the weight reads"
		switch {
		case it.bound == sim.BoundMemory && it.prefill > 0:
			why = "memory-bound: the weight reads outlast the math"
		case it.bound == sim.BoundMemory:
			why = fmt.Sprintf("memory-bound: %s of weights per token", sim.FormatBytes(c.WeightBytes()))
		}
		k.Text(dst, k.Fit(fmt.Sprintf("%s · %s", fmtDur(it.dur), why), w, 22, false), x, y, 22, false, t.Text, render.Left)
		y += k.LineHeight(22)
		k.Rect(dst, x, y, w, k.Px(8), t.Free)
		k.Rect(dst, x, y, w*s.frac, k.Px(8), pc)
	} else {
		y += k.LineHeight(22)
	}
	y += k.Px(22)

	// VRAM to scale: the weights dwarf one request's cache.
	kvBytes := int64(s.blocks) * c.BlockBytes()
	vram := c.VRAMBytes()
	k.Text(dst, k.Fit(fmt.Sprintf("VRAM %s: weights %s, this request's KV %s", sim.FormatBytes(vram),
		sim.FormatBytes(c.WeightBytes()), sim.FormatBytes(kvBytes)), w, 22, false), x, y, 22, false, t.Text, render.Left)
	y += k.LineHeight(22)
	barH := k.Px(22)
	k.Rect(dst, x, y, w, barH, t.Free)
	ww := w * float64(c.WeightBytes()) / float64(vram)
	k.Rect(dst, x, y, ww, barH, t.Weights)
	if kvBytes > 0 {
		k.Rect(dst, x+ww, y, max(k.Px(3), w*float64(kvBytes)/float64(vram)), barH, t.Prefill)
	}
	y += barH + k.Px(18)

	bs := c.BlockSize
	k.Text(dst, k.Fit(fmt.Sprintf("KV cache: %d blocks of %d tokens × %s = %s each", s.blocks, bs,
		sim.FormatKiB(c.KVBytesPerToken()), sim.FormatBytes(c.BlockBytes())), w, 22, false), x, y, 22, false, t.Text, render.Left)
	y += k.LineHeight(22) + k.Px(4)
	need := (p.setup.Prompt + p.setup.Output + bs - 1) / bs
	g := layoutKVGrid(need, Rect{x, y, w, r.Y + r.H - pad - y}, k.Px(40))
	inset := max(1, g.cell*0.12)
	for b := range need {
		cx, cy, size := g.cellCenter(b)
		bx, by := cx-size/2+inset/2, cy-size/2+inset/2
		side := size - inset
		if b >= s.blocks {
			k.Rect(dst, bx, by, side, side, t.Free)
			continue
		}
		// The last block fills as its tokens arrive.
		fill := min(1, float64(s.kvTokens-b*bs)/float64(bs))
		k.Rect(dst, bx, by, side, side, t.Free)
		k.Rect(dst, bx, by+side*(1-fill), side, side*fill, t.Prefill)
	}
	return g
}

type promptStepView struct {
	dur     time.Duration
	bound   sim.Bound
	prefill int
}

// drawTimeline draws the run on a time axis: a prefill bar cut into its
// chunks, a decode bar with a tick per token, the TTFT marker, the
// playhead.
func (p *Prompt) drawTimeline(dst *ebiten.Image, s promptState) {
	k, t, r := p.kit, p.kit.Theme, p.layout.timeline
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, "Timeline, simulated time")
	pad := k.Px(16)
	labelW := k.TextWidth("prefill", 22, true) + k.Px(24)
	x0, x1 := r.X+pad+labelW, r.X+r.W-pad-k.Px(40)
	span := p.run.End
	px := func(d time.Duration) float64 { return x0 + (x1-x0)*float64(d)/float64(max(span, 1)) }
	now := p.clock.at
	rowH := k.Px(34)
	y := top + k.Px(10)
	k.Text(dst, "prefill", r.X+pad, y+k.Px(3), 22, true, t.Prefill, render.Left)
	k.Text(dst, "decode", r.X+pad, y+rowH+k.Px(10)+k.Px(3), 22, true, t.Decode, render.Left)
	gap := max(1, k.Px(2))
	decoded := 0
	for _, st := range p.run.Steps {
		if st.Start >= now {
			break
		}
		out := st.Decoded > decoded // the pass put out a token
		decoded = st.Decoded
		a, b := px(st.Start), px(min(st.End, now))
		if st.Prefill > 0 {
			k.Rect(dst, a, y, max(1, b-a-gap), rowH, t.Prefill)
		} else {
			k.Rect(dst, a, y+rowH+k.Px(10), max(1, b-a), rowH, t.Decode)
		}
		if out && st.End <= now {
			// A tick where a token came out.
			k.Rect(dst, px(st.End)-gap/2, y+rowH+k.Px(6), gap, rowH+k.Px(8), t.Text)
		}
	}
	axisY := y + 2*rowH + k.Px(22)
	k.Rect(dst, x0, axisY, x1-x0, max(1, k.Px(1.5)), t.Edge)
	step := render.NiceStep(span)
	for at := time.Duration(0); at <= span; at += step {
		k.Rect(dst, px(at), axisY, max(1, k.Px(1.5)), k.Px(8), t.Edge)
		k.Text(dst, render.AxisLabel(at, step), px(at), axisY+k.Px(10), 20, false, t.TextDim, render.Center)
	}
	if now >= p.run.TTFT {
		tx := px(p.run.TTFT)
		k.Rect(dst, tx-k.Px(1.5), y-k.Px(6), k.Px(3), 2*rowH+k.Px(22), t.Warning)
		// In the prefill row, which is empty after the first token.
		label := "TTFT " + fmtDur(p.run.TTFT)
		k.Text(dst, label, tx+k.Px(10), y+(rowH-k.LineHeight(24))/2+k.Px(2), 24, true, t.Warning, render.Left)
	}
	k.Rect(dst, px(now)-k.Px(1.5), y-k.Px(10), k.Px(3), 2*rowH+k.Px(30), t.Text)

	k.Text(dst, k.Fit(p.summary, r.W-2*pad, 22, false), r.X+pad, axisY+k.Px(40), 22, false, t.Text, render.Left)
}

// summarize puts the run's sums in a line, for under the timeline.
func (p *Prompt) summarize() string {
	passes := "one pass"
	if p.run.Passes > 1 {
		passes = fmt.Sprintf("%d passes", p.run.Passes)
	}
	sum := fmt.Sprintf("prefill: %s in %s, and out comes the first token", fmtDur(p.run.TTFT), passes)
	if p.run.Decodes > 0 {
		sum += fmt.Sprintf(" · decode: %d more tokens at %s each · last token at %s", p.run.Decodes, fmtDur(p.run.TPOT), fmtDur(p.run.End))
	}
	return sum
}

func lerp(a, b, f float64) float64 { return a + (b-a)*f }

// thousands writes n with thousands separators: 16,384.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
