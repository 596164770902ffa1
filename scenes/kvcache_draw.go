package scenes

import (
	"fmt"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

type kvLayout struct{ formula, vram, link, cpu Rect }

func layoutKV(k *render.Kit, b Rect) kvLayout {
	gap := k.Px(16)
	var l kvLayout
	l.formula = Rect{b.X, b.Y, b.W, k.LineHeight(32) + 2*k.LineHeight(24) + k.Px(30)}
	y := l.formula.Y + l.formula.H + gap
	h := b.Y + b.H - y
	l.vram = Rect{b.X, y, b.W * 0.5, h}
	l.link = Rect{l.vram.X + l.vram.W + gap, y, b.W * 0.13, h}
	l.cpu = Rect{l.link.X + l.link.W + gap, y, b.X + b.W - (l.link.X + l.link.W + gap), h}
	return l
}

// The animation after a change: users' caches fill VRAM one after another
// over kvFill, then those that do not fit cross the link over kvSpill.
const (
	kvFill  = 1500 * time.Millisecond
	kvSpill = 1800 * time.Millisecond
)

// vramCells is about how many cells VRAM is drawn with; every cell stands
// for the same number of bytes, in VRAM and in CPU memory alike.
const vramCells = 1200

func (s *KVCache) draw(dst *ebiten.Image) {
	k, t, l, b := s.kit, s.kit.Theme, s.layout, s.budget
	c := b.Config

	// The formula with live numbers, and the verdict.
	f := l.formula
	k.Rect(dst, f.X, f.Y, f.W, f.H, t.Panel)
	k.Frame(dst, f.X, f.Y, f.W, f.H, max(1, k.Px(1.5)), t.Edge)
	pad := k.Px(18)
	verdict := fmt.Sprintf("%d fit", b.FitUsers)
	vc := t.Decode
	if b.Spilled > 0 {
		vc = t.Warning
	}
	vw := max(k.TextWidth(verdict, 44, true), k.TextWidth("users at most", 22, false))
	k.Text(dst, verdict, f.X+f.W-pad, f.Y+k.Px(10), 44, true, vc, render.Right)
	k.Text(dst, "users at most", f.X+f.W-pad, f.Y+k.Px(10)+k.LineHeight(44), 22, false, t.TextDim, render.Right)
	room := f.W - 3*pad - vw
	y := f.Y + k.Px(12)
	line := fmt.Sprintf("%s × %s tokens × %s = %s of KV cache", plural(s.setup.Users, "user"), thousands(s.setup.Tokens),
		sim.FormatKiB(b.BytesPerToken), sim.FormatBytes(b.DemandBytes))
	k.Text(dst, k.Fit(line, room, 32, true), f.X+pad, y, 32, true, t.Text, render.Left)
	y += k.LineHeight(32)
	m := c.Model
	line = fmt.Sprintf("per token: 2 (key and value) × %d layers × %d KV heads × %d numbers × 2 bytes = %s",
		m.Layers, m.KVHeads, m.HeadDim, sim.FormatKiB(b.BytesPerToken))
	k.Text(dst, k.Fit(line, room, 24, false), f.X+pad, y, 24, false, t.TextDim, render.Left)
	y += k.LineHeight(24)
	line = fmt.Sprintf("VRAM %s − weights %s (%s at %s) = %s for KV: %d users of %s tokens",
		sim.FormatBytes(b.VRAMBytes), sim.FormatBytes(b.WeightBytes), m.Name, c.Precision.ID,
		sim.FormatBytes(b.VRAMBytes-b.WeightBytes), b.FitUsers, thousands(s.setup.Tokens))
	k.Text(dst, k.Fit(line, room, 24, false), f.X+pad, y, 24, false, t.TextDim, render.Left)

	// Animation progress.
	shown := s.setup.Users
	if s.anim < kvFill {
		shown = int(math.Ceil(float64(s.setup.Users) * float64(s.anim) / float64(kvFill)))
	}
	spill := 0.0 // how far the overflow has crossed, 0 to 1
	if s.anim > kvFill {
		spill = min(1, float64(s.anim-kvFill)/float64(kvSpill))
	}

	bpc := float64(b.VRAMBytes) / vramCells
	userBytes := float64(int64(b.UserBlocks) * b.BlockBytes)
	s.drawVRAM(dst, bpc, userBytes, min(shown, b.Resident))
	arriving := max(0, shown-b.Resident) // users beyond VRAM so far
	s.drawCPU(dst, bpc, userBytes, arriving, spill)
	s.drawLink(dst, arriving, spill)
}

// drawVRAM draws VRAM to scale: the weights, each resident user's blocks,
// free space.
func (s *KVCache) drawVRAM(dst *ebiten.Image, bpc, userBytes float64, users int) {
	k, t, r, b := s.kit, s.kit.Theme, s.layout.vram, s.budget
	title := fmt.Sprintf("VRAM: %s, %s", b.Config.GPU.Name, sim.FormatBytes(b.VRAMBytes))
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(title, r.W-k.Px(28), 24, true))
	pad := k.Px(14)
	legendH := k.LineHeight(22) + k.Px(6)
	weights := float64(b.WeightBytes)
	kvEnd := weights + float64(users)*userBytes
	s.vramOwners = s.vramOwners[:0]
	for i := range vramCells {
		mid := (float64(i) + 0.5) * bpc
		o := int32(-1)
		switch {
		case mid < weights:
			o = render.WeightsCell
		case float64(i)*bpc < kvEnd:
			o = int32(max(0, int((min(mid, kvEnd-1)-weights)/userBytes)))
		}
		s.vramOwners = append(s.vramOwners, o)
	}
	s.vramGrid.DrawFitted(dst, k, s.vramOwners, vramCells, r.X+pad, top, r.W-2*pad, r.Y+r.H-pad-top-legendH, k.Px(60), &render.OwnerColor{Theme: t, KV: t.Decode})
	ly := r.Y + r.H - pad - legendH + k.Px(6)
	kv := int64(users) * int64(b.UserBlocks) * b.BlockBytes
	legend := fmt.Sprintf("%s KV: %s · grey: weights · cell: %s", usersOwn(users), sim.FormatBytes(kv), sim.FormatBytes(int64(bpc)))
	k.Text(dst, k.Fit(legend, r.W-2*pad, 22, false), r.X+pad, ly, 22, false, t.Text, render.Left)
}

