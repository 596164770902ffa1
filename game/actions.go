// Package game is the Ebitengine game: it turns input into actions, drives
// the playback of an engine, hosts the debugui panels and draws the scene.
package game

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Action is something the viewer asks for. Game logic consumes actions, so
// tests drive the game without a keyboard.
type Action int

const (
	PlayPause Action = iota
	StepForward
	StepBack
	Slower
	Faster
	Restart
	ToggleFullscreen
	TogglePanels
	UIScaleUp
	UIScaleDown
	SaveScreenshot
	ToggleKeys
	ToggleTheme
	actionCount
)

// binding is one key and what it does, with the words the key legend shows.
type binding struct {
	key    ebiten.Key
	action Action
	label  string
	repeat bool // held down, it repeats
}

// keymap is the one place keys are mapped to actions.
var keymap = []binding{
	{ebiten.KeySpace, PlayPause, "Space  play / pause", false},
	{ebiten.KeyArrowRight, StepForward, "→  one tick forward", true},
	{ebiten.KeyArrowLeft, StepBack, "←  one tick back", true},
	{ebiten.KeyBracketLeft, Slower, "[  slower (down to ¼×)", false},
	{ebiten.KeyBracketRight, Faster, "]  faster (up to 16×)", false},
	{ebiten.KeyHome, Restart, "Home  restart, same seed", false},
	{ebiten.KeyF, ToggleFullscreen, "F  fullscreen", false},
	{ebiten.KeyH, TogglePanels, "H  hide / show panels", false},
	{ebiten.KeyEqual, UIScaleUp, "+  larger panels", false},
	{ebiten.KeyKPAdd, UIScaleUp, "", false},
	{ebiten.KeyMinus, UIScaleDown, "-  smaller panels", false},
	{ebiten.KeyKPSubtract, UIScaleDown, "", false},
	{ebiten.KeyP, SaveScreenshot, "P  save a screenshot", false},
	{ebiten.KeySlash, ToggleKeys, "?  this legend", false},
	{ebiten.KeyT, ToggleTheme, "T  light / dark theme", false},
}

// pressedActions reads the keyboard. Held arrow keys repeat after a delay.
func pressedActions(dst []Action) []Action {
	for _, b := range keymap {
		if inpututil.IsKeyJustPressed(b.key) {
			dst = append(dst, b.action)
			continue
		}
		if b.repeat {
			if d := inpututil.KeyPressDuration(b.key); d > 20 && d%3 == 0 {
				dst = append(dst, b.action)
			}
		}
	}
	return dst
}
