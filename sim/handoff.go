package sim

import (
	"fmt"
	"slices"
	"time"
)

// Disaggregated prefill and decode (DistServe, Splitwise): prompts run on
// prefill replicas and every output token on decode replicas, so that a
// long prompt never stalls anyone's next token. A prefill replica's
// request (SubmitPrefill) ends when its prompt is prefilled: its KV goes
// over the interconnect to a decode replica, and its VRAM is freed only
// when the last byte has left. The decode replica's request
// (SubmitHandoff) arrives when the KV has landed; it waits for VRAM to
// hold it, joins the running batch with its prompt's KV in place, and
// produces every output token, the first included: the prefill replica's
// last logits are not streamed, as in vLLM's disaggregated serving, so the
// first token waits for the copy.

// Send is one prompt's KV on its way from a prefill replica.
type Send struct {
	Req    int           // the request's ID on the prefill replica
	Bytes  int64         // its whole KV, cached prefix included
	Queued time.Duration // when the prompt ended
	Start  time.Duration // when the link starts the copy
	End    time.Duration // when the last byte lands, latency included
}

// Handoff is what a decode replica is told of a request prefilled
// elsewhere: when it joined and started there, what its prefix cache
// spared, and the copy of its KV.
type Handoff struct {
	JoinedAt, PrefillStartAt      time.Duration
	CachedTokens, CPUCachedTokens int
	Send                          Send
}

// HandoffOf is the handoff of request id of a prefill replica, whose KV
// copy is s.
func (e *Engine) HandoffOf(s Send) Handoff {
	r := &e.reqs[s.Req]
	return Handoff{JoinedAt: r.JoinedAt, PrefillStartAt: r.PrefillStartAt,
		CachedTokens: r.CachedTokens, CPUCachedTokens: r.CPUCachedTokens, Send: s}
}

// peerSide is an engine's part in a disaggregated cluster.
type peerSide struct {
	egress  link          // to the decode replicas, if it prefills for them
	latency time.Duration // of every copy out
	sending bool          // whether SendKVOver was called
	sends   []Send        // copies in flight, in the order issued (and ending)
	sent    []Send        // copies issued since the driver last took them
	// landed are the requests whose KV has arrived, waiting for VRAM to
	// hold it, in arrival order.
	landed []int
}

// SendKVOver makes the engine a prefill replica whose prompts' KV leaves
// over ic (see SubmitPrefill).
func (e *Engine) SendKVOver(ic Interconnect) {
	e.peer.egress = link{bw: ic.Bandwidth(&e.cfg) * float64(e.cfg.GPUs())}
	e.peer.latency = ic.Latency
	e.peer.sending = true
}

// SubmitPrefill gives a prefill replica a request to prefill and send on:
// as Submit, but the request ends (Sent) when its KV has left. It is
// rejected if the whole request, output included, could never fit, since
// no decode replica of the same configuration could hold it either.
func (e *Engine) SubmitPrefill(s Spec) (int, error) {
	if !e.peer.sending {
		return 0, fmt.Errorf("submit: this engine sends no KV (SendKVOver first)")
	}
	id, err := e.Submit(s)
	if err == nil {
		e.reqs[id].sendOnly = true
	}
	return id, err
}

// TakeSent returns the copies issued since it was last called, in the
// order issued; the slice is reused by the next iteration.
func (e *Engine) TakeSent() []Send {
	sent := e.peer.sent
	e.peer.sent = e.peer.sent[:0]
	return sent
}

// SubmitHandoff gives a decode replica a request prefilled elsewhere,
// whose KV landed at h.Send.End; s is the request as the client sent it.
// The request arrives then (Arrival is when the KV landed) and keeps the
// prefill replica's times, so that its latencies run from the client's
// arrival.
func (e *Engine) SubmitHandoff(s Spec, h Handoff) (int, error) {
	sentAt := s.Arrival
	s.Arrival = h.Send.End
	id, err := e.Submit(s)
	if err != nil {
		return 0, err
	}
	r := &e.reqs[id]
	r.handed, r.sentAt = true, sentAt
	r.JoinedAt, r.PrefillStartAt = h.JoinedAt, h.PrefillStartAt
	r.CachedTokens, r.CPUCachedTokens = h.CachedTokens, h.CPUCachedTokens
	r.KVBytes, r.KVWait = h.Send.Bytes, h.Send.End-h.Send.Queued
	return id, nil
}

