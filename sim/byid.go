package sim

// byID is a table keyed by request ID. IDs count up from 0 and every
// request gets one, so a slice indexed by ID looks one up in a step where a
// map would hash; a policy consults its table for every request in every
// iteration.
type byID[T any] struct {
	v  []T
	ok []bool
}

func (t *byID[T]) get(id int) (T, bool) {
	if id < 0 || id >= len(t.v) || !t.ok[id] {
		var zero T
		return zero, false
	}
	return t.v[id], true
}

// at is the entry for id, or the zero value.
func (t *byID[T]) at(id int) T {
	v, _ := t.get(id)
	return v
}

func (t *byID[T]) set(id int, v T) {
	for id >= len(t.v) {
		var zero T
		t.v, t.ok = append(t.v, zero), append(t.ok, false)
	}
	t.v[id], t.ok[id] = v, true
}

func (t *byID[T]) del(id int) {
	if id >= 0 && id < len(t.v) {
		var zero T
		t.v[id], t.ok[id] = zero, false
	}
}

func (t byID[T]) clone() byID[T] {
	return byID[T]{v: append([]T(nil), t.v...), ok: append([]bool(nil), t.ok...)}
}
