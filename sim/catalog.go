package sim

import "inferplay/sim/hw"

// catalog is a list of presets found by ID (hw.Catalog): the engine's own
// lists, of timing models, batchers and policies, are catalogs too.
type catalog[T any] = hw.Catalog[T]
