package game

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/ebitengine/debugui"
	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
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
	// deviceScale is the screen's device pixels per logical pixel, as
	// last laid out.
	deviceScale  float64
	message      string // a config error or a notice, shown on screen
	messageUntil time.Time
	actions      []Action
	shotDone     bool
	shotErr      error   // why -screenshot could not be saved, for the exit status
	pendingShot  string  // a screenshot the next Draw writes
	scrub        float64 // the scrub slider's position, in simulated seconds
	events       []sim.Event

	tour       tour
	prompt     *scenes.Prompt
	kvcache    *scenes.KVCache
	contention *scenes.Contention
	batching   *scenes.Batching
	chunking   *scenes.Chunking
	roofline   *scenes.Roofline
	sharing    *scenes.Sharing
	cluster    *scenes.Cluster
	// presenter mode: panels hidden, the projector theme, large type. The
	// panels and theme from before are restored when it ends.
	presenter   bool
	savedPanels bool
	savedTheme  *render.Theme
	slideA      *ebiten.Image // the two scenes of a slide, drawn off screen
	slideB      *ebiten.Image
	tabs        []scenes.Rect // the contents strip's tabs, as last drawn
	pg          *playgroundScene
	stops       []stop // the tour's scenes with their tabs and panels
	frames      int    // frames drawn
	lastState   State  // as last reported, frames aside
	showLink    bool
	curves      curveView
	// duel is the playground split in two, or nil; userDuel the split
	// asked for (by -duel, the address or the panel) for free play.
	duel     *duelRun
	userDuel string
	// stage is the playground's cluster mode (-replicas, -pd), or nil.
	stage *scenes.ClusterStage
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
	kit.MinText, kit.MinPx = normalText, normalPx
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
	g.panel.fromConfig(g.player.Config())
	g.userDuel = opts.Duel
	g.panel.duel = g.duelChoiceOf(opts.Duel)
	g.stops = g.buildTour(kit, opts.Config.Seed)
	g.tour = tour{from: -1}
	for _, s := range g.stops {
		g.tour.scenes = append(g.tour.scenes, s.scene)
	}
	pg := g.pg
	if opts.Presenter {
		g.setPresenter(true)
	}
	g.tour.cur = entry(sceneNames, opts.Scene) // the tour's scenes are in sceneNames' order
	switch s := g.tour.scene(); {
	case s == scenes.Scene(pg) && opts.Ticks > 0:
		// A run to a given tick is free play on the run set up above.
		pg.beat = beatFree
		if opts.Duel != "" {
			pg.startDuel(opts.Duel)
		}
	default:
		// Every beat sets its own state, the playground's included: each
		// opens at the moment its caption describes.
		s.SetBeat(opts.Beat)
	}
	if p := opts.Policy; g.tour.scene() == scenes.Scene(g.contention) && slices.Contains(lesson.ContentionPolicies, p) {
		// A link or flag that names one of the scene's policies runs it,
		// playing or paused as the beat is.
		paused := g.contention.Transport().Paused()
		g.contention.SetPolicy(p)
		g.contention.Transport().SetPaused(paused)
	}
	if !g.onPlayground() {
		// The playground's run plays when the tour reaches it.
		g.player.SetPaused(false)
	}
	if opts.Ticks > 0 && g.onPlayground() {
		g.runTo(opts.Ticks)
		g.player.SetPaused(opts.Screenshot != "")
		if g.duel != nil {
			g.duel.player.SetPaused(opts.Screenshot != "")
		}
	}
	if opts.Curves && g.onPlayground() {
		g.do(ToggleCurves)
	}
	for range opts.Frames {
		g.Frame(time.Second / 60)
	}
	return g, nil
}

