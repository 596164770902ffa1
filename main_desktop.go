//go:build !js

// Command inferplay is the visual simulator: an Ebitengine window where LLM
// requests compete for one GPU. See the README for keys and flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/game"
)

func main() {
	opts, win, fullscreen, err := game.ParseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "inferplay:", err)
		os.Exit(2)
	}
	g, err := game.New(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inferplay:", err)
		os.Exit(2)
	}
	ebiten.SetWindowTitle("Inference Playground")
	ebiten.SetWindowSize(win.W, win.H)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetFullscreen(fullscreen)
	if err := ebiten.RunGame(g); err != nil {
		fmt.Fprintln(os.Stderr, "inferplay:", err)
		os.Exit(1)
	}
}
