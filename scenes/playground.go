// Package scenes holds what the visual simulator shows: the playground,
// where every element is drawn from a running engine.
package scenes

import (
	"fmt"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// Rect is a screen rectangle.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether a point lies inside.
func (r Rect) Contains(x, y float64) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }

// Run is what the playground draws: an engine, and where its playback
// stands. A player is one; so is each half of a duel.
type Run interface {
	Engine() *sim.Engine
	Paused() bool
	Finished() bool
	SpeedLabel() string
}

// Playground is the full simulator view: lanes of requests, VRAM to scale,
// the host link and CPU memory, a timeline, metrics and a caption.
type Playground struct {
	kit      *render.Kit
	sprites  *render.Sprites
	mem      render.Memory
	gantt    render.Gantt
	metrics  render.Metrics
	caption  render.Caption
	selected int // the inspected request, or -1
	// hovered is the request under the pointer, or -1; tip what the
	// tooltip says of what is under it, at (tipX, tipY).
	hovered    int
	tip        Tip
	tipX, tipY float64

	completed []int // requests completed in the last frame (reused)
	layout    layout
	legend    []legendEntry
	legendAt  []Rect // where each legend entry was last drawn
	// Heading names the view in its top bar ("Inference Playground");
	// a duel's halves name their side. A half draws no legend: the duel
	// draws one under both.
	Heading string
	half    bool
	// vramOnly draws VRAM alone in the memory column: a scene about what
	// VRAM holds (a duel's halves, DuelView.VRAMOnly).
	vramOnly bool
	// lean leaves a half's figures, caption and timeline out: a scene
	// about KV moving between the memories (DuelView.MemoryFirst).
	lean  bool
	clock []string // the top bar's second line, in parts (reused)
}

type layout struct {
	top, lanes, gantt, vram, link, cpu, metrics, caption, legend, right Rect
}

// NewPlayground builds the view.
func NewPlayground(kit *render.Kit) *Playground {
	return &Playground{kit: kit, sprites: render.NewSprites(), selected: -1, hovered: -1, Heading: "Inference Playground"}
}

// DrawTip draws the pointer's tooltip, if it points at something: last,
// over everything (a spotlight included).
func (p *Playground) DrawTip(dst *ebiten.Image) {
	drawTip(dst, p.kit, p.Area(), p.tipX, p.tipY, &p.tip)
}

// Reset forgets every animation and history (after a jump in time or a new
// run).
func (p *Playground) Reset() {
	p.hovered, p.tip.Title = -1, ""
	p.sprites.Reset()
	p.mem.Reset()
	p.gantt.Reset()
	p.metrics.Reset()
	p.caption.Reset()
}

// Settle places every sprite where it belongs at the next update, without
// gliding (after a jump, or before a screenshot).
func (p *Playground) Settle() {
	p.sprites.Settle()
	p.mem.Settle()
	p.metrics.Refresh()
}

// VRAMGrid and CPUGrid are the block grids as last drawn, for tests that
// look at pixels.
func (p *Playground) VRAMGrid() *render.BlockGrid { return &p.mem.VRAM }
func (p *Playground) CPUGrid() *render.BlockGrid  { return &p.mem.CPU }

// Memory is the memory view as last drawn: VRAM, the link and CPU memory.
func (p *Playground) Memory() *render.Memory { return &p.mem }

// Layout is where the panels were last placed.
func (p *Playground) Layout() (vram, cpu Rect) { return p.layout.vram, p.layout.cpu }

// Select inspects a request (-1: none).
func (p *Playground) Select(id int) { p.selected = id }

// Selected is the inspected request, or -1.
func (p *Playground) Selected() int { return p.selected }

// Place lays the view out in an area without touching its animations.
func (p *Playground) Place(area Rect) {
	p.legend = legendEntries(p.kit.Theme, p.legend)
	p.layout = computeLayout(p.kit, area, p.legend, p.half, p.lean)
}

