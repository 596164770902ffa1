package scenes

import (
	"fmt"
	"time"

	"inferplay/render"
	"inferplay/sim"
)

// Hover follows the pointer: the request under it (a sprite, a timeline
// row, a packet on the link, its cells in VRAM or CPU memory) is
// highlighted everywhere, as a click would, and a tooltip says what is
// under the pointer and its numbers. A point outside the view clears both.
func (p *Playground) Hover(pl Run, x, y float64) {
	p.hovered, p.tip.Title, p.tip.Lines = -1, "", p.tip.Lines[:0]
	p.tipX, p.tipY = x, y
	if !p.Area().Contains(x, y) {
		return
	}
	e := pl.Engine()
	c := e.Config()
	if id := p.requestAt(e, x, y); id >= 0 {
		p.hovered = id
		p.requestTip(e, id)
		return
	}
	l := p.layout
	blockBytes := c.BlockBytes()
	switch {
	case l.vram.Contains(x, y):
		g := &p.mem.VRAM
		if p.cachedCellTip(g, x, y, blockBytes, "VRAM cell · cached prefix",
			"KV of a shared prompt prefix (a system prompt, or a conversation so far).",
			"Computed once and kept: a request whose prompt starts the same way takes it instead of prefilling it. Held by none, it goes when VRAM is needed, the least recently used first.") {
			return
		}
		if cell := g.CellAt(x, y); cell >= 0 {
			p.tip.Title = "VRAM cell · free"
			p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("%s: %d blocks of %d tokens each.", sim.FormatBytes(int64(g.Per)*blockBytes), g.Per, c.BlockSize),
				"Free blocks are where new KV cache goes: a prompt starts only when all of it fits.")
			return
		}
		p.tip.Title = "VRAM · " + c.GPU.Name
		p.tip.Lines = append(p.tip.Lines,
			fmt.Sprintf("%s in all: %s of model weights, %s for KV cache, of which %s is held now.",
				sim.FormatBytes(c.VRAMBytes()), sim.FormatBytes(c.WeightBytes()), sim.FormatBytes(c.KVCapacityBytes()),
				sim.FormatBytes(int64(e.HeldBlocks())*blockBytes)),
			"Each request's KV cache is a group of blocks with its label; the outline marks the request pointed at.")
	case l.cpu.Contains(x, y):
		if p.cachedCellTip(&p.mem.CPU, x, y, blockBytes, "CPU memory cell · cached prefix tier",
			"a copy of cached prefix KV that no request held for a while.",
			"When VRAM needs the room, only the VRAM copy goes. A later prompt that starts the same way copies it back over the host link, if that is faster than prefilling it again.") {
			return
		}
		p.tip.Title = "CPU memory · swapped KV"
		p.tip.Lines = append(p.tip.Lines,
			fmt.Sprintf("%s of KV cache held, drawn at the same scale as VRAM.", sim.FormatBytes(int64(e.CPUBlocksHeld())*blockBytes)),
			"When VRAM is full, a victim's KV is copied here over the host link, and back before it decodes again.")
	case l.link.Contains(x, y):
		for _, pk := range p.mem.Packets() {
			if pk.Cached && Rect(pk.Box).Contains(x, y) {
				p.tip.Title = "Host link · cached prefix KV"
				way := "to the CPU tier: cached blocks no request holds, kept there for when VRAM gives them up."
				if !pk.ToCPU {
					way = fmt.Sprintf("back to VRAM for R%d, whose prompt starts with it: faster than prefilling it again.", pk.Req)
				}
				p.tip.Lines = append(p.tip.Lines, sim.FormatBytes(pk.Bytes)+" on its way "+way)
				return
			}
		}
		toCPU, toGPU := p.mem.Flights.BytesInFlight()
		p.tip.Title = "Host link · " + c.GPU.Link
		p.tip.Lines = append(p.tip.Lines,
			fmt.Sprintf("%s/s each way. In flight now: %s to CPU, %s to GPU.", sim.FormatBytes(int64(c.HostLinkBW())), sim.FormatBytes(toCPU), sim.FormatBytes(toGPU)),
			"A packet is one request's KV cache on its way; its size shows its bytes. The link moves one copy at a time each way.")
	case l.metrics.Contains(x, y):
		for i, cell := range p.metrics.Cells {
			if cell.W > 0 && Rect(cell).Contains(x, y) {
				p.tip.Title = render.MetricMeanings[i][0]
				p.tip.Lines = append(p.tip.Lines, render.MetricMeanings[i][1])
			}
		}
	case l.legend.Contains(x, y):
		for i, b := range p.legendAt {
			if b.Contains(x, y) && i < len(p.legend) {
				p.tip.Title = p.legend[i].label
				p.tip.Lines = append(p.tip.Lines, legendMeaning(p.legend[i].label))
			}
		}
	}
}

// cachedCellTip words the tip of a cached block's cell of g under the
// pointer, if there is one there: the cell's bytes and what it is, then
// what becomes of it.
func (p *Playground) cachedCellTip(g *render.BlockGrid, x, y float64, blockBytes int64, title, what, fate string) bool {
	cell := g.CellAt(x, y)
	if cell < 0 || g.OwnerOfCell(cell) != sim.CachedCell {
		return false
	}
	p.tip.Title = title
	p.tip.Lines = append(p.tip.Lines, sim.FormatBytes(int64(g.Per)*blockBytes)+": "+what, fate)
	return true
}

