//go:build js

// The web build: the page's loader (web/index.html) starts this module,
// which reads the settings from the address, reports what is on screen so
// that the address bar follows it, and says on the page what went wrong.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/game"
)

func main() {
	page := js.Global().Get("inferplay") // the loader's hooks: fail(message), state(json)
	loc := js.Global().Get("location")
	opts, err := game.ParseQuery(loc.Get("search").String())
	if err != nil {
		page.Call("fail", "This link has a setting the simulator cannot use", err.Error())
		return
	}
	opts.LinkBase = loc.Get("origin").String() + loc.Get("pathname").String()
	win := js.Global().Get("window")
	dpr := win.Get("devicePixelRatio").Float()
	opts.Width = int(win.Get("innerWidth").Float() * dpr)
	opts.Height = int(win.Get("innerHeight").Float() * dpr)
	opts.OnState = func(s game.State) {
		b, err := json.Marshal(s)
		if err == nil {
			page.Call("state", string(b))
		}
	}
	g, err := game.New(opts)
	if err != nil {
		page.Call("fail", "The simulator cannot start", err.Error())
		return
	}
	ebiten.SetWindowTitle("Inference Playground")
	if err := ebiten.RunGame(g); err != nil {
		page.Call("fail", "The simulator stopped", err.Error())
	}
}
