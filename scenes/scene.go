package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
)

// Scene is one stop of the guided tour. A scene is split into beats: each
// beat sets the parameters, playback position, highlights and caption it
// needs, so that a lecturer's clicker walks through the story and one key
// restores a beat after changes by hand.
type Scene interface {
	Name() string  // the -scene value
	Title() string // shown large at the top
	Intro() string // two to four sentences under the title
	// Beats are the beats' captions, in order.
	Beats() []string
	// SetBeat enters beat i (0-based) from scratch.
	SetBeat(i int)
	// Beat is the beat last entered.
	Beat() int
	// Transport is what the playback keys act on, or nil when nothing
	// plays.
	Transport() Transport
	// Layout places the scene in an area of the screen; it changes
	// nothing else, so a scene sliding out can be laid out again.
	Layout(area Rect)
	// Update advances the scene by one frame.
	Update(dt time.Duration)
	Draw(dst *ebiten.Image)
	// Status is the seed and the policy in force, always on screen.
	Status() string
}

// about is what a scene says of itself: its -scene name, title and
// introduction. Scenes embed it to answer Name, Title and Intro.
type about struct{ name, title, intro string }

func (a about) Name() string  { return a.name }
func (a about) Title() string { return a.title }
func (a about) Intro() string { return a.intro }

// Chrome is the part of a teaching scene's screen that every scene shares:
// the title and introduction above, the beat's caption below.
type Chrome struct {
	Header, Body, Caption Rect
}

// captionSize and introSize are the type sizes of the story text, at
// 1920×1080: large enough for the back of a hall.
const (
	titleSize   = 44
	introSize   = 26
	captionSize = 28
)

// layoutChrome splits an area into header, body and caption.
func layoutChrome(k *render.Kit, s Scene, a Rect) Chrome {
	pad := k.Px(24)
	introLines := len(k.Wrap(s.Intro(), a.W-2*pad, introSize, false))
	headerH := k.Px(16) + k.LineHeight(titleSize) + float64(min(introLines, 3))*k.LineHeight(introSize) + k.Px(8)
	captionH := BeatCaptionHeight(k)
	c := Chrome{
		Header:  Rect{a.X, a.Y, a.W, headerH},
		Caption: Rect{a.X + pad, a.Y + a.H - captionH - k.Px(12), a.W - 2*pad, captionH},
	}
	c.Body = Rect{a.X + pad, a.Y + headerH + k.Px(8), a.W - 2*pad, c.Caption.Y - k.Px(16) - (a.Y + headerH + k.Px(8))}
	return c
}

// drawChrome draws the title, the introduction and the beat's caption.
func drawChrome(dst *ebiten.Image, k *render.Kit, s Scene, c Chrome) {
	t := k.Theme
	pad := k.Px(24)
	y := c.Header.Y + k.Px(12)
	k.Text(dst, s.Title(), c.Header.X+pad, y, titleSize, true, t.Text, render.Left)
	y += k.LineHeight(titleSize)
	k.Paragraph(dst, s.Intro(), c.Header.X+pad, y, c.Header.W-2*pad, introSize, false, t.TextDim, 3)

	DrawBeatCaption(dst, k, c.Caption, s.Beats(), s.Beat())
	if ch, ok := s.(interface{ Changed() bool }); ok && ch.Changed() {
		// The caption tells the beat's story; say when the screen no
		// longer shows it.
		r := c.Caption
		k.Text(dst, "changed by hand · R restores this beat", r.X+r.W-k.Px(16), r.Y+r.H-k.LineHeight(20)-k.Px(4),
			20, true, t.Warning, render.Right)
	}
}

// BeatCaptionHeight is the height of the beat's caption box.
func BeatCaptionHeight(k *render.Kit) float64 { return 3*k.LineHeight(captionSize) + k.Px(24) }

// DrawBeatCaption draws beat i's caption in a box, numbered "2/4".
func DrawBeatCaption(dst *ebiten.Image, k *render.Kit, r Rect, beats []string, i int) {
	t := k.Theme
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Frame(dst, r.X, r.Y, r.W, r.H, k.Px(3), t.Accent)
	if i < 0 || i >= len(beats) {
		return
	}
	tag := fmt.Sprintf("%d/%d", i+1, len(beats))
	k.Text(dst, tag, r.X+k.Px(18), r.Y+k.Px(12), captionSize, true, t.Accent, render.Left)
	tx := r.X + k.Px(36) + k.TextWidth("00/00", captionSize, true)
	k.Paragraph(dst, beats[i], tx, r.Y+k.Px(12), r.X+r.W-k.Px(18)-tx, captionSize, false, t.Text, 3)
}

// drawTeaching draws a teaching scene: its title, introduction and
// caption, then its body, or in its place why its setup cannot run.
func drawTeaching(dst *ebiten.Image, k *render.Kit, s Scene, c Chrome, err string, body func(*ebiten.Image)) {
	drawChrome(dst, k, s, c)
	if err != "" {
		drawError(dst, k, c.Body, err)
		return
	}
	body(dst)
}

// drawError shows why a setup cannot run, in place of the run.
func drawError(dst *ebiten.Image, k *render.Kit, r Rect, msg string) {
	t := k.Theme
	w := min(r.W, k.Px(1200))
	x := r.X + (r.W-w)/2
	lines := k.Wrap(msg, w-k.Px(48), 26, false)
	h := k.Px(80) + float64(len(lines))*k.LineHeight(26)
	y := r.Y + (r.H-h)/2
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, k.Px(4), t.Warning)
	k.Text(dst, "This setup cannot run", x+k.Px(24), y+k.Px(16), 30, true, t.Warning, render.Left)
	k.Paragraph(dst, msg, x+k.Px(24), y+k.Px(60), w-k.Px(48), 26, false, t.Text, 0)
}
