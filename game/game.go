package game

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"github.com/ebitengine/debugui"
	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/playback"
	"inferplay/render"
	"inferplay/scenes"
	"inferplay/sim"
)

// Game is the ebiten.Game. It holds no package-level state, so one window
// can host several.
type Game struct {
	opts       Options
	player     *playback.Player
	kit        *render.Kit
	playground *scenes.Playground
	ui         debugui.DebugUI
	panel      panelState

	width, height int
	panels        bool // debugui panels shown
	showKeys      bool
	uiScale       int
	message       string // a config error or a notice, shown on screen
	messageUntil  time.Time
	actions       []Action
	shotDone      bool
	pendingShot   string // a screenshot the next Draw writes
	scrub         int    // the scrub slider's position
	events        []sim.Event
}

// New builds the game. A bad configuration is an error, not a panic.
func New(opts Options) (*Game, error) {
	theme := render.Dark()
	if opts.Light {
		theme = render.Light()
	}
	kit, err := render.NewKit(theme)
	if err != nil {
		return nil, err
	}
	// The panels' bitmap font is small: doubled on a 1080p screen and up.
	uiScale := 1
	if opts.Height >= 1000 {
		uiScale = 2
	}
	g := &Game{opts: opts, kit: kit, playground: scenes.NewPlayground(kit), panels: true, uiScale: uiScale,
		width: opts.Width, height: opts.Height}
	if err := g.load(opts.Config); err != nil {
		return nil, err
	}
	if opts.Speed > 0 {
		g.player.SetSpeed(opts.Speed)
	}
	if opts.Ticks > 0 {
		// Run through the scene, so that its history (sparklines, timeline
		// markers, the caption) covers the ticks skipped.
		for g.player.Engine().Tick() < opts.Ticks && !g.player.Finished() {
			g.events = append(g.events[:0], g.player.Step()...)
			g.playground.Update(g.player, g.events, g.sceneArea(), 0)
		}
		g.playground.Settle()
		g.playground.Update(g.player, nil, g.sceneArea(), 0)
		g.player.SetPaused(opts.Screenshot != "")
	} else {
		g.player.SetPaused(false)
	}
	g.panel.fromConfig(g.player.Config())
	return g, nil
}

// load starts a new run.
func (g *Game) load(cfg sim.Config) error {
	p, err := playback.New(cfg)
	if err != nil {
		return err
	}
	g.player = p
	g.playground.Reset()
	g.playground.Select(-1)
	return nil
}

// Player exposes playback to tests.
func (g *Game) Player() *playback.Player { return g.player }

// Do applies actions.
func (g *Game) Do(actions ...Action) {
	for _, a := range actions {
		g.do(a)
	}
}

func (g *Game) do(a Action) {
	p := g.player
	switch a {
	case PlayPause:
		p.SetPaused(!p.Paused())
	case StepForward:
		g.events = append(g.events[:0], p.Step()...)
	case StepBack:
		p.StepBack(1)
		g.playground.Reset()
	case Slower:
		p.Slower()
	case Faster:
		p.Faster()
	case Restart:
		p.Restart()
		p.SetPaused(false)
		g.playground.Reset()
	case ToggleFullscreen:
		ebiten.SetFullscreen(!ebiten.IsFullscreen())
	case TogglePanels:
		g.panels = !g.panels
	case UIScaleUp:
		g.uiScale = min(g.uiScale+1, 4)
	case UIScaleDown:
		g.uiScale = max(g.uiScale-1, 1)
	case SaveScreenshot:
		// The screen can be read only in Draw: the next one writes it.
		g.pendingShot = fmt.Sprintf("inferplay-%s-tick%d.png", g.player.Config().Scenario, g.player.Engine().Tick())
	case ToggleKeys:
		g.showKeys = !g.showKeys
	case ToggleTheme:
		if g.kit.Theme.Name == "dark" {
			g.kit.Theme = render.Light()
		} else {
			g.kit.Theme = render.Dark()
		}
	}
}

