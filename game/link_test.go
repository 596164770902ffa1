package game

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// sceneKey is the number key of a scene of the tour.
func sceneKey(name string) Action { return Scene1 + Action(slices.Index(sceneNames, name)) }

// A link reopens the view it was taken from: the same scene, beat, policy,
// seed and presenter mode.
func TestLinkReopensTheView(t *testing.T) {
	open := func(query string) *Game {
		t.Helper()
		opts, err := ParseQuery(query)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		opts.Width, opts.Height = 1920, 1080
		g, err := New(opts)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		return g
	}
	same := func(a, b State) bool {
		a.Frames, b.Frames = 0, 0
		return a == b
	}
	views := []func(g *Game){
		func(g *Game) {},
		func(g *Game) { g.Do(NextBeat, NextBeat) },
		func(g *Game) { g.Do(Scene1+2, NextBeat, NextPolicy, NextPolicy) },
		func(g *Game) { g.Do(Scene1+1, TogglePresenter, NextBeat) },
		func(g *Game) { g.Do(sceneKey("batching"), NextBeat) },
		func(g *Game) { g.Do(sceneKey("playground"), NextBeat) },
		func(g *Game) {
			g.Do(sceneKey("playground"))
			p := &g.panel
			p.scenario, p.seed = 0, 7 // chatbot, seed 7
			p.scheduler = 2
			g.apply()
		},
	}
	for i, view := range views {
		g := tourGame(t, "prompt", 0)
		view(g)
		want := g.State()
		got := open(want.Link).State()
		if !same(got, want) {
			t.Errorf("view %d: link %q opens %+v, want %+v", i, want.Link, got, want)
		}
		if !strings.HasPrefix(want.Link, "scene="+want.Scene) {
			t.Errorf("view %d: link %q does not start with its scene", i, want.Link)
		}
	}
}

// The address's parameters are the flags: a bad value gives the same error
// either way, and desktop-only or unknown parameters are refused by name.
func TestQueryErrorsAreTheFlags(t *testing.T) {
	for _, c := range []struct{ query, flags string }{
		{"scene=lobby", "-scene=lobby"},
		{"seed=abc", "-seed=abc"},
		{"scheduler=lifo", "-scheduler=lifo"},
		{"beat=0", "-beat=0"},
		{"scene=playground&model=llama3-70b&gpu=l4", "-scene=playground -model=llama3-70b -gpu=l4"},
	} {
		_, qerr := ParseQuery(c.query)
		_, _, _, ferr := ParseFlags(strings.Fields(c.flags), io.Discard)
		if qerr == nil || ferr == nil || qerr.Error() != ferr.Error() {
			t.Errorf("%q: query error %v, flag error %v", c.query, qerr, ferr)
		}
	}
	for _, q := range []string{"window=800x600", "fullscreen=1", "colour=red", "%zz"} {
		_, err := ParseQuery(q)
		if err == nil {
			t.Errorf("%q: no error", q)
			continue
		}
		if name, _, _ := strings.Cut(q, "="); q != "%zz" && !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("%q: %v does not name the parameter", q, err)
		}
	}
	opts, err := ParseQuery("?scene=contention&scheduler=mlfq&seed=7&presenter=1")
	if err != nil || opts.Scene != "contention" || opts.Policy != "mlfq" || opts.Config.Seed != 7 || !opts.Presenter {
		t.Errorf("good query: %+v, %v", opts, err)
	}
}
