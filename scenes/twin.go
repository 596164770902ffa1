package scenes

import (
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// twinRuns is what the batching and chunking scenes share: two runs of one
// workload, computed ahead, played on one clock over one time axis in two
// charts stacked above a legend, with three beats (wait at the start, play
// both, show both whole). A scene embeds it and draws its own rows.
type twinRuns struct {
	kit   *render.Kit
	span  time.Duration // the longer run: both charts' time axis
	clock slowClock
	err   string
	beat  int

	chrome    Chrome
	charts    [2]Rect // where each run's chart is
	legendBox Rect
	legendAt  []Rect
	spot      []Callout
	spotlight Spotlight
}

// twinBeats: the setup at the start, both runs playing, both whole.
var twinBeats = []struct{ play, atEnd bool }{{false, false}, {true, false}, {false, true}}

// twinWall is how long the longer run plays at 1×.
const twinWall = 10 * time.Second

// Type sizes of the twin charts, at 1920×1080.
const (
	twinText  = 22
	twinTitle = 30
	twinAxis  = 20
)

// startClock paces the clock to the longer run, with a mark at every
// iteration's end of either, and enters the first beat.
func (t *twinRuns) startClock(ends ...[]time.Duration) {
	var marks []time.Duration
	for _, e := range ends {
		marks = append(marks, e...)
		if len(e) > 0 {
			t.span = max(t.span, e[len(e)-1])
		}
	}
	slices.Sort(marks)
	t.clock.reset(t.span, slices.Compact(marks), twinWall)
	t.SetBeat(0)
}

func (t *twinRuns) Beat() int { return t.beat }

// SetBeat enters a beat from scratch.
func (t *twinRuns) SetBeat(i int) {
	t.beat = max(0, min(i, len(twinBeats)-1))
	b := twinBeats[t.beat]
	t.clock.at, t.clock.stop = 0, 0
	if b.atEnd {
		t.clock.at = t.span
	}
	t.clock.paused = !b.play
}

func (t *twinRuns) Transport() Transport {
	if t.err != "" {
		return nil
	}
	return &t.clock
}

func (t *twinRuns) Update(dt time.Duration) { t.clock.advance(dt) }

// layoutTwin puts the two charts one above the other and the legend under
// them.
func (t *twinRuns) layoutTwin(s Scene, area Rect, legend []legendEntry) {
	k := t.kit
	t.chrome = layoutChrome(k, s, area)
	body := t.chrome.Body
	legendH := legendHeight(k, body.W, legend)
	gap := k.Px(16)
	h := (body.H - legendH - 2*gap) / 2
	for i := range t.charts {
		t.charts[i] = Rect{body.X, body.Y + float64(i)*(h+gap), body.W, h}
	}
	t.legendBox = Rect{body.X, body.Y + 2*(h+gap), body.W, legendH}
}

// chartGeometry places a twin chart's parts: the title line, the rows,
// the time axis.
type chartGeometry struct {
	titleY, top, rowH, x0, x1, axisY float64
	axis                             msAxis
}

// geometry lays out a chart of rows rows, labelled in a column as wide as
// widest, each at most maxRow tall.
func (t *twinRuns) geometry(r Rect, rows int, widest string, maxRow float64) chartGeometry {
	k := t.kit
	pad := k.Px(14)
	var g chartGeometry
	g.titleY = r.Y + k.Px(6)
	axisH := k.Px(8) + k.LineHeight(twinAxis)
	// Room for a callout's tag between the title and the rows, which would
	// otherwise cover the title, unless the rows need it to keep their
	// labels apart.
	labelH := k.LineHeight(twinText)
	below := g.titleY + k.LineHeight(twinTitle)
	avail := r.Y + r.H - pad - axisH - below
	tagGap := k.LineHeight(22) + k.Px(16)
	if avail-tagGap < float64(rows)*labelH {
		tagGap = k.Px(4)
	}
	g.top = below + tagGap
	g.rowH = max(labelH, min(k.Px(maxRow), (avail-tagGap)/float64(rows)))
	g.x0 = r.X + pad + k.TextWidth(widest, twinText, false) + k.Px(16)
	// The last tick's label is centred on the axis's end: room for half.
	g.x1 = r.X + r.W - pad - k.TextWidth("0000 ms", twinAxis, false)/2
	g.axisY = g.top + float64(rows)*g.rowH + k.Px(4)
	g.axis = msAxisFor(k, t.span, g.x1-g.x0, twinAxis, true)
	return g
}

// x places a time on the chart's axis.
func (g chartGeometry) x(at time.Duration) float64 {
	return g.x0 + (g.x1-g.x0)*float64(at)/float64(g.axis.end)
}

// drawFrame draws a chart's panel, its title and, on the right of the
// title, its line of numbers.
func (t *twinRuns) drawFrame(dst *ebiten.Image, r Rect, g chartGeometry, title, line string) {
	k := t.kit
	th := k.Theme
	k.Rect(dst, r.X, r.Y, r.W, r.H, th.Panel)
	k.Text(dst, title, r.X+k.Px(14), g.titleY, twinTitle, true, th.Text, render.Left)
	k.Text(dst, k.Fit(line, r.W-k.Px(52)-k.TextWidth(title, twinTitle, true), twinText, false),
		r.X+r.W-k.Px(14), g.titleY+(k.LineHeight(twinTitle)-k.LineHeight(twinText))/2, twinText, false, th.TextDim, render.Right)
}

// drawAxis draws the time axis under a chart's rows and, while the clock
// runs, the line at its time.
func (t *twinRuns) drawAxis(dst *ebiten.Image, g chartGeometry) {
	k := t.kit
	th := k.Theme
	for at := time.Duration(0); at <= g.axis.end; at += g.axis.step {
		x := g.x(at)
		k.Rect(dst, x, g.axisY, max(1, k.Px(2)), k.Px(6), th.TextDim)
		k.Text(dst, msLabel(at), x, g.axisY+k.Px(8), twinAxis, false, th.TextDim, render.Center)
	}
	if now := t.clock.at; now > 0 && now < t.span {
		k.Rect(dst, g.x(now), g.top-k.Px(4), max(2, k.Px(3)), g.axisY-g.top+k.Px(4), th.Accent)
	}
}

// finish draws the legend and the beat's spotlight.
func (t *twinRuns) finish(dst *ebiten.Image, legend []legendEntry, callouts []Callout) {
	t.legendAt = drawLegend(dst, t.kit, t.legendBox, legend, t.legendAt)
	t.spot = callouts
	t.spotlight.Draw(dst, t.kit, t.chrome.Body, t.spot)
}

// lineBox is where chart i's line of numbers is.
func (t *twinRuns) lineBox(i int, g chartGeometry, line string) Rect {
	k := t.kit
	r := t.charts[i]
	w := k.TextWidth(line, twinText, false)
	return Rect{r.X + r.W - k.Px(14) - w, g.titleY, w, k.LineHeight(twinTitle)}
}

// Callouts are what the beat points at, for tests.
func (t *twinRuns) Callouts() []Callout { return t.spot }

// Charts are where the two runs' charts are drawn, for tests.
func (t *twinRuns) Charts() [2]Rect { return t.charts }
