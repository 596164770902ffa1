package game

import (
	"errors"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// The tests need a running Ebitengine loop (images can be read back only
// inside it), so TestMain starts one and runs the tests from its first
// Update. `make test` provides a display through Xvfb.
type testRunner struct {
	m    *testing.M
	code int
}

var errDone = errors.New("tests done")

func (r *testRunner) Update() error {
	r.code = r.m.Run()
	return errDone
}

func (r *testRunner) Draw(*ebiten.Image)         {}
func (r *testRunner) Layout(int, int) (int, int) { return 320, 240 }

func TestMain(m *testing.M) {
	r := &testRunner{m: m}
	ebiten.SetWindowSize(320, 240)
	if err := ebiten.RunGame(r); err != nil && !errors.Is(err, errDone) {
		panic(err)
	}
	os.Exit(r.code)
}
