package sim

import "slices"

// Clone returns an independent copy of the engine, for rewinding and for
// exploring another future from the same state. Requests, block maps and
// policy state are copied; the configuration is shared read-only.
func (e *Engine) Clone() *Engine {
	c := *e
	c.policy = e.policy.Clone()
	c.reqs = slices.Clone(e.reqs)
	c.src = e.src.clone()
	for i := range c.reqs {
		// Keep the capacities: the lists were sized for the request's life.
		if b := c.reqs[i].blocks; b != nil {
			c.reqs[i].blocks = append(make([]int32, 0, cap(b)), b...)
		}
		if b := c.reqs[i].cpuBlocks; b != nil {
			c.reqs[i].cpuBlocks = append(make([]int32, 0, cap(b)), b...)
		}
	}
	c.prefilling = slices.Clone(e.prefilling)
	c.chunks = slices.Clone(e.chunks)
	c.decoding = slices.Clone(e.decoding)
	c.swapped = slices.Clone(e.swapped)
	c.paused = slices.Clone(e.paused)
	c.order, c.victims = nil, nil
	c.transfers = slices.Clone(e.transfers)
	c.vram = e.vram.clone()
	c.cpu = e.cpu.clone()
	c.events = make([]Event, 0, cap(e.events))
	return &c
}