// drawCPU draws CPU memory, at the same bytes per cell as VRAM (or, when
// the overflow is larger than the box holds at that scale, at a coarser
// one that the title states).
func (s *KVCache) drawCPU(dst *ebiten.Image, bpc, userBytes float64, arriving int, spill float64) {
	k, t, r, b := s.kit, s.kit.Theme, s.layout.cpu, s.budget
	pad := k.Px(14)
	legendH := k.LineHeight(22) + k.Px(6)
	top := r.Y + k.Px(42) // under the panel's title, drawn below once the scale is known
	box := Rect{r.X + pad, top, r.W - 2*pad, r.Y + r.H - pad - top - legendH}
	// Cells at the VRAM's size.
	side, _ := render.FitCells(vramCells, s.layout.vram.W-2*pad, box.H)
	capacity := int(box.W/side) * int(box.H/side)
	need := int(math.Ceil(float64(arriving) * userBytes / bpc))
	scale := 1
	for need > capacity*scale {
		scale *= 2
	}
	cellBytes := bpc * float64(scale)
	title := "CPU memory"
	if scale > 1 {
		title = fmt.Sprintf("CPU memory, one cell: %s", sim.FormatBytes(int64(cellBytes)))
	}
	k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(title, r.W-2*pad, 22, true))
	landed := int(math.Floor(float64(arriving) * spill)) // users whose copy has ended
	end := float64(landed) * userBytes
	s.cpuOwners = s.cpuOwners[:0]
	for i := range capacity {
		o := int32(-1)
		if float64(i)*cellBytes < end {
			o = int32(b.Resident + int((float64(i)+0.5)*cellBytes/userBytes))
		}
		s.cpuOwners = append(s.cpuOwners, o)
	}
	s.cpuGrid.DrawFitted(dst, k, s.cpuOwners, capacity, box.X, box.Y, box.W, box.H, side, &render.OwnerColor{Theme: t, KV: t.Swapped})
	legend := "empty: every user fits in VRAM"
	if arriving > 0 {
		legend = fmt.Sprintf("%s KV, %s, unusable by the GPU", usersOwn(landed),
			sim.FormatBytes(int64(landed)*int64(b.UserBlocks)*b.BlockBytes))
	}
	ly := r.Y + r.H - pad - legendH + k.Px(6)
	k.Text(dst, k.Fit(legend, r.W-2*pad, 22, false), r.X+pad, ly, 22, false, t.Text, render.Left)
}

// drawLink draws the host link and, while the overflow crosses it, one
// packet per user in flight.
func (s *KVCache) drawLink(dst *ebiten.Image, arriving int, spill float64) {
	k, t, r, b := s.kit, s.kit.Theme, s.layout.link, s.budget
	c := b.Config
	mid := r.Y + r.H*0.45
	k.Rect(dst, r.X, mid-k.Px(14), r.W, k.Px(28), t.Free)
	k.Frame(dst, r.X, mid-k.Px(14), r.W, k.Px(28), max(1, k.Px(1.5)), t.Edge)
	k.Text(dst, k.Fit(c.GPU.Link, r.W, 22, true), r.X+r.W/2, mid-k.Px(56), 22, true, t.Text, render.Center)
	k.Text(dst, k.Fit(sim.FormatBytes(int64(c.HostLinkBW()))+"/s", r.W, 22, false), r.X+r.W/2, mid+k.Px(22), 22, false, t.TextDim, render.Center)
	if b.Spilled > 0 {
		k.Text(dst, k.Fit(fmtDur(b.SpillTime)+" to copy", r.W, 22, false), r.X+r.W/2, mid+k.Px(50), 22, false, t.Warning, render.Center)
	}
	if arriving == 0 || spill >= 1 || spill <= 0 {
		return
	}
	// Users cross one after another: user u is in flight between u/n and
	// (u+1)/n of the spill.
	n := float64(arriving)
	u := min(arriving-1, int(spill*n))
	f := spill*n - float64(u)
	size := k.Px(22)
	x := lerp(r.X-size, r.X+r.W, render.Smoothstep(f))
	k.Rect(dst, x, mid-size/2, size, size, t.Decode)
}

// usersOwn writes a count of users as an owner: "1 user's", "2 users'".
func usersOwn(n int) string {
	if n == 1 {
		return "1 user's"
	}
	return fmt.Sprintf("%d users'", n)
}

// plural writes a count and a noun: "1 user", "2 users".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
