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
		c.reqs[i].blocks = c.reqs[i].blocks.clone()
		c.reqs[i].cpuBlocks = c.reqs[i].cpuBlocks.clone()
	}
	c.prefilling = slices.Clone(e.prefilling)
	c.chunks = slices.Clone(e.chunks)
	c.decoding = slices.Clone(e.decoding)
	c.swapped = slices.Clone(e.swapped)
	c.members = slices.Clone(e.members)
	c.paused = slices.Clone(e.paused)
	c.order, c.victims = nil, nil
	c.transfers = slices.Clone(e.transfers)
	c.peer.sends = slices.Clone(e.peer.sends)
	c.peer.sent = slices.Clone(e.peer.sent)
	c.peer.landed = slices.Clone(e.peer.landed)
	c.vram = e.vram.clone()
	c.cpu = e.cpu.clone()
	c.cache = e.cache.clone()
	c.tier = e.tier.clone()
	c.stores = slices.Clone(e.stores)
	c.storeSets = slices.Clone(e.storeSets) // each set is never changed once made
	c.events = make([]Event, 0, cap(e.events))
	return &c
}
