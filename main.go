// Command inferplay is the visual simulator: an Ebitengine window (or, in
// the web build, a page) where LLM requests compete for one GPU. See the
// README for keys and flags.
//
// The same main runs on the desktop and on the web; what differs is where
// the settings come from and where errors go: commandline.go for the
// desktop, webpage_js.go for the browser.
package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/game"
	// Without a display, answers -h and bad flags, and says that a
	// display is needed, before Ebitengine's initialisation would fail.
	_ "inferplay/preflight"
)

// Why the app could not go on, for the platform to report.
type failure int

const (
	badSettings failure = iota // the command line or address cannot be used
	cannotStart                // the settings are valid, the simulator is not
	stopped                    // the simulator stopped with an error
)

func main() {
	opts, ok := setUp()
	if !ok {
		return
	}
	g, err := game.New(opts)
	if err != nil {
		fail(cannotStart, err)
		return
	}
	ebiten.SetWindowTitle("Inference Playground")
	if err := ebiten.RunGame(g); err != nil {
		fail(stopped, err)
	}
}
