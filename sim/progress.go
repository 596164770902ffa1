package sim

import "slices"

// The progress guarantee. Preemption makes room for one request by setting
// another back; without rules it can set the same requests back for ever
// (two prompts that VRAM cannot hold together, each swapped out to let the
// other in). The engine enforces, for every policy and preemption mode:
//
//  1. A request that has come back (swapped in, or started again after its
//     cache was dropped) is not preempted again before its next token, and
//     one preempted maxPreempted times is not preempted again, unless
//     nobody else can make room.
//  2. A prompt that outranks running work (Preemptor) takes a request's
//     VRAM at most maxOutranked times; after that the request keeps it,
//     and the prompt waits for room as any other. A swapped request whose
//     room such a prompt is waiting for stays out until the prompt starts.
//  3. When VRAM is short and the victim's cache is dropped rather than
//     swapped, a prompt under way is a candidate too, and the resident
//     request admitted first is never chosen while another can be: it
//     always progresses, so the run always ends.
//  4. A request whose cache was dropped starts again only when VRAM holds
//     all it must prefill again.
//
// Every request is then preempted a bounded number of times for each
// request that shares VRAM with it, and every run ends with every request
// completed or rejected.

// maxOutranked bounds how often a request gives its VRAM to prompts that
// outrank it.
const maxOutranked = 2

// mandatoryVictims are the candidates a preemption that must happen (VRAM
// cannot hold the running requests' next tokens) chooses from: those that
// have made progress since they came back and have been preempted fewer
// than maxPreempted times, less, when the victim's cache is dropped, the
// first-come one. When that leaves none, the limit on preemptions goes
// first, then the rest.
func (e *Engine) mandatoryVictims(candidates []int, drop bool) []int {
	first := -1
	if drop {
		first = e.firstAdmitted(candidates)
	}
	for _, limit := range []bool{true, false} {
		e.victims = e.victims[:0]
		for _, id := range candidates {
			r := &e.reqs[id]
			if !r.returned && id != first && !(limit && r.Evictions+r.Drops >= maxPreempted) {
				e.victims = append(e.victims, id)
			}
		}
		if len(e.victims) > 0 {
			return e.victims
		}
	}
	return candidates
}

// maxPreempted is how often a request may be preempted while another
// candidate has been preempted less.
const maxPreempted = 4

// mayOutrank reports whether a prompt that outranks a running request may
// take its VRAM: not when the request has just come back, nor when it has
// given way maxOutranked times already.
func (e *Engine) mayOutrank(id int) bool {
	r := &e.reqs[id]
	return !r.returned && r.outranked < maxOutranked
}

// waitsForOutranking reports whether a swapped request must stay out: the
// first new prompt in the policy's order outranks it and could take its
// VRAM back at once, so bringing it in would only send it out again.
func (e *Engine) waitsForOutranking(id int) bool {
	pre, ok := e.policy.(Preemptor)
	if !ok || !e.mayOutrank(id) {
		return false
	}
	for i := 0; ; i++ {
		w, ok := e.orderAt(i)
		if !ok {
			break
		}
		if !e.queued(w) || e.reqs[w].KVTokens > 0 {
			continue
		}
		return pre.Outranks(w, id, e.view())
	}
	return false
}

// dropCandidates are the resident requests a classic-model preemption by
// recomputation chooses from: decoding requests and prompts under way, in
// arrival order, less the first admitted unless it is alone.
func (e *Engine) dropCandidates() []int {
	e.victims = append(e.victims[:0], e.decoding...)
	for _, id := range e.prefilling {
		if r := &e.reqs[id]; r.State == Prefill && r.KVTokens > 0 {
			e.victims = insertSorted(e.victims, id)
		}
	}
	for _, id := range e.paused {
		e.victims = insertSorted(e.victims, id)
	}
	if len(e.victims) > 1 {
		i := slices.Index(e.victims, e.firstAdmitted(e.victims))
		e.victims = slices.Delete(e.victims, i, i+1)
	}
	return e.victims
}

// firstAdmitted is the candidate that started prefilling first (of its
// latest starts).
func (e *Engine) firstAdmitted(candidates []int) int {
	first := candidates[0]
	for _, id := range candidates[1:] {
		if e.reqs[id].admitted < e.reqs[first].admitted {
			first = id
		}
	}
	return first
}
