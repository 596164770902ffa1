package sim

import (
	"slices"
	"strings"
)

// catalog is a list of presets found by ID, listed in ID order.
type catalog[T any] struct {
	field string // the configuration field it fills, for errors
	items []T
	id    func(T) string
}

// all returns a copy of every item, sorted by ID.
func (c catalog[T]) all() []T {
	out := slices.Clone(c.items)
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(c.id(a), c.id(b)) })
	return out
}

func (c catalog[T]) ids() []string {
	var ids []string
	for _, it := range c.all() {
		ids = append(ids, c.id(it))
	}
	return ids
}

// lookup finds an item by ID, or returns a ConfigError listing the valid IDs.
func (c catalog[T]) lookup(id string) (T, error) {
	for _, it := range c.items {
		if c.id(it) == id {
			return it, nil
		}
	}
	var zero T
	return zero, unknown(c.field, id, c.ids())
}
