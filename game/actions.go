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
	Scene1
	Scene2
	Scene3
	Scene4
	ShowLink
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
	{ebiten.KeyPageDown, NextBeat, "PgDn or Right  next beat (past the last: next scene)", false},
	{ebiten.KeyArrowRight, NextBeat, "", false},
	{ebiten.KeyPageUp, PrevBeat, "PgUp or Left  previous beat", false},
	{ebiten.KeyArrowLeft, PrevBeat, "", false},
	{ebiten.KeyR, SnapBack, "R  snap back to this beat", false},
	{ebiten.KeyDigit1, Scene1, "1 2 3 4  jump to a scene", false},
	{ebiten.KeyDigit2, Scene2, "", false},
	{ebiten.KeyDigit3, Scene3, "", false},
	{ebiten.KeyDigit4, Scene4, "", false},
	{ebiten.KeyNumpad1, Scene1, "", false},
	{ebiten.KeyNumpad2, Scene2, "", false},
	{ebiten.KeyNumpad3, Scene3, "", false},
	{ebiten.KeyNumpad4, Scene4, "", false},
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
	{ebiten.KeyF5, TogglePresenter, "", false},
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
