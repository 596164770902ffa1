package scenes

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

type promptLayout struct{ prompt, answer, gpu, timeline Rect }

// layoutPrompt gives the timeline the height its rows, axis and summary
// lines need, and the panels above it the rest.
func layoutPrompt(k *render.Kit, b Rect, summaryLines int) promptLayout {
	gap := k.Px(16)
	tlH := timelineHeight(k, summaryLines)
	topH := b.H - tlH - gap
	leftW := b.W * 0.48
	var l promptLayout
	l.prompt = Rect{b.X, b.Y, leftW, topH * 0.56}
	l.answer = Rect{b.X, b.Y + l.prompt.H + gap, leftW, topH - l.prompt.H - gap}
	l.gpu = Rect{b.X + leftW + gap, b.Y, b.W - leftW - gap, topH}
	l.timeline = Rect{b.X, b.Y + topH + gap, b.W, tlH}
	return l
}

// chipBox is where chips go inside a panel.
func chipBox(k *render.Kit, r Rect) Rect {
	pad := k.Px(16)
	top := r.Y + k.PanelTitle() + k.Px(4)
	return Rect{r.X + pad, top, r.W - 2*pad, r.Y + r.H - pad - top}
}

// promptState is the run at the clock: the step in progress (or, at a
// step's end, the step just done, so that a paused screen shows the pass
// it stopped after), and the request's counts.
type promptState struct {
	step      int
	frac      float64
	prefilled int // prompt tokens cached
	out       int // answer tokens out: the first from prefill, one per decode pass after it
	kvTokens  int
	blocks    int
	chunkFrom int // prompt tokens the step in progress processes:
	chunkTo   int // [chunkFrom, chunkTo)
	// shown is the step the GPU panel describes (-1: none yet), and
	// shownFrac how far through it is.
	shown     int
	shownFrac float64
}

func (p *Prompt) state() promptState {
	s := promptState{shown: -1}
	s.step, s.frac = p.run.At(p.clock.at)
	if s.step > 0 {
		done := p.run.Steps[s.step-1]
		s.prefilled, s.out, s.kvTokens, s.blocks = done.Prefilled, done.Decoded, done.KVTokens, done.Blocks
		s.shown, s.shownFrac = s.step-1, 1
	}
	if s.step < len(p.run.Steps) && s.frac > 0 {
		s.chunkFrom = s.prefilled
		s.chunkTo = s.prefilled + p.run.Steps[s.step].Prefill
		s.shown, s.shownFrac = s.step, s.frac
	}
	return s
}

// answerTitle counts the answer's tokens out; phase counts the same.
func (p *Prompt) answerTitle(s promptState) string {
	title := fmt.Sprintf("Answer: %d of %d tokens", s.out, p.setup.Output)
	if first, _ := p.answerChips.scroll(s.out); first > 0 {
		title += ", the latest lines"
	}
	return title
}

// phase says what the GPU is doing, and in what colour.
func (p *Prompt) phase(s promptState) (string, color.RGBA) {
	t := p.kit.Theme
	out := fmt.Sprintf("%d of %d tokens out", s.out, p.setup.Output)
	switch {
	case s.step >= len(p.run.Steps):
		return fmt.Sprintf("Done: %s in %s", out, fmtDur(p.run.End)), t.Done
	case s.shown < 0:
		return "Waiting to be sent", t.Queued
	}
	st := p.run.Steps[s.shown]
	if st.Prefill == 0 {
		return "Decode: " + out, t.Decode
	}
	if s.shownFrac >= 1 && s.out > 0 {
		return "Prefill done: " + out, t.Prefill
	}
	if p.run.Passes > 1 {
		// Every step before this one was a prefill pass too.
		return fmt.Sprintf("Prefill: chunk %d of %d, %s tokens", s.shown+1, p.run.Passes, thousands(st.Prefill)), t.Prefill
	}
	return fmt.Sprintf("Prefill: %s prompt tokens in one pass", thousands(st.Prefill)), t.Prefill
}