// Update follows the engine after a frame that ran events.
func (p *Playground) Update(pl Run, events []sim.Event, area Rect, dt time.Duration) {
	p.observe(pl, events, area, dt)
	p.placeSprites(dt)
}

// observe follows everything but where the sprites go: Update's first
// half, after which a duel aligns its two views' lanes.
func (p *Playground) observe(pl Run, events []sim.Event, area Rect, dt time.Duration) {
	e := pl.Engine()
	p.Place(area)
	p.completed = p.completed[:0]
	for _, ev := range events {
		if ev.Kind == sim.EvCompleted {
			p.completed = append(p.completed, ev.Req)
		}
	}
	p.mem.Observe(e, events, dt, !pl.Paused(), p.sprites)
	p.gantt.Observe(e, events)
	p.caption.Observe(e, events)
	p.metrics.Update(e)
	p.sprites.Collect(p.kit, e, p.laneLayout(), p.completed)
	if p.selected >= e.Len() {
		p.selected = -1
	}
}

// placeSprites moves the sprites towards their slots.
func (p *Playground) placeSprites(dt time.Duration) { p.sprites.Place(p.kit, p.laneLayout(), dt) }

// laneLayout is where the lanes are inside their panel.
func (p *Playground) laneLayout() render.LaneLayout {
	l := p.layout.lanes
	return render.LaneLayout{X: l.X, Y: l.Y + p.kit.PanelTitle(), W: l.W, H: l.H - p.kit.PanelTitle() - p.kit.Px(6)}
}

// Click selects the request under a point (a sprite or a timeline row), or
// clears the selection.
func (p *Playground) Click(pl Run, x, y float64) {
	if id := p.sprites.Hit(x, y); id >= 0 {
		p.selected = id
		return
	}
	g := p.layout.gantt
	if g.Contains(x, y) {
		p.selected = p.gantt.RowAt(p.kit, pl.Engine(), g.Y, g.H, y)
		return
	}
	p.selected = -1
}

// Wheel scrolls the timeline when the pointer is over it: up shows older
// requests, down back to the newest.
func (p *Playground) Wheel(pl Run, x, y, dy float64) {
	if !p.layout.gantt.Contains(x, y) || dy == 0 {
		return
	}
	step := 3
	if dy < 0 {
		step = -3
	}
	p.gantt.Scroll = max(0, min(p.gantt.Scroll+step, pl.Engine().Arrived()-1))
}

// ScaleFor is the drawing scale for an area: sizes follow the height (1 at
// 1080 pixels), and the layout absorbs a narrower width down to 1500 of
// 1920 units (so the panels beside it cost no legibility) before everything
// shrinks.
func ScaleFor(area Rect) float64 { return min(area.H/1080, area.W/1500) }

// computeLayout places every panel in the area, at 1920×1080 proportions
// scaled to fit.
func computeLayout(k *render.Kit, a Rect, legend []legendEntry, half, lean bool) layout {
	if half {
		return computeHalfLayout(k, a, lean)
	}
	gap := k.Px(12)
	var l layout
	l.top = Rect{a.X, a.Y, a.W, topHeight(k)}
	lh := legendHeight(k, a.W-2*gap, legend)
	l.legend = Rect{a.X + gap, a.Y + a.H - lh - k.Px(6), a.W - 2*gap, lh}
	l.caption = Rect{a.X + gap, l.legend.Y - gap - k.Px(60), a.W - 2*gap, k.Px(60)}
	body := Rect{a.X + gap, l.top.Y + l.top.H, a.W - 2*gap, l.caption.Y - gap - (l.top.Y + l.top.H)}
	leftW := body.W * 0.52
	rightX := body.X + leftW + gap
	rightW := body.W - leftW - gap
	// Left: the lanes, the timeline and the numbers; right: memory, the
	// whole height, so that its cells can be large.
	l.lanes = Rect{body.X, body.Y, leftW, body.H * 0.56}
	l.gantt = Rect{body.X, l.lanes.Y + l.lanes.H + gap, leftW, body.H - l.lanes.H - gap}
	// The memory column is planned with the engine at drawing time.
	l.right = Rect{rightX, body.Y, rightW, body.H}
	return l
}

