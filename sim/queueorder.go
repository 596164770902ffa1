package sim

// The policy's order is read lazily: an iteration reads the queue from its
// head until the batch is full, and a policy that is a Header builds only
// that much of it, so an iteration's cost does not grow with the queue.
// Within one planning pass the order read is a snapshot: the head is
// extended only while the policy is unchanged, and a pass that is about to
// change the policy (dropping a paused prompt's cache) reads all of it
// first.

// firstHead is how much of the order a pass reads first; it doubles each
// time a pass needs more.
const firstHead = 32

// readOrder starts a pass: e.order holds the first n of the policy's order,
// or all of it for n < 0 or a policy that is not a Header.
func (e *Engine) readOrder(n int) {
	h, ok := e.policy.(Header)
	if !ok || n < 0 {
		e.order = e.policy.Order(e.order[:0], e.view())
		e.orderWhole = true
		return
	}
	e.order = h.Head(e.order[:0], n, e.view())
	e.orderWhole = len(e.order) < n
}

// orderAt is the i-th request of the order read, extending the head as
// needed; false past the end of the queue.
func (e *Engine) orderAt(i int) (int, bool) {
	for i >= len(e.order) && !e.orderWhole {
		e.readOrder(max(2*len(e.order), firstHead))
	}
	if i >= len(e.order) {
		return 0, false
	}
	return e.order[i], true
}

// wholeOrder makes sure e.order holds all of the order read.
func (e *Engine) wholeOrder() {
	if !e.orderWhole {
		e.readOrder(-1)
	}
}