// send starts the copy of a prefilled prompt's KV to a decode replica.
func (e *Engine) send(r *Request) {
	e.policy.Remove(r.ID)
	e.prefilling = slices.DeleteFunc(e.prefilling, func(x int) bool { return x == r.ID })
	if obs, ok := e.policy.(Observer); ok {
		obs.Finished(r.ID)
	}
	r.State = Sending
	bytes := int64(e.blocksFor(r.KVTokens)) * e.blockBytes
	start, end := e.peer.egress.copy(e.tickEnd, bytes)
	s := Send{Req: r.ID, Bytes: bytes, Queued: e.tickEnd, Start: start, End: end + e.peer.latency}
	r.KVBytes, r.KVWait = s.Bytes, s.End-s.Queued
	e.peer.sends = append(e.peer.sends, s)
	e.peer.sent = append(e.peer.sent, s)
	e.emit(Event{Kind: EvKVSend, Req: r.ID, Bytes: bytes, At: start, Dur: s.End - start})
}

// finishSends frees the VRAM of every prompt whose KV has left by now.
func (e *Engine) finishSends() {
	n := 0
	for _, s := range e.peer.sends {
		if s.End > e.now {
			break // copies end in the order issued
		}
		n++
		r := &e.reqs[s.Req]
		e.releaseVRAM(r)
		r.blocks = BlockList{}
		r.KVTokens = 0
		r.State = Sent
		r.CompletionTick, r.CompletedAt = e.tick, s.End
		e.stats.finished++
		e.emit(Event{Kind: EvKVSent, Req: s.Req, Bytes: s.Bytes, At: s.End})
	}
	e.peer.sends = slices.Delete(e.peer.sends, 0, n)
}

// land puts a request whose KV has arrived in line for VRAM.
func (e *Engine) land(r *Request) {
	r.State = Waiting
	r.PrefillStartTick = e.tick // it started, elsewhere
	e.peer.landed = append(e.peer.landed, r.ID)
	e.emit(Event{Kind: EvArrived, Req: r.ID})
}

// admitLanded lets requests whose KV has landed into the running batch,
// in arrival order, while VRAM holds their KV with reserve blocks to
// spare and the running cap allows; it returns the free blocks and the
// running count after them.
func (e *Engine) admitLanded(free, running, reserve int) (int, int) {
	n := 0
	for _, id := range e.peer.landed {
		r := &e.reqs[id]
		need := e.blocksFor(r.Input)
		if need+reserve+1 > free || running >= e.cfg.MaxRunning {
			break
		}
		free -= need
		running++
		n++
		e.roomFor(need) // idle cached blocks count as free: they go first
		e.vram.allocN(r.ID, need, &r.blocks)
		r.Prefilled, r.KVTokens, r.kvHigh = r.Input, r.Input, r.Input
		e.addHeld(r, need)
		r.State = Decode
		e.decoding = insertSorted(e.decoding, id)
	}
	e.peer.landed = slices.Delete(e.peer.landed, 0, n)
	return free, running
}

// nextSendEnd is when the earliest copy to a decode replica ends.
func (e *Engine) nextSendEnd() (time.Duration, bool) {
	if len(e.peer.sends) == 0 {
		return 0, false
	}
	return e.peer.sends[0].End, true
}

// VRAMUse is how an engine's KV blocks are used now, by what the picture
// colours them: prompts under way (prefilling or paused), decodes, KV on
// its way over a link, cached prefixes (held or idle), and free.
type VRAMUse struct {
	Prefill, Decode, Copying, Cached, Free int
}

// VRAMUse counts the blocks, in time proportional to the requests under
// way, not to all of VRAM.
func (e *Engine) VRAMUse() VRAMUse {
	var u VRAMUse
	own := func(id int) int { r := &e.reqs[id]; return e.blocksFor(r.KVTokens) - r.sharedN }
	for _, id := range e.decoding {
		u.Decode += own(id)
	}
	for _, l := range [2][]int{e.prefilling, e.paused} {
		for _, id := range l {
			u.Prefill += own(id)
		}
	}
	for _, t := range e.transfers {
		if r := &e.reqs[t.Req]; r.State == SwappingOut || r.State == SwappingIn || r.State == Fetching {
			u.Copying += r.blocks.Len()
		}
	}
	for _, s := range e.peer.sends {
		u.Copying += own(s.Req)
	}
	u.Cached = max(0, e.held-u.Prefill-u.Decode-u.Copying) + e.cache.idle.n
	u.Free = max(0, e.capacity-e.held-e.cache.idle.n)
	return u
}

// Progress is the fraction of the copy done at t, for drawing: 0 while it
// waits its turn on the link, 1 once its last byte has landed.
func (s Send) Progress(at time.Duration) float64 {
	return Transfer{Start: s.Start, End: s.End}.Progress(at)
}
