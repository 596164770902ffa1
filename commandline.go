//go:build !js

// The desktop build: settings from the command line, a window of the size
// it asks for, errors as one line on stderr with the exit status.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/game"
)

// setUp reads the command line and sizes the window. It is false after
// -h, which has printed the usage.
func setUp() (game.Options, bool) {
	opts, win, fullscreen, err := game.ParseFlags(os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return opts, false
	}
	if err != nil {
		fail(badSettings, err)
	}
	if opts.Screenshot != "" {
		if err := game.CheckScreenshot(opts.Screenshot); err != nil {
			fail(badSettings, err)
		}
	}
	ebiten.SetWindowSize(win.W, win.H)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetFullscreen(fullscreen)
	return opts, true
}

// fail prints the error and exits: 2 for what the user can fix by changing
// the command line, 1 for a run that failed.
func fail(why failure, err error) {
	fmt.Fprintln(os.Stderr, "inferplay:", err)
	if why == stopped {
		os.Exit(1)
	}
	os.Exit(2)
}
