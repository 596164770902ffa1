package game

import (
	"fmt"
	"time"

	"github.com/ebitengine/debugui"
	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/scenes"
	"inferplay/sim"
)

// playgroundScene is the tour's last stop: the full simulator, on the
// game's own run, which the setup panels edit.
type playgroundScene struct {
	g        *Game
	beat     int
	controls scenes.PlayerControls // the run's Transport, kept to cost nothing per frame
	// duelControls and duelCaptions are a duel's, made when it starts.
	duelControls scenes.PlayerControls
	duelCaptions []string
	// captions are the beats' words for the base run of scenario and
	// scheduler captionsFor.
	captions    []string
	captionsFor [2]string
	area        scenes.Rect
	// caption is where the beat's caption goes, below the simulator.
	caption scenes.Rect

	moments   playgroundMoments
	openAt    int // the tick the beat opened at (0: the start)
	spot      []scenes.Callout
	spotlight scenes.Spotlight
	// stageWords are the captions in cluster mode.
	stageWords []string
}

func (p *playgroundScene) Name() string  { return "playground" }
func (p *playgroundScene) Title() string { return "Playground" }
func (p *playgroundScene) Intro() string {
	return "Everything at once: many requests, one GPU, a scheduler deciding who runs."
}

// The beats: head-of-line blocking at its worst moment, the first swap
// with its copy on the link, a duel of that traffic under the other kind
// of policy at the same moment, then free play (a duel too, if one was
// asked for). Each opens
// at the moment it describes, found by running the beat's configuration
// ahead of time, paused there under a spotlight; playing on lifts it.
const (
	beatBlocking = iota
	beatSwap
	beatCompare
	beatFree
)

// playgroundMoments are what the beats found in the base run, remade only
// when the run changes.
type playgroundMoments struct {
	forConfig sim.Config
	blocking  lesson.Blocking
	hasBlock  bool
	swap      lesson.Swap
	hasSwap   bool
}

func (p *playgroundScene) Beats() []string {
	c := p.g.opts.Config
	if p.captions == nil || c.Scenario != p.captionsFor[0] || c.Scheduler != p.captionsFor[1] {
		p.find()
		p.captions, p.captionsFor = p.words(), [2]string{c.Scenario, c.Scheduler}
	}
	return p.captions
}

// find runs the base configuration ahead for the beats' moments.
func (p *playgroundScene) find() {
	c := p.g.opts.Config
	m := &p.moments
	*m = playgroundMoments{forConfig: c}
	m.blocking, m.hasBlock = lesson.FindBlocking(c)
	m.swap, m.hasSwap = lesson.FindFirstSwap(c)
}

func (p *playgroundScene) words() []string {
	c := p.g.opts.Config
	m := &p.moments
	desc := "Many requests share one GPU."
	if s, err := sim.LookupScenario(c.Scenario); err == nil {
		desc = s.Title + " on " + c.GPU.Name + "."
	}
	blocking := desc + " Requests wait, prefill their prompt, then decode; chats are discs, batch jobs squares."
	if m.hasBlock {
		blocking = fmt.Sprintf("%s Under %s, R%d's %s-token prompt is prefilling, and %d chats wait behind it: the first has waited %s (head-of-line blocking).",
			desc, c.Scheduler, m.blocking.Long, render.Thousands(p.inputOf(m.blocking.Long)), len(m.blocking.Chats), render.Ms(float64(m.blocking.Longest)/1e6))
	}
	swap := "VRAM never fills in this run, so nothing is swapped: try a smaller GPU or more requests."
	if m.hasSwap {
		swap = fmt.Sprintf("VRAM is full: to make room, R%d's KV cache (%s) is copied over the host link to CPU memory. It resumes when it is copied back.",
			m.swap.Victim, sim.FormatBytes(m.swap.Bytes))
	}
	compare := fmt.Sprintf("A duel: the same traffic and seed under %s (left) and %s (right), at the same moment. The strip compares them so far; play on for the whole runs.", c.Scheduler, p.contrast())
	if m.hasBlock {
		compare = fmt.Sprintf("A duel: the same traffic under %s (left) and %s (right), at the same moment. On the left R%d's prompt holds up the chats; on the right they are served. The strip compares the two so far; play on for the whole runs.",
			c.Scheduler, p.contrast(), m.blocking.Long)
	}
	return []string{
		blocking,
		swap,
		compare,
		"Your turn: H shows the panels, where every parameter can be set; Apply starts the run. The seed fixes the traffic, so a run can be repeated exactly.",
	}
}

// inputOf is a request's prompt length in the base run.
func (p *playgroundScene) inputOf(id int) int {
	if s, ok := p.g.player.Engine().SpecOf(id); ok {
		return s.Input
	}
	return 0
}

