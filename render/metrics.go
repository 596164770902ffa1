package render

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// sparkLen is how many samples a sparkline keeps.
const sparkLen = 240

// Spark is a fixed ring of samples.
type Spark struct {
	v    [sparkLen]float64
	n, i int
}

// Add appends a sample.
func (s *Spark) Add(v float64) {
	s.v[s.i] = v
	s.i = (s.i + 1) % sparkLen
	s.n = min(s.n+1, sparkLen)
}

// Reset empties the ring.
func (s *Spark) Reset() { s.n, s.i = 0, 0 }

// Draw draws the samples as columns scaled to top (or to their maximum when
// top is 0).
func (s *Spark) Draw(dst *ebiten.Image, k *Kit, x, y, w, h, top float64, c color.RGBA) {
	k.Rect(dst, x, y, w, h, k.Theme.Free)
	if s.n == 0 {
		return
	}
	if top <= 0 {
		for j := range s.n {
			top = max(top, s.v[j])
		}
		top = max(top, 1)
	}
	bw := w / sparkLen
	for j := range s.n {
		v := s.v[(s.i-s.n+j+sparkLen)%sparkLen]
		bh := h * min(1, v/top)
		k.Rect(dst, x+float64(sparkLen-s.n+j)*bw, y+h-bh, bw+0.5, bh, c)
	}
}

// Metrics shows the run's numbers. The summary is recomputed a few times a
// second, not every frame: it walks every request.
type Metrics struct {
	res      sim.Result
	age      int
	VRAM     Spark
	Queue    Spark
	lastTick int
	version  int       // bumped whenever res is recomputed
	text     [6]string // the numbers, formatted when they change
	// Cells are where each figure (label and value) was last drawn, in
	// the order of MetricMeanings; a zero box was not drawn.
	Cells [6]Rect
}

// MetricMeanings say what each figure of the metrics panel counts, for the
// pointer's tooltip, in the order of Metrics.Cells.
var MetricMeanings = [6][2]string{
	{"Chat TTFT, p50 / p99", "Time to first token of chat requests: from arrival to the first answer token. Median and 99th percentile over chats that have one."},
	{"Batch TTFT, p50 / p99", "Time to first token of batch requests, over those that have one."},
	{"TBT p50 · E2E p50", "Time between tokens while decoding, and end-to-end time from arrival to the last token: medians over finished requests."},
	{"Throughput", "Answer tokens produced per simulated second, over the run so far."},
	{"Preemptions", "Requests pushed out of VRAM to make room: swapped (KV copied to CPU memory and back) or dropped (KV thrown away and prefilled again)."},
	{"SLO met of all · done", "Requests that finished within their class's TTFT and TBT targets, out of every request of the run; then how many are done."},
}

// Reset forgets the history (after a jump in time).
func (m *Metrics) Reset() {
	m.VRAM.Reset()
	m.Queue.Reset()
	m.age = 1 << 30
}

// Result is the run's summary as last computed (a few times a second),
// and Version how many times it has been: a view that words it redoes its
// words only when Version moves.
func (m *Metrics) Result() sim.Result { return m.res }
func (m *Metrics) Version() int       { return m.version }

// Refresh makes the next update recompute the summary.
func (m *Metrics) Refresh() { m.age = 1 << 30 }

// Update samples the engine after a frame.
func (m *Metrics) Update(e *sim.Engine) {
	if e.Tick() != m.lastTick {
		m.lastTick = e.Tick()
		if cap := e.CapacityBlocks(); cap > 0 {
			m.VRAM.Add(float64(e.HeldBlocks()) / float64(cap))
		}
		m.Queue.Add(float64(e.Waiting()))
	}
	m.age++
	if m.age >= 12 {
		m.age = 0
		m.res = e.Result()
		m.version++
		m.format(e)
	}
}

