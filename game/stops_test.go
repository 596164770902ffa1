package game

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/settings"
	"inferplay/sim"
)

// The tour's one list drives the rest: its scenes are settings.Scenes in
// order, each tab is numbered as its key, and the digit keys 1, 2, ... on
// the top row and the keypad enter scenes 1, 2, ...
func TestTheTourListDrivesKeysTabsAndNames(t *testing.T) {
	g := newGame(t, mustConfig(t), 0)
	if len(g.stops) != len(settings.Scenes) {
		t.Fatalf("%d stops, %d scene names", len(g.stops), len(settings.Scenes))
	}
	for i, s := range g.stops {
		if s.scene.Name() != settings.Scenes[i] {
			t.Fatalf("stop %d is %q, settings.Scenes says %q", i, s.scene.Name(), settings.Scenes[i])
		}
		if !strings.HasPrefix(s.tab, strconv.Itoa(i+1)+"  ") {
			t.Fatalf("tab %q is not numbered %d", s.tab, i+1)
		}
		for _, key := range []ebiten.Key{ebiten.KeyDigit1 + ebiten.Key(i), ebiten.KeyNumpad1 + ebiten.Key(i)} {
			if !slices.ContainsFunc(keymap, func(b binding) bool { return b.key == key && b.action == Scene1+Action(i) }) {
				t.Fatalf("key %v does not enter scene %d", key, i+1)
			}
		}
		g.Do(Scene1 + Action(i))
		if g.tour.cur != i {
			t.Fatalf("Scene1+%d entered scene %d", i, g.tour.cur)
		}
	}
	if want := "Digit" + strconv.Itoa(len(g.stops)); (ebiten.KeyDigit1 + ebiten.Key(len(g.stops)-1)).String() != want {
		t.Fatalf("the digit keys are not in order: %v", ebiten.KeyDigit1+ebiten.Key(len(g.stops)-1))
	}
	g.Do(Scene1 + maxSceneKeys - 1) // past the tour's end: nothing happens
	if g.tour.cur != len(g.stops)-1 {
		t.Fatalf("a scene key past the tour moved it to %d", g.tour.cur)
	}
}

func mustConfig(t *testing.T) sim.Config {
	t.Helper()
	c, err := settings.BaseConfig("mixed")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
