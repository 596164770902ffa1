package scenes

import (
	"fmt"

	"inferplay/lesson"
	"inferplay/render"
)

// A chip is one token, always. A prompt too long for a chip per token
// shows the words that fit as chips and the rest as a strip of marks, every
// mark the same number of tokens, the scale written beside it; an answer
// too long for its panel scrolls, as a chat does.

// chipSize is the type size on token chips.
const chipSize = 20

// chipGeom is the size of chips and marks at the kit's scale.
type chipGeom struct {
	h, rowGap, pieceGap, wordGap, pad float64
	markW, markH, markGap             float64
}

func geomFor(k *render.Kit) chipGeom {
	return chipGeom{
		h: k.LineHeight(chipSize) + k.Px(6), rowGap: k.Px(6),
		// The pieces of a word touch; words stand apart, as in text.
		pieceGap: max(1, k.Px(2)), wordGap: k.Px(10), pad: k.Px(14),
		markW: k.Px(9), markH: k.Px(22), markGap: k.Px(4),
	}
}

// flow places a chip for each token, line after line from the top of the
// box, never breaking a word across lines unless it is wider than a line.
// With rows above 0 it stops before the first word that would need more
// rows, and returns only whole words. row[i] is chip i's line.
func flow(k *render.Kit, g chipGeom, tokens []lesson.Token, box Rect, rows int, rects []Rect, row []int) ([]Rect, []int) {
	rects, row = rects[:0], row[:0]
	x, r := box.X, 0
	for i := 0; i < len(tokens); {
		j := i + 1 // the word is tokens[i:j]
		for j < len(tokens) && !tokens[j].Word {
			j++
		}
		w := -g.pieceGap
		for _, t := range tokens[i:j] {
			w += k.TextWidth(t.Text, chipSize, false) + g.pad + g.pieceGap
		}
		if x > box.X && x+w > box.X+box.W {
			x, r = box.X, r+1
		}
		mark := len(rects)
		for _, t := range tokens[i:j] {
			cw := k.TextWidth(t.Text, chipSize, false) + g.pad
			if x > box.X && x+cw > box.X+box.W {
				x, r = box.X, r+1 // a word wider than the line
			}
			rects = append(rects, Rect{x, box.Y + float64(r)*(g.h+g.rowGap), cw, g.h})
			row = append(row, r)
			x += cw + g.pieceGap
		}
		if rows > 0 && r >= rows {
			return rects[:mark], row[:mark]
		}
		x += g.wordGap - g.pieceGap
		i = j
	}
	return rects, row
}

// rowsIn is how many lines of chips fit in a height.
func (g chipGeom) rowsIn(h float64) int { return int((h + g.rowGap) / (g.h + g.rowGap)) }

// promptTokens is a prompt laid out in a box: chips for the tokens that
// fit, then marks for the rest.
type promptTokens struct {
	key    tokensKey
	total  int
	tokens []lesson.Token // the chips' tokens: the prompt's first len(chips)
	chips  []Rect
	rows   []int
	// marks[j] stands for the tokens Mark(j) gives; per is how many each
	// holds (the last may hold fewer).
	marks []Rect
	per   int
	// label is where the strip's scale is written, above the marks.
	label Rect
}

// tokensKey is what a layout depends on: it is redone only when one of
// these changes.
type tokensKey struct {
	tokens        int
	box           Rect
	scale, mt, mp float64
}

func keyFor(k *render.Kit, n int, box Rect) tokensKey {
	return tokensKey{n, box, k.Scale, k.MinText, k.MinPx}
}

// chipCap bounds the tokens tried as chips: no panel holds more.
const chipCap = 400

