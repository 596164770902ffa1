package sim

// An Option changes how an engine is built, not what it simulates: an
// engine built with any options gives the same results as one without.
type Option func(*options)

type options struct {
	noBlockMap bool
}

// WithoutBlockMap builds an engine that counts KV blocks but does not
// place them, for runs that nobody draws. Its decisions depend only on how
// many blocks are free and held, so its results, events and request
// states are those of an engine with the map; VRAMOwners and CPUOwners are
// empty, and a request's block lists have lengths but no blocks. At one
// token per block under overload this is most of the cost of a run: a swap
// moves thousands of blocks, scattered over VRAM in hundreds of runs.
func WithoutBlockMap() Option { return func(o *options) { o.noBlockMap = true } }
