package hw

import (
	"slices"
	"strings"
)

// A Catalog is a list of presets found by ID, listed in ID order.
type Catalog[T any] struct {
	Field string // the configuration field it fills, for errors
	Items []T
	ID    func(T) string
}

// All returns a copy of every item, sorted by ID.
func (c Catalog[T]) All() []T {
	out := slices.Clone(c.Items)
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(c.ID(a), c.ID(b)) })
	return out
}

// IDs lists the items' IDs in order.
func (c Catalog[T]) IDs() []string {
	var ids []string
	for _, it := range c.All() {
		ids = append(ids, c.ID(it))
	}
	return ids
}

// Lookup finds an item by ID, or returns a ConfigError listing the valid IDs.
func (c Catalog[T]) Lookup(id string) (T, error) {
	for _, it := range c.Items {
		if c.ID(it) == id {
			return it, nil
		}
	}
	var zero T
	return zero, Unknown(c.Field, id, c.IDs())
}
