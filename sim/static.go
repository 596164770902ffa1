package sim

import "slices"

// The static batcher forms a batch only when the GPU is free: up to
// MaxRunning requests, in the policy's order, whose whole prompts fit in
// VRAM. No request joins until every member has finished, so the slots of
// members that finished early sit idle while the longest decodes on: the
// waste that continuous batching, which refills slots every iteration,
// removes. Members prefill within the token budget and decode together;
// a member preempted by recomputation prefills again within its batch.
// Decodes, preemption and swaps are the continuous batcher's.

// planStatic forms the iteration's prompt chunks, for the batch's members
// only, with free VRAM blocks and budget tokens left after the decodes.
func (e *Engine) planStatic(free, budget int) {
	e.members = slices.DeleteFunc(e.members, func(id int) bool {
		st := e.reqs[id].State
		return st == Done || st == Rejected
	})
	if len(e.members) == 0 && len(e.decoding) == 0 && len(e.swapped) == 0 && len(e.transfers) == 0 {
		e.formBatch(free)
	}
	e.chunks = e.chunks[:0]
	for _, id := range e.members {
		if budget <= 0 {
			break
		}
		if !e.queued(id) {
			continue // decoding, swapped or on the link
		}
		r := &e.reqs[id]
		tokens := r.Remaining()
		if !e.cfg.WholePrompts {
			tokens = min(tokens, budget)
		} else if tokens > budget && len(e.chunks) > 0 {
			break // a whole prompt over the budget runs only alone
		}
		tokens = e.fitTokens(r, tokens, free)
		if tokens <= 0 || (e.cfg.WholePrompts && tokens < r.Remaining()) {
			break
		}
		need := e.growthBlocks(r, tokens)
		if tokens == r.Remaining() {
			need = e.growthBlocks(r, tokens+1)
		}
		free -= need
		budget -= tokens
		e.chunks = append(e.chunks, Chunk{Req: id, Tokens: tokens})
	}
	e.settlePrefilling()
}

// formBatch takes the next batch from the head of the policy's order: as
// many requests as MaxRunning allows whose whole prompts fit in free VRAM,
// stopping at the first that does not (later ones must not overtake it).
func (e *Engine) formBatch(free int) {
	e.readOrder(firstHead)
	for i := 0; len(e.members) < e.cfg.MaxRunning; i++ {
		id, ok := e.orderAt(i)
		if !ok {
			break
		}
		if !e.queued(id) {
			continue
		}
		whole := e.promptBlocksLeft(&e.reqs[id])
		if whole > free {
			break
		}
		free -= whole
		e.members = append(e.members, id)
	}
}
