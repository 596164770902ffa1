package scenes

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
)

// promptView is a screen the prompt scene is tested on: its size, and
// whether presenter mode's type (and no side panels) applies.
type promptView struct {
	w, h      float64
	presenter bool
}

var promptViews = []promptView{{1024, 768, false}, {1024, 768, true}, {1280, 720, true}, {1920, 1080, false},
	{1920, 1080, true}, {3840, 2160, false}}

func (v promptView) String() string { return fmt.Sprintf("%gx%g presenter=%v", v.w, v.h, v.presenter) }

// newPromptAt makes the scene and lays it out as the app would on the
// view: beside the side panels, or alone with presenter type.
func newPromptAt(t *testing.T, v promptView) (*Prompt, *render.Kit) {
	t.Helper()
	kit, err := render.NewKit(render.Dark())
	if err != nil {
		t.Fatal(err)
	}
	area := Rect{W: v.w, H: v.h}
	kit.MinText = 18
	if v.presenter {
		kit.MinText, kit.MinPx, kit.Thick = 24, 20, 2
	} else {
		panels := 320 * v.h / 1080
		area = Rect{X: panels, W: v.w - panels, H: v.h}
	}
	kit.Scale = ScaleFor(area)
	p := NewPrompt(kit, 1)
	p.Layout(area)
	return p, kit
}

// promptSetups are the beats' setups and the sliders' corners.
func promptSetups() []lesson.PromptSetup {
	var out []lesson.PromptSetup
	for _, b := range promptBeats {
		out = append(out, b.setup)
	}
	for _, n := range []int{lesson.MinPrompt, 40, 100, 2047, lesson.MaxPrompt} {
		for _, o := range []int{lesson.MinOutput, 7, lesson.MaxOutput} {
			out = append(out, lesson.PromptSetup{Prompt: n, Output: o, Model: "llama3-8b", GPU: "h100"})
		}
	}
	return out
}

// drawPrompt draws the scene at a time, recording its text.
func drawPrompt(p *Prompt, kit *render.Kit, img *ebiten.Image, at time.Duration) render.Recording {
	p.clock.at = at
	var rec render.Recording
	kit.Record(&rec)
	p.Draw(img)
	kit.Record(nil)
	return rec
}

// A chip is one token, always: the prompt's chips are its first tokens one
// by one and its marks, each of the scale written beside them, cover the
// rest exactly; the answer has a chip per token, in every view.
func TestPromptChipIsOneToken(t *testing.T) {
	img := ebiten.NewImage(3840, 2160)
	defer img.Deallocate()
	for _, v := range promptViews {
		p, kit := newPromptAt(t, v)
		for _, s := range promptSetups() {
			name := fmt.Sprintf("%v %+v", v, s)
			p.SetSetup(s)
			rec := drawPrompt(p, kit, img, 0)
			pt := &p.promptChips
			want := lesson.SampleTokens(lesson.PromptText, len(pt.chips))
			if len(pt.tokens) != len(pt.chips) {
				t.Fatalf("%s: %d chips for %d tokens", name, len(pt.chips), len(pt.tokens))
			}
			for i, tok := range pt.tokens {
				if tok != want[i] {
					t.Fatalf("%s: chip %d is %q, want %q", name, i, tok.Text, want[i].Text)
				}
			}
			covered := len(pt.chips)
			for j := range pt.marks {
				from, to := pt.Mark(j)
				if from != covered || to <= from || to-from > pt.per {
					t.Fatalf("%s: mark %d covers [%d, %d) after %d, scale %d", name, j, from, to, covered, pt.per)
				}
				covered = to
			}
			if covered != s.Prompt {
				t.Errorf("%s: chips and marks cover %d tokens", name, covered)
			}
			if len(pt.marks) > 0 {
				if pt.per&(pt.per-1) != 0 {
					t.Errorf("%s: a mark is %d tokens", name, pt.per)
				}
				label := regexp.MustCompile(fmt.Sprintf(`= %d tokens?\b`, pt.per))
				if !drew(rec, label.MatchString) {
					t.Errorf("%s: no label says a mark is %d tokens", name, pt.per)
				}
			}
			if s.Prompt <= 8 && len(pt.marks) > 0 {
				t.Errorf("%s: %d tokens do not all get chips", name, s.Prompt)
			}
			box := chipBox(kit, p.layout.prompt)
			for _, r := range append(append([]Rect{}, pt.chips...), pt.marks...) {
				if !inside(r, box) {
					t.Fatalf("%s: chip or mark %+v outside %+v", name, r, box)
				}
			}
			a := &p.answerChips
			if len(a.chips) != s.Output || len(a.tokens) != s.Output {
				t.Errorf("%s: %d answer chips for %d tokens", name, len(a.chips), s.Output)
			}
		}
	}
}

