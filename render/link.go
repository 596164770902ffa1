package render

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// packet is KV on its way over the host link, timed in simulated time.
type packet struct {
	req        int
	toCPU      bool
	start, end time.Duration
}

// Link draws the host link between VRAM and CPU memory with the KV copies
// travelling along it, and the CPU memory that holds swapped KV.
type Link struct {
	packets []packet  // classic-model copies, timed from their events
	Grid    BlockGrid // CPU memory
	peakCPU int       // most CPU blocks seen, so the grid does not jump about
}

// Reset forgets the packets (after a jump in time).
func (l *Link) Reset() { l.packets = l.packets[:0] }

// Observe turns the classic model's swap events into packets: the copy out
// lasts its penalty, the copy back one tick. The roofline model's copies
// come timed from the engine (Transfers).
func (l *Link) Observe(e *sim.Engine, events []sim.Event) {
	for _, ev := range events {
		if ev.Dur > 0 {
			continue // a timed copy: the engine lists it in Transfers
		}
		switch ev.Kind {
		case sim.EvSwapOut:
			start := e.Now() - sim.ClassicTick
			l.packets = append(l.packets, packet{ev.Req, true, start, start + time.Duration(ev.Ticks)*sim.ClassicTick})
		case sim.EvSwapIn:
			l.packets = append(l.packets, packet{ev.Req, false, e.Now() - sim.ClassicTick, e.Now()})
		}
	}
	kept := l.packets[:0]
	for _, p := range l.packets {
		if p.end > e.Now()-sim.ClassicTick {
			kept = append(kept, p)
		}
	}
	l.packets = kept
}

// Draw draws the link (a band from x0 to x1 at y) and the CPU panel box.
func (l *Link) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, lx, ly, lw, lh float64, cx, cy, cw, ch float64, highlight int) {
	t := k.Theme
	c := e.Config()
	// The band.
	k.Rect(dst, lx, ly, lw, lh, t.Panel)
	k.Frame(dst, lx, ly, lw, lh, max(1, k.Px(1.5)), t.Edge)
	bw := float64(c.GPU.PCIeBW) * float64(c.GPUs())
	k.Text(dst, k.Fit(fmt.Sprintf("Host link: %s, %s/s each way", c.GPU.Link, sim.FormatBytes(int64(bw))), lw-k.Px(28), 18, true), lx+k.Px(14), ly+k.Px(6), 18, true, t.Text, Left)
	k.Text(dst, "→ to CPU", lx+k.Px(14), ly+lh-k.Px(28), 18, false, t.TextDim, Left)
	k.Text(dst, "to GPU ←", lx+lw-k.Px(14), ly+lh-k.Px(28), 18, false, t.TextDim, Right)
	track := func(toCPU bool) float64 {
		if toCPU {
			return ly + lh*0.45
		}
		return ly + lh*0.45 + k.Px(18)
	}
	draw := func(req int, toCPU bool, progress float64) {
		size := k.Px(16)
		px := lx + k.Px(130) + (lw-k.Px(260))*progress
		if !toCPU {
			px = lx + lw - k.Px(130) - (lw-k.Px(260))*progress
		}
		k.Rect(dst, px, track(toCPU), size*2, size, t.Owner(req))
		k.Frame(dst, px, track(toCPU), size*2, size, max(1, k.Px(1.5)), t.Transfer)
	}
	now := e.Now()
	for _, tr := range e.Transfers() {
		draw(tr.Req, tr.Direction == sim.ToCPU, tr.Progress(now))
	}
	for _, p := range l.packets {
		progress := 1.0
		if p.end > p.start {
			progress = max(0, min(1, float64(now-p.start)/float64(p.end-p.start)))
		}
		draw(p.req, p.toCPU, progress)
	}

	// CPU memory.
	top := k.Panel(dst, cx, cy, cw, ch, "CPU memory (swapped KV)")
	pad := k.Px(14)
	used := e.CPUBlocksHeld()
	limit := "no limit"
	if c.CPUKVBytes > 0 {
		limit = sim.FormatBytes(c.CPUKVBytes)
	}
	k.Text(dst, k.Fit(fmt.Sprintf("%s in %d blocks · capacity %s", sim.FormatBytes(int64(used)*c.BlockBytes()), used, limit), cw-2*pad, 18, false), cx+pad, top, 18, false, t.Text, Left)
	top += k.LineHeight(18) + k.Px(4)
	owners := e.CPUOwners()
	l.peakCPU = max(l.peakCPU, len(owners), 64)
	l.Grid.Draw(dst, k, owners, l.peakCPU, cx+pad, top, cw-2*pad, cy+ch-top-pad, highlight)
}