func (p *Prompt) draw(dst *ebiten.Image) {
	k := p.kit
	p.layout = layoutPrompt(k, p.chrome.Body, p.summaryLines())
	l := p.layout
	s := p.state()

	// Chips first: the answer's title says whether its lines scrolled.
	p.promptChips.layout(k, p.setup.Prompt, chipBox(k, l.prompt))
	p.answerChips.layout(k, p.setup.Output, chipBox(k, l.answer))

	k.Panel(dst, l.prompt.X, l.prompt.Y, l.prompt.W, l.prompt.H,
		k.Fit(fmt.Sprintf("Prompt: %s tokens", thousands(p.setup.Prompt)), l.prompt.W-k.Px(28), 22, true))
	p.drawPromptTokens(dst, s)
	k.Panel(dst, l.answer.X, l.answer.Y, l.answer.W, l.answer.H, k.Fit(p.answerTitle(s), l.answer.W-k.Px(28), 22, true))
	p.drawAnswer(dst, s)

	p.grid = p.drawGPU(dst, s)
	p.drawTimeline(dst, s)
	p.drawFlights(dst, s, p.grid)
	p.spotlight.Draw(dst, k, p.chrome.Body, p.callouts())
}

// drawPromptTokens draws the prompt's chips and marks: waiting, in the pass
// in progress, or cached (a ghost stays, so that the prompt still reads).
func (p *Prompt) drawPromptTokens(dst *ebiten.Image, s promptState) {
	k, t, pt := p.kit, p.kit.Theme, &p.promptChips
	look := func(from, to int) (fill, ink, edge color.RGBA) {
		switch {
		case to <= s.prefilled:
			return t.Free, t.TextDim, t.Prefill
		case from < s.chunkTo && to > s.chunkFrom:
			return t.Free, t.TextDim, t.Edge
		}
		return t.Panel, t.Text, t.Queued
	}
	for i, r := range pt.chips {
		fill, ink, edge := look(i, i+1)
		p.chip(dst, r, pt.tokens[i].Text, fill, ink, edge)
	}
	if len(pt.marks) == 0 {
		return
	}
	k.Text(dst, pt.stripLabel(k), pt.label.X, pt.label.Y, 20, false, t.TextDim, render.Left)
	// A mark is too narrow for a frame and a fill: it is the colour its
	// chip's frame would be.
	for j, r := range pt.marks {
		_, _, edge := look(pt.Mark(j))
		k.Rect(dst, r.X, r.Y, r.W, r.H, edge)
	}
}

// drawAnswer draws the answer's tokens as they come out, the newest
// framed; when they fill the panel the lines scroll up.
func (p *Prompt) drawAnswer(dst *ebiten.Image, s promptState) {
	t, a := p.kit.Theme, &p.answerChips
	first, up := a.scroll(s.out)
	for i := range min(s.out, len(a.chips)) {
		if a.rows[i] < first {
			continue
		}
		r := a.chips[i]
		r.Y -= up
		frame := t.Decode
		if i == s.out-1 {
			frame = t.Text
		}
		p.chip(dst, r, a.tokens[i].Text, t.Decode, t.Background, frame)
	}
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
	cols, n    int
}

func (g kvGrid) cellCenter(b int) (x, y, size float64) {
	return g.x + (float64(b%g.cols)+0.5)*g.cell, g.y + (float64(b/g.cols)+0.5)*g.cell, g.cell
}

// box is the area the grid's cells take.
func (g kvGrid) box() Rect {
	rows := (g.n + g.cols - 1) / g.cols
	return Rect{g.x, g.y, float64(min(g.n, g.cols)) * g.cell, float64(rows) * g.cell}
}

// layoutKVGrid fits n cells in a box, none larger than maxCell.
func layoutKVGrid(n int, box Rect, maxCell float64) kvGrid {
	cell, _ := render.FitCells(n, box.W, box.H)
	cell = min(cell, maxCell)
	return kvGrid{x: box.X, y: box.Y, cell: cell, cols: max(1, int(box.W/cell)), n: n}
}