// contrast is the policy the comparison beat switches to: MLFQ, or FCFS
// if the run already uses MLFQ.
func (p *playgroundScene) contrast() string {
	if p.g.opts.Config.Scheduler == "mlfq" {
		return "fcfs"
	}
	return "mlfq"
}

func (p *playgroundScene) Beat() int { return p.beat }

func (p *playgroundScene) SetBeat(i int) {
	g := p.g
	p.Beats() // the moments, for this run
	p.beat = max(0, min(i, len(p.Beats())-1))
	c := g.opts.Config
	if err := g.load(c); err != nil {
		g.notify("Cannot run this: " + err.Error())
		return
	}
	g.panel.fromConfig(c)
	g.endDuel()
	switch spec := g.userDuel; {
	case p.beat == beatCompare:
		p.startDuel(c.Scheduler + "," + p.contrast())
	case p.beat == beatFree && spec != "":
		p.startDuel(spec)
	}
	p.openAt = 0
	switch m := &p.moments; {
	case p.beat == beatBlocking && m.hasBlock:
		p.openAt = m.blocking.Tick
	case p.beat == beatCompare && m.hasBlock && g.duel != nil:
		g.duelTo(m.blocking.At)
		p.openAt = g.duel.player.Position()
		g.duel.player.SetPaused(true)
	case p.beat == beatSwap && m.hasSwap:
		p.openAt = m.swap.Tick
	}
	if p.openAt > 0 && g.duel == nil {
		g.runTo(p.openAt)
	}
	g.player.SetPaused(p.openAt > 0)
	if p.beat == beatFree && !g.presenter {
		g.panels = true
	}
}

// startDuel splits the playground for the beat, or says why it cannot.
func (p *playgroundScene) startDuel(spec string) {
	g := p.g
	if err := g.startDuel(g.opts.Config, spec); err != nil {
		g.notify("Cannot run this duel: " + err.Error())
		return
	}
	p.duelControls = scenes.PlayerControls{Player: g.duel.player, Seeked: g.duel.view.Reset}
	sides := g.duel.player.Sides()
	p.duelCaptions = append(p.duelCaptions[:0], p.Beats()...)
	p.duelCaptions[beatFree] = fmt.Sprintf("A duel: the same traffic and seed under %s (left) and %s (right), on one clock. Select a request to follow it on both sides; Duel vs in the panel changes the right side.",
		sides[0].Label, sides[1].Label)
}

// callouts are what the beat's caption points at, while the run stands at
// the beat's moment.
func (p *playgroundScene) callouts() []scenes.Callout {
	g := p.g
	p.spot = p.spot[:0]
	if g.duel != nil {
		return p.duelCallouts()
	}
	if p.openAt == 0 || g.player.Engine().Tick() != p.openAt {
		return nil
	}
	pg, m := g.playground, &p.moments
	e := g.player.Engine()
	switch p.beat {
	case beatBlocking:
		if b, ok := pg.SpriteBox(m.blocking.Long); ok {
			p.spot = append(p.spot, scenes.Callout{Box: b, Label: fmt.Sprintf("%s-token prompt", render.Thousands(e.Request(m.blocking.Long).Input))})
		}
		p.spot = append(p.spot, scenes.Callout{Box: pg.WaitingLane(), Label: "chats waiting"})
	case beatSwap:
		if b, ok := pg.PacketBox(m.swap.Victim); ok {
			p.spot = append(p.spot, scenes.Callout{Box: b, Label: fmt.Sprintf("R%d's KV on the link", m.swap.Victim)})
		}
		vram, _, cpu, _ := pg.Panels()
		p.spot = append(p.spot, scenes.Callout{Box: vram, Label: "VRAM full"}, scenes.Callout{Box: cpu})
	}
	return p.spot
}

// duelCallouts point, at the duel beat's moment, at the long prompt and
// the chats behind it on the left, the first of those chats on the right,
// and the strip that compares the two.
func (p *playgroundScene) duelCallouts() []scenes.Callout {
	d, m := p.g.duel, &p.moments
	if p.beat != beatCompare || p.openAt == 0 || d.player.Position() != p.openAt {
		return nil
	}
	left, right := d.view.Halves[0], d.view.Halves[1]
	if b, ok := left.SpriteBox(m.blocking.Long); ok {
		p.spot = append(p.spot, scenes.Callout{Box: b, Label: fmt.Sprintf("%s-token prompt", render.Thousands(d.player.Engine(0).Request(m.blocking.Long).Input))})
	}
	p.spot = append(p.spot, scenes.Callout{Box: left.WaitingLane(), Label: "chats waiting"})
	// The chat that has waited longest on the left, where it is on the
	// right; else the right's waiting lane.
	other := scenes.Callout{Box: right.WaitingLane(), Label: "the same moment under " + d.player.Sides()[1].Label}
	if first := m.blocking.Chats; len(first) > 0 {
		if b, ok := right.SpriteBox(first[0]); ok {
			other = scenes.Callout{Box: b, Label: fmt.Sprintf("R%d under %s", first[0], d.player.Sides()[1].Label)}
		}
	}
	p.spot = append(p.spot, other)
	return append(p.spot, scenes.Callout{Box: d.view.CompareBox()})
}