// topHeight is the height of the top bar: the heading and two lines.
func topHeight(k *render.Kit) float64 {
	return max(k.Px(64), k.Px(12)+k.LineHeight(20)+k.LineHeight(22))
}

// planMemory places the memory column's panels, which depend on the run
// (how many blocks VRAM and CPU memory hold), and the metrics under them.
func planMemory(k *render.Kit, e *sim.Engine, m *render.Memory, l *layout, half, vramOnly bool) {
	if half {
		// The metrics are placed already, under the memory column.
		plan := m.PlanMemory(k, e, render.Rect(l.right), 0)
		if vramOnly {
			plan = m.PlanVRAM(k, e, render.Rect(l.right), 0)
		}
		l.vram, l.link, l.cpu = Rect(plan.VRAM), Rect(plan.Link), Rect(plan.CPU)
		return
	}
	plan := m.PlanMemory(k, e, render.Rect(l.right), metricsMinHeight(k, 2))
	if plan.VRAMRows*int(plan.Cell) < int(k.Px(100)) || plan.CPURows < 2 {
		// Memory is the picture's centre: on a small screen in large type
		// the metrics keep one row of figures so that the grids keep room.
		plan = m.PlanMemory(k, e, render.Rect(l.right), metricsMinHeight(k, 1))
	}
	l.vram, l.link, l.cpu, l.metrics = Rect(plan.VRAM), Rect(plan.Link), Rect(plan.CPU), Rect(plan.Rest)
}

// metricsMinHeight is the least height the metrics panel needs for rows of
// figures (the sparklines take what is left over).
func metricsMinHeight(k *render.Kit, rows int) float64 {
	return k.PanelTitle() + float64(rows)*(k.LineHeight(18)+k.LineHeight(22)+k.Px(4)) + k.Px(14)
}

// Draw draws the view into the area it was last updated for.
func (p *Playground) Draw(dst *ebiten.Image, pl Run) {
	k, e := p.kit, pl.Engine()
	planMemory(k, e, &p.mem, &p.layout, p.half, p.vramOnly)
	l := p.layout
	// The request pointed at is highlighted everywhere, else the one
	// clicked.
	lit := p.selected
	if p.hovered >= 0 && p.hovered < e.Len() {
		lit = p.hovered
	}
	p.drawTop(dst, pl)
	k.Panel(dst, l.lanes.X, l.lanes.Y, l.lanes.W, l.lanes.H, "Requests")
	p.sprites.Draw(dst, k, e, p.laneLayout(), lit)
	if l.gantt.H > 0 {
		p.gantt.Draw(dst, k, e, l.gantt.X, l.gantt.Y, l.gantt.W, l.gantt.H, lit)
	}
	p.mem.Draw(dst, k, e, render.Rect(l.vram), render.Rect(l.link), render.Rect(l.cpu), lit)
	// A duel's half on a short screen leaves out its figures and caption.
	if l.metrics.H > 0 {
		p.metrics.Draw(dst, k, e, l.metrics.X, l.metrics.Y, l.metrics.W, l.metrics.H)
	}
	if l.caption.H > 0 {
		p.caption.Draw(dst, k, e, l.caption.X, l.caption.Y, l.caption.W, l.caption.H)
	}
	if !p.half {
		p.legendAt = drawLegend(dst, k, l.legend, p.legend, p.legendAt)
	}
	if p.selected >= 0 {
		drawInspect(dst, k, e, p.selected, l.lanes)
	}
}