// runTo plays the playground's run up to a tick through the playground,
// so that its history (sparklines, timeline markers, the caption) covers
// the ticks skipped, and settles every sprite where it belongs.
func (g *Game) runTo(tick int) {
	g.pg.layout(g.sceneArea())
	if g.duel != nil {
		// A duel's left half to the tick, the right to the same moment.
		g.duelUntil(func(left *sim.Engine) bool { return left.Tick() >= tick })
		return
	}
	for g.player.Engine().Tick() < tick && !g.player.Finished() {
		g.events = append(g.events[:0], g.player.Step()...)
		g.playground.Update(g.player, g.events, g.pg.area, 0)
	}
	g.events = g.events[:0]
	g.playground.Settle()
	g.playground.Update(g.player, nil, g.pg.area, 0)
}

// load starts a new run.
func (g *Game) load(cfg sim.Config) error {
	p, err := playback.New(cfg)
	if err != nil {
		return err
	}
	g.player = p
	if g.opts.Speed > 0 {
		p.SetSpeed(g.opts.Speed) // -speed holds for every run, not the first only
	}
	if cl := g.opts.Cluster; cl.On() {
		// The run's traffic on the cluster asked for, in its place.
		st, err := scenes.NewClusterStage(g.kit, cfg, scenes.StageSide(cl.Replicas, cl.Prefill, cl.Decode, cl.Router, cl.Interconnect))
		if err != nil {
			return err
		}
		if g.opts.Speed > 0 {
			st.Player().SetSpeed(g.opts.Speed)
		}
		g.stage = st
	}
	g.playground.Reset()
	g.playground.Select(-1)
	// A new setup has curves of its own, planned when next shown.
	g.curves = curveView{shown: g.curves.shown}
	if g.curves.shown {
		g.curves.restart(p.Config())
	}
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
	if a >= Scene1 && a < actionCount {
		if i := int(a - Scene1); i < len(g.tour.scenes) {
			g.goTo(i, 0)
		}
		return
	}
	switch a {
	case PlayPause, StepForward, StepBack, Slower, Faster, Restart:
		g.transport(a)
	case NextBeat:
		g.nextBeat()
	case PrevBeat:
		g.prevBeat()
	case SnapBack:
		g.snapBack()
	case TogglePresenter:
		g.setPresenter(!g.presenter)
	case ToggleCurves:
		if !g.onPlayground() {
			g.notify(fmt.Sprintf("C shows the curves of the playground's setup (%d)", len(g.tour.scenes)))
			return
		}
		if g.duel != nil {
			g.notify("The curves are of one setup: end the duel first (Duel vs: no duel)")
			return
		}
		g.curves.shown = !g.curves.shown
		if g.curves.shown && g.curves.stepper == nil && g.curves.err == "" {
			g.curves.restart(g.player.Config())
		}
	case ShowLink:
		g.showLink = !g.showLink
		if g.showLink && g.opts.LinkBase == "" {
			// On the desktop the terminal has it too, to copy.
			fmt.Println(g.LinkFlags())
		}
	case NextPolicy:
		if s, ok := g.tour.scene().(interface{ NextPolicy() }); ok {
			s.NextPolicy()
		} else {
			g.notify("S switches the policy in the contention scene (3)")
		}
	case ToggleFullscreen:
		ebiten.SetFullscreen(!ebiten.IsFullscreen())
	case TogglePanels:
		g.panels = !g.panels
	case UIScaleUp:
		g.uiScale = min(g.uiScale+1, 4)
	case UIScaleDown:
		g.uiScale = max(g.uiScale-1, 1)
	case SaveScreenshot:
		if runtime.GOOS == "js" {
			g.notify("A browser tab cannot save files: use the browser's own screenshot, or the desktop app")
			return
		}
		// The screen can be read only in Draw: the next one writes it.
		s := g.tour.scene()
		g.pendingShot = fmt.Sprintf("inferplay-%s-beat%d-%s.png", s.Name(), s.Beat()+1, time.Now().Format("150405"))
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

// transport applies a playback action to the current scene.
func (g *Game) transport(a Action) {
	tr := g.tour.scene().Transport()
	if tr == nil {
		g.notify("Nothing plays in this scene: move the sliders, or go on with PgDn")
		return
	}
	switch a {
	case PlayPause:
		tr.SetPaused(!tr.Paused())
	case StepForward:
		tr.Step()
	case StepBack:
		tr.StepBack()
	case Slower:
		tr.Slower()
	case Faster:
		tr.Faster()
	case Restart:
		tr.Restart()
	}
}

// setPresenter turns presenter mode on or off.
func (g *Game) setPresenter(on bool) {
	if on == g.presenter {
		return
	}
	g.presenter = on
	k := g.kit
	if on {
		g.savedPanels, g.savedTheme = g.panels, k.Theme
		g.panels = false
		k.Theme, k.MinText, k.Thick = render.Presenter(), presenterText, 2
		g.setLeastType()
		return
	}
	g.panels, k.Theme, k.MinText, k.Thick = g.savedPanels, g.savedTheme, normalText, 1
	g.setLeastType()
}

// setLeastType sets the least pixel size of text for the mode, in device
// pixels: the floors are what a viewer sees, so on a HiDPI screen (a
// browser at device scale 2) they are that many times larger.
func (g *Game) setLeastType() {
	least := float64(normalPx)
	if g.presenter {
		least = presenterPx
	}
	g.kit.MinPx = least * max(1, g.deviceScale)
}

// normalText is the smallest type otherwise, at 1920×1080.
const normalText = 18

// normalPx is the least pixel size of any text otherwise: a laptop's
// browser window, 1280×577 once its toolbars are drawn, still shows
// 14-pixel type.
const normalPx = 14

// presenterText is the smallest type in presenter mode, at 1920×1080:
// legible from the back of a lecture hall.
const presenterText = 24

// presenterPx is the least pixel size of presenter text on any screen: a
// 1024×768 projector still shows 20-pixel type.
const presenterPx = 20

func (g *Game) notify(msg string) {
	g.message = msg
	g.messageUntil = time.Now().Add(6 * time.Second)
}

// Update reads input, advances playback and updates the scene.
func (g *Game) Update() error {
	if g.opts.Screenshot != "" && g.shotDone {
		if g.shotErr != nil {
			return g.shotErr // RunGame returns it: exit status 1
		}
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
	if capturing&debugui.InputCapturingStateFocus == 0 {
		// Keys typed into a panel's field are not commands.
		g.actions = pressedActions(g.actions[:0])
		g.Do(g.actions...)
	}
	// The pointer's tooltip and highlight; none over a panel, nor in a
	// screenshot, whatever the pointer of the machine making it.
	px, py := ebiten.CursorPosition()
	if capturing != 0 || g.opts.Screenshot != "" {
		px, py = -1, -1
	}
	switch p, ok := g.tour.scene().(pointed); {
	case ok: // a teaching scene with requests to point at (a duel's halves)
		p.Hover(float64(px), float64(py))
	case g.onPlayground() && g.duel != nil:
		g.duel.view.Hover(g.duel.player, float64(px), float64(py))
	case g.onPlayground() && g.stage != nil:
		g.stage.Hover(float64(px), float64(py))
	case g.onPlayground():
		g.playground.Hover(g.player, float64(px), float64(py))
	}
	if capturing == 0 {
		x, y := ebiten.CursorPosition()
		if inpututilMouseJustPressed() {
			g.click(float64(x), float64(y))
		}
		if _, dy := ebiten.Wheel(); dy != 0 && g.onPlayground() {
			if g.duel != nil {
				g.duel.view.Wheel(g.duel.player, float64(x), float64(y), dy)
			} else {
				g.playground.Wheel(g.player, float64(x), float64(y), dy)
			}
		}
	}
	// Ebitengine calls Update at a fixed rate, so animations step by one
	// tick of it: the same motion on every machine, and no clock to read.
	g.Frame(time.Second / time.Duration(ebiten.TPS()))
	return nil
}

// Frame advances the current scene by one frame; tests call it directly.
func (g *Game) Frame(dt time.Duration) {
	g.tour.scene().Layout(g.sceneArea())
	g.tour.scene().Update(dt)
	g.tour.advanceSlide(dt)
	if g.onPlayground() {
		g.curves.update()
	}
}

// pointed is a teaching scene that follows the pointer and clicks.
type pointed interface {
	Hover(x, y float64)
	Click(x, y float64)
}

// onPlayground reports whether the playground is on screen.
func (g *Game) onPlayground() bool { return g.tour.scene() == scenes.Scene(g.pg) }

// click jumps to a scene from the contents strip, or selects a request in
// the playground.
func (g *Game) click(x, y float64) {
	if i := g.contentsHit(x, y); i >= 0 {
		g.goTo(i, 0)
		return
	}
	if p, ok := g.tour.scene().(pointed); ok {
		p.Click(x, y)
		return
	}
	switch {
	case g.onPlayground() && g.duel != nil:
		g.duel.view.Click(g.duel.player, x, y)
	case g.onPlayground() && g.stage != nil:
		g.stage.Click(x, y)
	case g.onPlayground():
		g.playground.Click(g.player, x, y)
	}
}

// screenArea is the screen less the panels on the left when they are
// shown; it sets the drawing scale.
func (g *Game) screenArea() scenes.Rect {
	w, h := float64(max(g.width, 1)), float64(max(g.height, 1))
	area := scenes.Rect{W: w, H: h}
	if g.panels {
		pw := float64(panelWidth * g.uiScale)
		area = scenes.Rect{X: pw, W: w - pw, H: h}
	}
	g.kit.Scale = scenes.ScaleFor(area)
	return area
}

// sceneArea is the screen area under the contents strip.
func (g *Game) sceneArea() scenes.Rect {
	a := g.screenArea()
	strip := g.stripHeight()
	return scenes.Rect{X: a.X, Y: a.Y + strip, W: a.W, H: a.H - strip}
}

// Draw draws the scene, the panels and any message.
func (g *Game) Draw(screen *ebiten.Image) {
	g.drawScene(screen)
	if g.curves.shown && g.onPlayground() && g.duel == nil {
		g.curves.draw(screen, g.kit, g.sceneArea(), g.player.Engine())
	}
	if g.showLink {
		g.drawLink(screen)
	}
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
		g.shotErr = screenshotError(writePNG(g.opts.Screenshot, screen))
	}
	g.frames++
	g.reportState()
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
	g.tour.scene().Layout(g.sceneArea())
	if g.onPlayground() {
		// The area may have changed with the panels hidden: sprites go
		// straight to their places in it.
		g.playground.Settle()
		if g.duel != nil {
			g.duel.view.Settle()
		}
	}
	if s, ok := g.tour.scene().(interface{ Settle() }); ok {
		s.Settle() // a scene with sprites of its own
	}
	g.tour.scene().Update(0)
	g.drawScene(dst)
	g.panels = panels
}

// Scene is the scene on screen, for tests.
func (g *Game) Scene() scenes.Scene { return g.tour.scene() }

// Kit is the drawing kit, for tests that check colours.
func (g *Game) Kit() *render.Kit { return g.kit }

// Playground is the scene, for tests.
func (g *Game) Playground() *scenes.Playground { return g.playground }

// Layout renders at the window's size in device pixels, so text stays sharp
// on HiDPI screens.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	g.width, g.height = int(float64(outsideWidth)*s), int(float64(outsideHeight)*s)
	if s != g.deviceScale {
		g.deviceScale = s
		g.setLeastType()
	}
	return g.width, g.height
}

// CheckScreenshot makes sure, before the window opens, that a -screenshot
// file can be written, so that a bad path is one line at once rather than
// after the first frame. It creates the file if need be, and removes it
// again, so a run that fails later leaves nothing behind.
func CheckScreenshot(name string) error {
	_, statErr := os.Stat(name)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return screenshotError(err)
	}
	f.Close()
	if errors.Is(statErr, fs.ErrNotExist) {
		os.Remove(name)
	}
	return nil
}

// screenshotError words an error saving -screenshot as one line, with the
// path quoted: -screenshot: open "/no/such/dir/x.png": no such file or
// directory.
func screenshotError(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s %q: %v", pe.Op, pe.Path, pe.Err)
	}
	return fmt.Errorf("-screenshot: %v", err)
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