func (p *playgroundScene) Transport() scenes.Transport {
	if p.g.duel != nil {
		return &p.duelControls
	}
	if p.g.stage != nil {
		return p.g.stage.Transport()
	}
	p.controls.Player = p.g.player
	if p.controls.Seeked == nil {
		p.controls.Seeked = p.g.playground.Reset // a method value: made once, not per frame
	}
	return &p.controls
}

func (p *playgroundScene) Status() string {
	c := p.g.player.Config()
	if d := p.g.duel; d != nil {
		s := d.player.Sides()
		return fmtStatus(c.Seed, s[0].Label+" vs "+s[1].Label, c.Timing)
	}
	if st := p.g.stage; st != nil {
		return fmtStatus(c.Seed, c.Scheduler+" on "+st.Label(), c.Timing)
	}
	return fmtStatus(c.Seed, c.Scheduler, c.Timing)
}

// layout splits the area between the simulator and the beat's caption.
func (p *playgroundScene) layout(area scenes.Rect) {
	k := p.g.kit
	ch := scenes.BeatCaptionHeight(k)
	pad := k.Px(12)
	p.area = scenes.Rect{X: area.X, Y: area.Y, W: area.W, H: area.H - ch - 2*pad}
	p.caption = scenes.Rect{X: area.X + pad, Y: area.Y + area.H - ch - pad, W: area.W - 2*pad, H: ch}
}

func (p *playgroundScene) Layout(area scenes.Rect) {
	p.layout(area)
	if d := p.g.duel; d != nil {
		d.view.Place(p.area)
		return
	}
	if st := p.g.stage; st != nil {
		k := p.g.kit
		st.Layout(scenes.Rect{X: p.area.X + k.Px(24), Y: p.area.Y + k.Px(12), W: p.area.W - k.Px(48), H: p.area.H - k.Px(12)})
		return
	}
	p.g.playground.Place(p.area)
}

func (p *playgroundScene) Update(dt time.Duration) {
	g := p.g
	if d := g.duel; d != nil {
		d.view.Update(d.player, d.player.Frame(), p.area, dt)
		return
	}
	if st := g.stage; st != nil {
		st.Update(dt)
		return
	}
	g.events = append(g.events, g.player.Frame()...)
	g.playground.Update(g.player, g.events, p.area, dt)
	g.events = g.events[:0]
}

func (p *playgroundScene) Draw(dst *ebiten.Image) {
	g := p.g
	if d := g.duel; d != nil {
		d.view.Draw(dst, d.player)
		p.spotlight.Draw(dst, g.kit, d.view.Area(), p.callouts())
		scenes.DrawBeatCaption(dst, g.kit, p.caption, p.duelCaptions, p.beat)
		d.view.DrawTip(dst)
		return
	}
	if st := g.stage; st != nil {
		st.Draw(dst)
		scenes.DrawBeatCaption(dst, g.kit, p.caption, p.stageCaptions(), p.beat)
		st.DrawTip(dst)
		return
	}
	g.playground.Draw(dst, g.player)
	p.spotlight.Draw(dst, g.kit, g.playground.Area(), p.callouts())
	scenes.DrawBeatCaption(dst, g.kit, p.caption, p.Beats(), p.beat)
	g.playground.DrawTip(dst)
}

// Panel is the playground's setup: the run's scenario, hardware and
// policy, applied together.
func (p *playgroundScene) Panel(ctx *debugui.Context) { p.g.setupPanel(ctx) }

// Policy is the scheduler of the run on screen.
func (p *playgroundScene) Policy() string { return p.g.player.Config().Scheduler }

// stageCaptions are the beats' words in cluster mode: the one-GPU beats'
// moments are not the cluster's, so every beat says what is on screen.
func (p *playgroundScene) stageCaptions() []string {
	if len(p.stageWords) != len(p.Beats()) {
		words := fmt.Sprintf("The playground's traffic on %s. Hover a GPU for its counts; click one to open it in the full playground view, and click again to come back.", p.g.stage.Label())
		p.stageWords = p.stageWords[:0]
		for range p.Beats() {
			p.stageWords = append(p.stageWords, words)
		}
	}
	return p.stageWords
}
