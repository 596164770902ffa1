// The web build: the page's loader (web/index.html) starts this module,
// which reads the settings from the address, reports what is on screen so
// that the address bar follows it, and says on the page what went wrong.
package main

import (
	"encoding/json"
	"syscall/js"

	"inferplay/game"
)

// page is the loader's hooks: fail(title, message) and state(json).
var page = js.Global().Get("inferplay")

// setUp reads the settings from the page's address and sizes the scene to
// the window.
func setUp() (game.Options, bool) {
	loc := js.Global().Get("location")
	opts, err := game.ParseQuery(loc.Get("search").String())
	if err != nil {
		fail(badSettings, err)
		return opts, false
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
	return opts, true
}

// fail shows the error on the page, under a title that says which step
// failed.
func fail(why failure, err error) {
	title := map[failure]string{
		badSettings: "This link has a setting the simulator cannot use",
		cannotStart: "The simulator cannot start",
		stopped:     "The simulator stopped",
	}[why]
	page.Call("fail", title, err.Error())
}