// requestAt is the request drawn under a point, or -1.
func (p *Playground) requestAt(e *sim.Engine, x, y float64) int {
	if id := p.sprites.Hit(x, y); id >= 0 {
		return id
	}
	if g := p.layout.gantt; g.Contains(x, y) {
		return p.gantt.RowAt(p.kit, e, g.Y, g.H, y)
	}
	for _, pk := range p.mem.Packets() {
		if Rect(pk.Box).Contains(x, y) {
			return pk.Req
		}
	}
	for _, g := range []*render.BlockGrid{&p.mem.VRAM, &p.mem.CPU} {
		if o := g.OwnerOfCell(g.CellAt(x, y)); o >= 0 && int(o) < e.Len() {
			return int(o)
		}
	}
	return -1
}

// requestTip says what a request is, where it is, and its numbers.
func (p *Playground) requestTip(e *sim.Engine, id int) {
	r := e.Request(id)
	c := e.Config()
	class := "chat"
	if r.Class == sim.Batch {
		class = "batch job"
	}
	p.tip.Title = fmt.Sprintf("R%d · %s · %s", id, class, stateWords(r))
	p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("%s-token prompt, %d of %d answer tokens produced.", render.Thousands(r.Input), r.Decoded, r.Output))
	if r.KVTokens > 0 {
		where := "VRAM"
		if r.State == sim.Swapped {
			where = "CPU memory"
		}
		p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("KV cache: %s tokens = %s in %s.", render.Thousands(r.KVTokens),
			sim.FormatBytes(int64(r.KVTokens)*c.KVBytesPerToken()), where))
	}
	if r.CachedTokens > 0 {
		p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("%s prompt tokens taken from the prefix cache, not prefilled: their KV is shared.", render.Thousands(r.CachedTokens)))
	}
	if r.CPUCachedTokens > 0 {
		p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("%s of them copied back from the CPU tier over the host link.", render.Thousands(r.CPUCachedTokens)))
	}
	if r.State == sim.Rejected {
		p.tip.Lines = append(p.tip.Lines, r.Reason)
		return
	}
	if r.State >= sim.Waiting {
		m := r.Metrics()
		wait := fmt.Sprintf("Arrived at %s.", simTime(r.JoinedAt))
		if r.FirstTokenTick > 0 {
			wait += fmt.Sprintf(" First token after %s.", render.Ms(m.TTFT))
		} else {
			wait += fmt.Sprintf(" No token yet after %s.", render.Ms(float64(e.Now()-r.JoinedAt)/float64(time.Millisecond)))
		}
		p.tip.Lines = append(p.tip.Lines, wait)
	}
	if n := r.Evictions + r.Drops; n > 0 {
		p.tip.Lines = append(p.tip.Lines, fmt.Sprintf("Preempted %d× (%d swapped, %d dropped).", n, r.Evictions, r.Drops))
	}
}

// stateWords names a request's state in the legend's words.
func stateWords(r sim.Request) string {
	switch r.State {
	case sim.Pending:
		return "not arrived"
	case sim.Waiting:
		switch {
		case r.Drops > 0 && r.Prefilled < r.PrefillTarget():
			return "to recompute"
		case r.KVTokens > 0:
			return "waiting, prompt part done"
		}
		return "waiting"
	case sim.Prefill:
		return fmt.Sprintf("prefill, %s of %s tokens", render.Thousands(r.Prefilled), render.Thousands(r.PrefillTarget()))
	case sim.Decode:
		return "decode"
	case sim.SwappingOut:
		return "copying to CPU"
	case sim.SwappingIn:
		return "copying back to GPU"
	case sim.Swapped:
		return "swapped to CPU"
	case sim.Fetching:
		return "cached prefix coming back from CPU"
	case sim.Rejected:
		return "rejected"
	}
	return "done"
}

// legendMeaning says what a legend entry stands for.
func legendMeaning(label string) string {
	switch label {
	case "chat":
		return "A disc is a chat request: a short prompt, and someone waiting for the answer."
	case "batch":
		return "A square is a batch job: a long document or task, with no one watching it run."
	case "waiting":
		return "In the queue: not prefilling now. A prompt that was interrupted keeps its partial KV cache while it waits."
	case "prefill":
		return "Prefilling: its prompt's tokens go through the model, a chunk per iteration, filling its KV cache."
	case "decode":
		return "Decoding: one answer token per iteration, each adding to its KV cache."
	case "copying on the link":
		return "Its KV cache is being copied over the host link, to CPU memory or back."
	case "swapped to CPU":
		return "Its KV cache waits in CPU memory until VRAM has room to bring it back."
	case "to recompute":
		return "Its KV cache was dropped to make room: it must prefill its prompt (and answer so far) again."
	case "done":
		return "Every answer token produced; its KV cache is freed."
	case "rejected":
		return "Can never run: its KV cache would not fit in VRAM even alone."
	case "weights":
		return "The model's weights: they take their share of VRAM before any KV cache."
	case "free block":
		return "VRAM (or CPU memory) with room for KV cache."
	}
	return ""
}

// Hovered is the request under the pointer, or -1; CurrentTip what the
// tooltip says (an empty title: no tooltip).
func (p *Playground) Hovered() int    { return p.hovered }
func (p *Playground) CurrentTip() Tip { return p.tip }

// LegendBoxes are where the legend's entries were last drawn, in order.
func (p *Playground) LegendBoxes() []Rect { return p.legendAt }

// MetricBoxes are where the metrics' figures were last drawn.
func (p *Playground) MetricBoxes() [6]render.Rect { return p.metrics.Cells }
