package sim

import (
	"iter"
	"slices"
)

// A List is read-only access to a list the engine keeps, such as the
// requests decoding or the owner of every VRAM block: it can be read but
// not changed, and it shows the engine as it was when it was taken, until
// the engine next steps. Reading it copies nothing, so a renderer can read
// it every frame.
type List[T any] struct{ s []T }

// Len is the number of items.
func (l List[T]) Len() int { return len(l.s) }

// At is item i.
func (l List[T]) At(i int) T { return l.s[i] }

// All yields every item with its index, in order.
func (l List[T]) All() iter.Seq2[int, T] { return slices.All(l.s) }

// AppendTo appends the items to dst.
func (l List[T]) AppendTo(dst []T) []T { return append(dst, l.s...) }

// Clone copies the items into a new slice, for keeping past the next step.
func (l List[T]) Clone() []T { return slices.Clone(l.s) }

// ListOf is a read-only view of s, for code that draws its own lists the way
// it draws the engine's.
func ListOf[T any](s []T) List[T] { return List[T]{s: s} }

// Slice is items i to j-1, as a List.
func (l List[T]) Slice(i, j int) List[T] { return List[T]{s: l.s[i:j]} }
