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
	NextBeat
	PrevBeat
	SnapBack
	TogglePresenter
	NextPolicy
	ShowLink
	ToggleCurves
	// Scene1 + i enters the tour's scene i+1 (keys 1 to 9), for as many
	// scenes as the tour has.
	Scene1
	actionCount = Scene1 + maxSceneKeys
)

// maxSceneKeys is how many scenes have a digit key.
const maxSceneKeys = 9

// binding is one key and what it does, with the words the key legend shows.
type binding struct {
	key    ebiten.Key
	action Action
	label  string
	repeat bool // held down, it repeats
}

// keymap is the one place keys are mapped to actions.
var keymap = []binding{
	{ebiten.KeyPageDown, NextBeat, "PgDn or Right  next beat (past the last: next scene)", false},
	{ebiten.KeyArrowRight, NextBeat, "", false},
	{ebiten.KeyPageUp, PrevBeat, "PgUp or Left  previous beat", false},
	{ebiten.KeyArrowLeft, PrevBeat, "", false},
	{ebiten.KeyR, SnapBack, "R  snap back to this beat", false},
	{ebiten.KeyDigit1, Scene1, "1 to 9  jump to a scene", false},
	{ebiten.KeyS, NextPolicy, "S  next policy (contention scene)", false},
	{ebiten.KeySpace, PlayPause, "Space  play / pause", false},
	{ebiten.KeyPeriod, StepForward, ".  one step forward", true},
	{ebiten.KeyComma, StepBack, ",  one step back", true},
	{ebiten.KeyBracketLeft, Slower, "[  slower (down to 0.25×)", false},
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
	{ebiten.KeyM, TogglePresenter, "M or F5  presenter mode", false},
	{ebiten.KeyL, ShowLink, "L  the link to this view", false},
	{ebiten.KeyC, ToggleCurves, "C  curves: this setup from ¼ to twice its load (playground)", false},
	{ebiten.KeyF5, TogglePresenter, "", false},
}

// The digit keys, top row and keypad, enter the scenes.
func init() {
	for i := range maxSceneKeys {
		if i > 0 {
			keymap = append(keymap, binding{ebiten.KeyDigit1 + ebiten.Key(i), Scene1 + Action(i), "", false})
		}
		keymap = append(keymap, binding{ebiten.KeyNumpad1 + ebiten.Key(i), Scene1 + Action(i), "", false})
	}
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