// format renders the numbers to text when they change, not every frame.
func (m *Metrics) format(e *sim.Engine) {
	s := m.res.Summary
	inter, batch := m.res.Classes[sim.Interactive], m.res.Classes[sim.Batch]
	cnt := e.Counters()
	m.text = [6]string{
		dist(inter.TTFT, inter.TTFT.P50, inter.TTFT.P99),
		dist(batch.TTFT, batch.TTFT.P50, batch.TTFT.P99),
		dist(s.E2E, s.TBT.P50, s.E2E.P50),
		fmt.Sprintf("%.0f tok/s", s.Throughput),
		fmt.Sprintf("%d swap · %d drop", cnt.Evictions, cnt.Drops),
		fmt.Sprintf("%d of %d · %d", s.SLOMet, s.Requests, s.Completed) + rejected(s),
	}
}

// Draw draws the metrics panel.
func (m *Metrics) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, x, y, w, h float64) {
	t := k.Theme
	top := k.Panel(dst, x, y, w, h, "Metrics")
	pad := k.Px(14)
	col := func(i int) float64 { return x + pad + float64(i)*(w-2*pad)/3 }
	cw := (w-2*pad)/3 - k.Px(8)
	m.Cells = [6]Rect{}
	row := func(i int, label, value string, c color.RGBA, line float64) {
		n := i
		if line > top {
			n += 3
		}
		m.Cells[n] = Rect{col(i), line, cw, k.LineHeight(18) + k.LineHeight(22)}
		k.Text(dst, k.Fit(label, cw, 18, false), col(i), line, 18, false, t.TextDim, Left)
		k.Text(dst, k.Fit(value, cw, 22, true), col(i), line+k.LineHeight(18), 22, true, c, Left)
	}
	rowH := k.LineHeight(18) + k.LineHeight(22) + k.Px(4)
	row(0, "TTFT p50 / p99 chat", m.text[0], t.Text, top)
	row(1, "TTFT p50 / p99 batch", m.text[1], t.Text, top)
	row(2, "TBT p50 · E2E p50", m.text[2], t.Text, top)
	line := top + rowH
	if line+rowH > y+h-pad/2 {
		return // room for one row only (large type on a small screen)
	}
	row(0, "throughput", m.text[3], t.Text, line)
	row(1, "preemptions", m.text[4], t.Text, line)
	row(2, "met SLO of all · done", m.text[5], t.Text, line)
	line += rowH + k.Px(4)
	sw := (w - 3*pad) / 2
	sh := y + h - line - k.LineHeight(18) - pad
	if sh < k.Px(12) {
		return // no room for the sparklines
	}
	cap := float64(max(1, e.CapacityBlocks()))
	by := e.HeldBlocksByClass()
	k.Text(dst, k.Fit(fmt.Sprintf("VRAM %.0f%%: chat %.0f%%, batch %.0f%%", 100*float64(e.HeldBlocks())/cap,
		100*float64(by[sim.Interactive])/cap, 100*float64(by[sim.Batch])/cap), sw, 18, false), x+pad, line, 18, false, t.TextDim, Left)
	k.Text(dst, fmt.Sprintf("queue %d", e.Waiting()), x+2*pad+sw, line, 18, false, t.TextDim, Left)
	m.VRAM.Draw(dst, k, x+pad, line+k.LineHeight(18), sw, sh, 1, t.Text)
	m.Queue.Draw(dst, k, x+2*pad+sw, line+k.LineHeight(18), sw, sh, 0, t.Queued)
}

// rejected notes requests that can never fit, if any.
func rejected(s sim.Summary) string {
	if s.Rejected == 0 {
		return ""
	}
	return fmt.Sprintf(" · %d rejected", s.Rejected)
}

// dist formats two figures of a distribution, or a dash while it has no
// values (every latency takes at least one iteration, so a known one is
// above zero).
func dist(d sim.Dist, a, b float64) string {
	if d.P50 <= 0 {
		return "–"
	}
	return Ms(a) + " / " + Ms(b)
}

// Ms formats milliseconds for the screen: ms below 10 s, seconds above, a
// dash for a latency that has not happened (NaN).
func Ms(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v >= 10_000:
		return fmt.Sprintf("%.1f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}