// The answer's lines scroll so that the newest token is always in view,
// inside its panel.
func TestPromptAnswerScrolls(t *testing.T) {
	for _, v := range promptViews {
		p, kit := newPromptAt(t, v)
		p.SetSetup(lesson.PromptSetup{Prompt: 100, Output: lesson.MaxOutput, Model: "llama3-8b", GPU: "h100"})
		p.layout = layoutPrompt(kit, p.chrome.Body, p.summaryLines())
		box := chipBox(kit, p.layout.answer)
		a := &p.answerChips
		a.layout(kit, p.setup.Output, box)
		for out := 1; out <= p.setup.Output; out++ {
			_, up := a.scroll(out)
			r := a.chips[out-1]
			r.Y -= up
			if !inside(r, box) {
				t.Fatalf("%v: token %d at %+v, outside %+v", v, out, r, box)
			}
		}
	}
}

var (
	answerCount = regexp.MustCompile(`^Answer: (\d+) of (\d+) tokens`)
	phaseCount  = regexp.MustCompile(`(\d+) of (\d+) tokens out`)
)

// The GPU panel and the answer count the same thing, tokens out so far,
// at every moment: the first comes out of prefill, one more of each
// decode pass, all of them at the end.
func TestPromptCountersAgree(t *testing.T) {
	p, _ := newPromptAt(t, promptViews[3])
	for b := range promptBeats {
		p.SetBeat(b)
		run := &p.run
		var times []time.Duration
		for _, st := range run.Steps {
			times = append(times, st.Start, st.Start+(st.End-st.Start)/3, st.End-1, st.End)
		}
		last := 0
		for _, at := range times {
			p.clock.at = at
			s := p.state()
			am := answerCount.FindStringSubmatch(p.answerTitle(s))
			phase, _ := p.phase(s)
			if am == nil {
				t.Fatalf("beat %d at %v: answer title %q", b+1, at, p.answerTitle(s))
			}
			out, _ := strconv.Atoi(am[1])
			if pm := phaseCount.FindStringSubmatch(phase); pm != nil {
				if pm[1] != am[1] || pm[2] != am[2] {
					t.Errorf("beat %d at %v: %q but %q", b+1, at, phase, p.answerTitle(s))
				}
			} else if out != 0 {
				t.Errorf("beat %d at %v: %q with %d tokens out", b+1, at, phase, out)
			}
			if out < last || out > last+1 {
				t.Errorf("beat %d at %v: %d tokens out after %d", b+1, at, out, last)
			}
			last = out
			if (at >= run.TTFT) != (out >= 1) {
				t.Errorf("beat %d at %v: %d tokens out, TTFT %v", b+1, at, out, run.TTFT)
			}
		}
		if last != p.setup.Output {
			t.Errorf("beat %d: %d of %d tokens out at the end", b+1, last, p.setup.Output)
		}
	}
}