// drawGPU draws the GPU: the phase, the pass shown and why it takes as
// long as it does, VRAM to scale, and the request's KV blocks. It returns
// the block grid, where chips fly to.
func (p *Prompt) drawGPU(dst *ebiten.Image, s promptState) kvGrid {
	k, t, r := p.kit, p.kit.Theme, p.layout.gpu
	c := p.run.Config
	title := fitFirst(k, r.W-k.Px(28), 22, true,
		fmt.Sprintf("GPU: %s · %s · %s", c.GPU.Name, c.Model.Name, c.Precision.ID),
		fmt.Sprintf("%s · %s · %s", c.GPU.Name, c.Model.Name, c.Precision.ID))
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, title)
	pad := k.Px(16)
	x, w := r.X+pad, r.W-2*pad
	y := top

	phase, pc := p.phase(s)
	k.Text(dst, k.Fit(phase, w, 30, true), x, y, 30, true, pc, render.Left)
	y += k.LineHeight(30) + k.Px(4)
	if s.shown >= 0 {
		st := p.run.Steps[s.shown]
		dur := fmtDur(st.End - st.Start)
		var why []string
		switch {
		case st.Bound == sim.BoundMemory && st.Prefill > 0:
			why = []string{dur + " · memory-bound: the weight reads outlast the math", dur + " · memory-bound"}
		case st.Bound == sim.BoundMemory:
			why = []string{fmt.Sprintf("%s · memory-bound: %s of weights per token", dur, sim.FormatBytes(c.WeightBytes())),
				fmt.Sprintf("%s · memory-bound: %s read", dur, sim.FormatBytes(c.WeightBytes())), dur + " · memory-bound"}
		default:
			why = []string{dur + " · compute-bound: the math outlasts the weight reads", dur + " · compute-bound"}
		}
		k.Text(dst, fitFirst(k, w, 22, false, why...), x, y, 22, false, t.Text, render.Left)
		y += k.LineHeight(22)
		k.Rect(dst, x, y, w, k.Px(8), t.Free)
		k.Rect(dst, x, y, w*s.shownFrac, k.Px(8), pc)
	} else {
		y += k.LineHeight(22)
	}
	y += k.Px(22)

	// VRAM to scale: the weights dwarf one request's cache.
	kvBytes := int64(s.blocks) * c.BlockBytes()
	vram, weights, kv := sim.FormatBytes(c.VRAMBytes()), sim.FormatBytes(c.WeightBytes()), sim.FormatBytes(kvBytes)
	k.Text(dst, fitFirst(k, w, 22, false,
		fmt.Sprintf("VRAM %s: weights %s, this request's KV %s", vram, weights, kv),
		fmt.Sprintf("VRAM %s: weights %s, KV %s", vram, weights, kv)), x, y, 22, false, t.Text, render.Left)
	y += k.LineHeight(22)
	barH := k.Px(22)
	k.Rect(dst, x, y, w, barH, t.Free)
	ww := w * float64(c.WeightBytes()) / float64(c.VRAMBytes())
	k.Rect(dst, x, y, ww, barH, t.Weights)
	if kvBytes > 0 {
		k.Rect(dst, x+ww, y, max(k.Px(3), w*float64(kvBytes)/float64(c.VRAMBytes())), barH, t.Prefill)
	}
	y += barH + k.Px(18)

	bs := c.BlockSize
	per, each := sim.FormatKiB(c.KVBytesPerToken()), sim.FormatBytes(c.BlockBytes())
	p.kvLine = fitFirst(k, w, 22, false,
		fmt.Sprintf("KV cache: %d blocks of %d tokens × %s = %s each", s.blocks, bs, per, each),
		fmt.Sprintf("KV cache: %d blocks of %d tokens, %s each", s.blocks, bs, each),
		fmt.Sprintf("KV: %d blocks of %d tokens", s.blocks, bs))
	k.Text(dst, p.kvLine, x, y, 22, false, t.Text, render.Left)
	kvTop := y
	y += k.LineHeight(22) + k.Px(4)
	need := (p.setup.Prompt + p.setup.Output + bs - 1) / bs
	g := layoutKVGrid(need, Rect{x, y, w, r.Y + r.H - pad - y}, k.Px(40))
	inset := max(1, g.cell*0.12)
	for b := range need {
		cx, cy, size := g.cellCenter(b)
		bx, by := cx-size/2+inset/2, cy-size/2+inset/2
		side := size - inset
		k.Rect(dst, bx, by, side, side, t.Free)
		if b >= s.blocks {
			continue
		}
		// The last block fills as its tokens arrive.
		fill := min(1, float64(s.kvTokens-b*bs)/float64(bs))
		k.Rect(dst, bx, by+side*(1-fill), side, side*fill, t.Prefill)
	}
	gb := g.box()
	p.spots.kv = Rect{x, kvTop, max(gb.W, k.TextWidth(p.kvLine, 22, false)), gb.Y + gb.H - kvTop}
	return g
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
