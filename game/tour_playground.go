package game

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/scenes"
	"inferplay/sim"
)

// playgroundScene is the tour's last stop: the full simulator, on the
// game's own run, which the setup panels edit.
type playgroundScene struct {
	g        *Game
	beat     int
	controls scenes.PlayerControls // the run's Transport, kept to cost nothing per frame
	// captions are the beats' words for the base run of scenario and
	// scheduler captionsFor.
	captions    []string
	captionsFor [2]string
	area        scenes.Rect
	// caption is where the beat's caption goes, below the simulator.
	caption scenes.Rect
}

func (p *playgroundScene) Name() string  { return "playground" }
func (p *playgroundScene) Title() string { return "Playground" }
func (p *playgroundScene) Intro() string {
	return "Everything at once: many requests, one GPU, a scheduler deciding who runs."
}

// Beats: the starting run, the same traffic under the other kind of
// policy, then free play.
func (p *playgroundScene) Beats() []string {
	// They describe the base run: made again only when it changes, not
	// every frame.
	if c := p.g.opts.Config; p.captions == nil || c.Scenario != p.captionsFor[0] || c.Scheduler != p.captionsFor[1] {
		p.captions, p.captionsFor = p.words(), [2]string{c.Scenario, c.Scheduler}
	}
	return p.captions
}

func (p *playgroundScene) words() []string {
	c := p.g.opts.Config
	desc := "Many requests share one GPU."
	if s, err := sim.LookupScenario(c.Scenario); err == nil {
		desc = s.Description
	}
	return []string{
		desc + " Chats are discs, batch jobs squares; click one to inspect it.",
		"The same traffic and seed under " + p.contrast() + ": compare the time to first token in the metrics, and who waits in the timeline.",
		"Your turn: H shows the panels, where every parameter can be set; Apply starts the run. The seed fixes the traffic, so a run can be repeated exactly.",
	}
}

// contrast is the policy beat 2 switches to: MLFQ, or FCFS if the run
// already uses MLFQ.
func (p *playgroundScene) contrast() string {
	if p.g.opts.Config.Scheduler == "mlfq" {
		return "fcfs"
	}
	return "mlfq"
}

func (p *playgroundScene) Beat() int { return p.beat }

func (p *playgroundScene) SetBeat(i int) {
	g := p.g
	p.beat = max(0, min(i, len(p.Beats())-1))
	c := g.opts.Config
	if p.beat == 1 {
		c.Scheduler = p.contrast()
	}
	if err := g.load(c); err != nil {
		g.notify("Cannot run this: " + err.Error())
		return
	}
	g.panel.fromConfig(c)
	g.player.SetPaused(false)
	if p.beat == 2 && !g.presenter {
		g.panels = true
	}
}

func (p *playgroundScene) Transport() scenes.Transport {
	p.controls.Player = p.g.player
	if p.controls.Seeked == nil {
		p.controls.Seeked = p.g.playground.Reset // a method value: made once, not per frame
	}
	return &p.controls
}

func (p *playgroundScene) Status() string {
	c := p.g.player.Config()
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
	p.g.playground.Place(p.area)
}

func (p *playgroundScene) Update(dt time.Duration) {
	g := p.g
	g.events = append(g.events, g.player.Frame()...)
	g.playground.Update(g.player, g.events, p.area, dt)
	g.events = g.events[:0]
}

func (p *playgroundScene) Draw(dst *ebiten.Image) {
	p.g.playground.Draw(dst, p.g.player)
	scenes.DrawBeatCaption(dst, p.g.kit, p.caption, p.Beats(), p.beat)
}