func (p *promptTokens) layout(k *render.Kit, n int, box Rect) {
	key := keyFor(k, n, box)
	if key == p.key && p.tokens != nil {
		return
	}
	p.key, p.total = key, n
	g := geomFor(k)
	p.tokens = lesson.SampleTokens(lesson.PromptText, min(n, chipCap))
	p.marks, p.per, p.label = p.marks[:0], 0, Rect{}
	p.chips, p.rows = flow(k, g, p.tokens, box, g.rowsIn(box.H), p.chips, p.rows)
	if len(p.chips) == n {
		return
	}
	// The strip needs a line for its scale and one or two rows of marks;
	// the chips keep what is left, and the strip follows them.
	labelH := k.LineHeight(20) + k.Px(4)
	markRows := 2
	strip := func() float64 { return labelH + float64(markRows)*(g.markH+g.markGap) - g.markGap }
	if g.rowsIn(box.H-strip()-k.Px(10)) < 1 {
		markRows = 1
	}
	chipRows := max(0, g.rowsIn(box.H-strip()-k.Px(10)))
	p.chips, p.rows = flow(k, g, p.tokens, box, max(chipRows, 1), p.chips, p.rows)
	if chipRows == 0 {
		p.chips, p.rows = p.chips[:0], p.rows[:0]
	}
	p.tokens = p.tokens[:len(p.chips)]
	top := box.Y
	if len(p.chips) > 0 {
		top += float64(p.rows[len(p.rows)-1]+1)*(g.h+g.rowGap) + k.Px(4)
	}
	p.label = Rect{box.X, top, box.W, k.LineHeight(20)}
	perRow := max(1, int((box.W+g.markGap)/(g.markW+g.markGap)))
	rest := n - len(p.chips)
	p.per = 1
	for (rest+p.per-1)/p.per > perRow*markRows {
		p.per *= 2
	}
	for j := range (rest + p.per - 1) / p.per {
		from, to := p.Mark(j)
		w := g.markW * float64(to-from) / float64(p.per) // the last mark may be partial
		p.marks = append(p.marks, Rect{box.X + float64(j%perRow)*(g.markW+g.markGap),
			top + labelH + float64(j/perRow)*(g.markH+g.markGap), max(w, k.Px(3)), g.markH})
	}
}

// Mark is the tokens mark j stands for: [from, to).
func (p *promptTokens) Mark(j int) (from, to int) {
	from = len(p.chips) + j*p.per
	return from, min(from+p.per, p.total)
}

// stripLabel says what the marks are, at the widest wording that fits.
func (p *promptTokens) stripLabel(k *render.Kit) string {
	unit := "tokens"
	if p.per == 1 {
		unit = "token"
	}
	rest := thousands(p.total - len(p.chips))
	return fitFirst(k, p.label.W, 20, false,
		fmt.Sprintf("then %s more tokens · each mark = %d %s", rest, p.per, unit),
		fmt.Sprintf("+%s tokens · a mark = %d %s", rest, p.per, unit),
		fmt.Sprintf("a mark = %d %s", p.per, unit))
}

// answerTokens is an answer laid out for all its tokens, in as many lines
// as it takes; the panel shows the lines up to the newest token.
type answerTokens struct {
	key    tokensKey
	tokens []lesson.Token
	chips  []Rect
	rows   []int
	shown  int     // lines the panel holds
	line   float64 // the distance from one line to the next
}

func (a *answerTokens) layout(k *render.Kit, n int, box Rect) {
	key := keyFor(k, n, box)
	if key == a.key && a.tokens != nil {
		return
	}
	a.key = key
	g := geomFor(k)
	a.tokens = lesson.SampleTokens(lesson.AnswerText, n)
	a.chips, a.rows = flow(k, g, a.tokens, box, 0, a.chips, a.rows)
	a.shown, a.line = max(1, g.rowsIn(box.H)), g.h+g.rowGap
}

// scroll is the first line shown when out tokens are out, and how far the
// chips move up to show it.
func (a *answerTokens) scroll(out int) (first int, up float64) {
	if out <= 0 || out > len(a.rows) {
		return 0, 0
	}
	first = max(0, a.rows[out-1]-a.shown+1)
	return first, float64(first) * a.line
}

// fitFirst is the first wording that fits in width, or the last one cut
// to fit.
func fitFirst(k *render.Kit, width, size float64, bold bool, options ...string) string {
	for _, s := range options {
		if k.TextWidth(s, size, bold) <= width {
			return s
		}
	}
	return k.Fit(options[len(options)-1], width, size, bold)
}