func (g *Game) notify(msg string) {
	g.message = msg
	g.messageUntil = time.Now().Add(6 * time.Second)
}

// Update reads input, advances playback and updates the scene.
func (g *Game) Update() error {
	if g.opts.Screenshot != "" && g.shotDone {
		return ebiten.Termination
	}
	capturing := debugui.InputCapturingState(0)
	if g.panels {
		var err error
		capturing, err = g.ui.Update(g.drawPanels)
		if err != nil {
			return err
		}
	}
	g.actions = pressedActions(g.actions[:0])
	g.Do(g.actions...)
	if capturing == 0 {
		x, y := ebiten.CursorPosition()
		if inpututilMouseJustPressed() {
			g.playground.Click(g.player, float64(x), float64(y))
		}
		if _, dy := ebiten.Wheel(); dy != 0 {
			g.playground.Wheel(g.player, float64(x), float64(y), dy)
		}
	}
	// Ebitengine calls Update at a fixed rate, so animations step by one
	// tick of it: the same motion on every machine, and no clock to read.
	g.Frame(time.Second / time.Duration(ebiten.TPS()))
	return nil
}

// Frame advances playback by one frame and updates the scene; tests call it
// directly.
func (g *Game) Frame(dt time.Duration) {
	g.events = append(g.events, g.player.Frame()...)
	g.playground.Update(g.player, g.events, g.sceneArea(), dt)
	g.events = g.events[:0]
}

// sceneArea leaves room on the left for the panels when they are shown.
func (g *Game) sceneArea() scenes.Rect {
	w, h := float64(max(g.width, 1)), float64(max(g.height, 1))
	area := scenes.Rect{W: w, H: h}
	if g.panels {
		pw := float64(panelWidth * g.uiScale)
		area = scenes.Rect{X: pw, W: w - pw, H: h}
	}
	g.kit.Scale = scenes.ScaleFor(area)
	return area
}

// Draw draws the scene, the panels and any message.
func (g *Game) Draw(screen *ebiten.Image) {
	screen.Fill(g.kit.Theme.Background)
	g.playground.Draw(screen, g.player)
	if g.showKeys {
		g.drawKeys(screen)
	}
	if g.message != "" && time.Now().Before(g.messageUntil) {
		g.drawMessage(screen)
	}
	if g.panels {
		g.ui.Draw(screen)
	}
	if g.opts.Screenshot != "" && !g.shotDone {
		g.shotDone = true
		if err := writePNG(g.opts.Screenshot, screen); err != nil {
			fmt.Fprintln(os.Stderr, "inferplay: -screenshot:", err)
		}
	}
	if g.pendingShot != "" {
		if err := writePNG(g.pendingShot, screen); err != nil {
			g.notify("screenshot: " + err.Error())
		} else {
			g.notify("saved " + g.pendingShot)
		}
		g.pendingShot = ""
	}
}

// Render draws the current frame into dst, laid out for its size, without
// the panels: for tests, benchmarks and saved screenshots.
func (g *Game) Render(dst *ebiten.Image) {
	b := dst.Bounds()
	g.width, g.height = b.Dx(), b.Dy()
	panels := g.panels
	g.panels = false
	g.playground.Update(g.player, nil, g.sceneArea(), 0)
	dst.Fill(g.kit.Theme.Background)
	g.playground.Draw(dst, g.player)
	g.panels = panels
}

// Kit is the drawing kit, for tests that check colours.
func (g *Game) Kit() *render.Kit { return g.kit }

// Playground is the scene, for tests.
func (g *Game) Playground() *scenes.Playground { return g.playground }

// Layout renders at the window's size in device pixels, so text stays sharp
// on HiDPI screens.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	g.width, g.height = int(float64(outsideWidth)*s), int(float64(outsideHeight)*s)
	return g.width, g.height
}

func writePNG(name string, img *ebiten.Image) error {
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	img.ReadPixels(rgba.Pix)
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := png.Encode(f, rgba); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
