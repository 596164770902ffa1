package scenes

import (
	"testing"

	"inferplay/render"
)

// testKit is a drawing kit in the dark theme, for a scene under test.
func testKit(t testing.TB) *render.Kit {
	t.Helper()
	kit, err := render.NewKit(render.Dark())
	if err != nil {
		t.Fatal(err)
	}
	return kit
}