func (p *Playground) drawTop(dst *ebiten.Image, pl Run) {
	k, e := p.kit, pl.Engine()
	t := k.Theme
	c := e.Config()
	l := p.layout.top
	k.Text(dst, p.Heading, l.X+k.Px(16), l.Y+k.Px(14), 30, true, t.Text, render.Left)
	state := "playing " + pl.SpeedLabel()
	if pl.Paused() {
		state = "paused"
	}
	if pl.Finished() {
		state = "finished"
	}
	room := l.W - k.Px(48) - k.TextWidth(p.Heading, 30, true)
	right := fmt.Sprintf("%s · %s · %s · %s · timing %s · %s batcher · seed %d", c.Scenario, c.Model.Name, c.Precision.ID, c.Scheduler, c.Timing, c.BatcherInfo().Name, c.Seed)
	if c.Timing == "classic" && c.BatcherInfo().Name == "serial" {
		// Said in words, first, so that it survives a narrow screen.
		right = fmt.Sprintf("%s · %s · %s · seed %d", lesson.ClassicModelNote, c.Scenario, c.Scheduler, c.Seed)
	}
	k.Text(dst, k.Fit(right, room, 20, false), l.X+l.W-k.Px(16), l.Y+k.Px(6), 20, false, t.TextDim, render.Right)
	p.clock = append(p.clock[:0], state, fmt.Sprintf("tick %d", e.Tick()), simTime(e.Now())+" simulated")
	if it := e.LastIteration(); it.Bound != sim.BoundFixed && it.Tick > 0 {
		// The roofline model: what the last iteration cost and why.
		p.clock = append(p.clock, fmt.Sprintf("last iteration %.2f ms, %s-bound", float64(it.Duration)/1e6, it.Bound))
	}
	clock := fitParts(k, p.clock, room, 22, true)
	k.Text(dst, clock, l.X+l.W-k.Px(16), l.Y+k.Px(6)+k.LineHeight(20), 22, true, t.Text, render.Right)
}

// fitParts joins as many of the parts, from the first, as fit a width,
// three spaces apart, so that a narrow bar drops whole parts rather than
// cutting one. The clock's figures change every frame: each candidate is
// measured with its digits as zeros, a shape the kit has cached, rather
// than shaped anew.
func fitParts(k *render.Kit, parts []string, width, size float64, bold bool) string {
	line := parts[0]
	if k.TextWidth(zeroDigits(line), size, bold) > width {
		return k.Fit(line, width, size, bold)
	}
	for _, part := range parts[1:] {
		longer := line + "   " + part
		if k.TextWidth(zeroDigits(longer), size, bold) > width {
			break
		}
		line = longer
	}
	return line
}

// zeroDigits is s with every digit a zero: in the app's font the zero is
// the widest digit, so the result is never narrower than s, and it stays
// the same string while only the figures change.
func zeroDigits(s string) string {
	if !strings.ContainsAny(s, "123456789") {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= '1' && c <= '9' {
			b[i] = '0'
		}
	}
	return string(b)
}

func simTime(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// SpriteBox is where a request's sprite is, if it is on screen.
func (p *Playground) SpriteBox(id int) (Rect, bool) {
	r, ok := p.sprites.Box(id)
	return Rect(r), ok
}

// WaitingLane is the waiting lane's box, as last laid out.
func (p *Playground) WaitingLane() Rect {
	l := p.layout.lanes
	h := (l.H - p.kit.PanelTitle() - p.kit.Px(6)) / 5
	return Rect{l.X, l.Y + p.kit.PanelTitle(), l.W, h}
}

// PacketBox is where a copy of req's KV is on the link, if it is.
func (p *Playground) PacketBox(req int) (Rect, bool) {
	for _, pk := range p.mem.Packets() {
		if pk.Req == req {
			return Rect(pk.Box), true
		}
	}
	return Rect{}, false
}

// Panels are the memory and metrics panels as last placed.
func (p *Playground) Panels() (vram, link, cpu, metrics Rect) {
	return p.layout.vram, p.layout.link, p.layout.cpu, p.layout.metrics
}

// Area is the whole area the view was last placed in (without the
// caption's strip).
func (p *Playground) Area() Rect {
	l := p.layout
	return Rect{l.top.X, l.top.Y, l.top.W, l.legend.Y + l.legend.H - l.top.Y}
}

// TimelineBox is the timeline panel as last placed.
func (p *Playground) TimelineBox() Rect { return p.layout.gantt }
