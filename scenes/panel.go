package scenes

import (
	"slices"

	"github.com/ebitengine/debugui"

	"inferplay/sim"
)

// A Paneled scene brings its own setup panel: the app draws it on the left
// while the scene is on screen. Adding a scene with a panel touches only
// scenes/ and the tour's one list.
type Paneled interface {
	Panel(ctx *debugui.Context)
}

// PanelWidth is the panels' width at UI scale 1; the scene makes room for
// them when they are shown.
const PanelWidth = 210

// PanelHeight is the height of a scene's setup panel; the playback panel
// sits below it.
const PanelHeight = 404

// The dropdowns' entries: the IDs of the presets the engine knows.
var (
	ModelIDs     = IDs(sim.Models(), func(m sim.Model) string { return m.ID })
	GPUIDs       = IDs(sim.GPUs(), func(g sim.GPU) string { return g.ID })
	PrecisionIDs = IDs(sim.Precisions(), func(p sim.Precision) string { return p.ID })
)

// Entry is the dropdown index of an ID, or the first entry when the ID is
// not in the list.
func Entry(options []string, id string) int { return max(0, slices.Index(options, id)) }

// IDs lists each item's ID, in order.
func IDs[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}