// The dots a prefill pass sends to the KV cache pass over no text but the
// prompt panel's own, all along their way.
func TestPromptFlightsMissOtherText(t *testing.T) {
	img := ebiten.NewImage(3840, 2160)
	defer img.Deallocate()
	for _, v := range promptViews {
		p, kit := newPromptAt(t, v)
		for _, b := range []int{1, 3, 4} {
			p.SetBeat(b)
			st := p.run.Steps[0]
			rec := drawPrompt(p, kit, img, (st.Start+st.End)/2)
			s := p.state()
			var others []Rect
			for _, tx := range rec.Texts {
				if !inside(Rect(tx.Box), p.layout.prompt) {
					others = append(others, Rect(tx.Box))
				}
			}
			size := kit.Px(10)
			grid := p.grid
			check := func(r Rect, from, to int) {
				cx, cy, _ := grid.cellCenter((from + to - 1) / 2 / p.run.Config.BlockSize)
				for i := range 51 {
					x, y := p.flightPath(r, cx, cy, float64(i)/50)
					dot := Rect{x - size/2, y - size/2, size, size}
					for _, o := range others {
						if overlaps(dot, o) {
							t.Fatalf("%v beat %d: a dot from token %d at %+v crosses text at %+v", v, b+1, from, dot, o)
						}
					}
				}
			}
			for i, r := range p.promptChips.chips {
				if i >= s.chunkFrom && i < s.chunkTo {
					check(r, i, i+1)
				}
			}
			for j, r := range p.promptChips.marks {
				if from, to := p.promptChips.Mark(j); from >= s.chunkFrom && from < s.chunkTo {
					check(r, from, to)
				}
			}
		}
	}
}

func drew(rec render.Recording, match func(string) bool) bool {
	for _, tx := range rec.Texts {
		if match(tx.S) {
			return true
		}
	}
	return false
}

func inside(r, box Rect) bool {
	const slack = 0.5
	return r.X >= box.X-slack && r.Y >= box.Y-slack && r.X+r.W <= box.X+box.W+slack && r.Y+r.H <= box.Y+box.H+slack
}

func overlaps(a, b Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// At every beat's moments (its start, mid-prefill, the first token,
// mid-decode, the end, and where the beat stops, under its spotlight) no
// line of the scene's text overlaps another or leaves the box it starts
// in, in every view.
func TestPromptTextFitsAtEveryMoment(t *testing.T) {
	img := ebiten.NewImage(3840, 2160)
	defer img.Deallocate()
	for _, v := range promptViews {
		p, kit := newPromptAt(t, v)
		for b := range promptBeats {
			p.SetBeat(b)
			r := &p.run
			first := r.Steps[0]
			moments := []time.Duration{0, (first.Start + first.End) / 2, r.TTFT, (r.TTFT + r.End) / 2, r.End}
			for _, at := range moments {
				p.clock.paused = true
				checkPromptText(t, fmt.Sprintf("%v beat %d at %v", v, b+1, at), drawPrompt(p, kit, img, at))
			}
			p.SetBeat(b)
			for range 2000 {
				p.Update(time.Second / 60)
			}
			if !p.atMoment() {
				t.Fatalf("%v beat %d: not at its moment after playing", v, b+1)
			}
			checkPromptText(t, fmt.Sprintf("%v beat %d at its moment", v, b+1), drawPrompt(p, kit, img, p.clock.at))
		}
	}
}

func checkPromptText(t *testing.T, name string, rec render.Recording) {
	t.Helper()
	hidden := func(i int) bool {
		for _, c := range rec.Covers {
			if i < c.After && overlaps(Rect(rec.Texts[i].Box), Rect(c.Box)) {
				return true
			}
		}
		return false
	}
	for i, tx := range rec.Texts {
		if hidden(i) {
			continue
		}
		b := Rect(tx.Box)
		var in *render.Rect
		for j := range rec.Boxes {
			r := &rec.Boxes[j]
			if r.Contains(b.X+1, b.Y+1) && (in == nil || r.W*r.H < in.W*in.H) {
				in = r
			}
		}
		if in != nil && !inside(Rect{b.X + 1, b.Y + 1, b.W - 2, b.H - 2}, Rect(*in)) {
			t.Errorf("%s: %q at %+v leaves its box %+v", name, tx.S, b, *in)
		}
		for j, o := range rec.Texts[i+1:] {
			ob := Rect(o.Box)
			if !hidden(i+1+j) && overlaps(Rect{b.X + 1, b.Y + 1, b.W - 2, b.H - 2}, ob) {
				t.Errorf("%s: %q at %+v overlaps %q at %+v", name, tx.S, b, o.S, ob)
			}
		}
	}
}
