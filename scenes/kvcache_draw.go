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

// formulaHeight is the height of the box of sums above the pictures.
func formulaHeight(k *render.Kit) float64 {
	return k.LineHeight(32) + 2*k.LineHeight(24) + k.Px(30)
}

func layoutKV(k *render.Kit, b Rect) kvLayout {
	gap := k.Px(16)
	var l kvLayout
	l.formula = Rect{b.X, b.Y, b.W, formulaHeight(k)}
	y := l.formula.Y + l.formula.H + gap
	h := b.Y + b.H - y
	// The link's column holds its name and two figures, one a line: wide
	// enough for the widest of them at any size ("50 GB/s", "440 ms").
	linkW := max(b.W*0.13, k.TextWidth("PCIe 5 x16", 22, true)+k.Px(8))
	l.vram = Rect{b.X, y, b.W*0.5 - (linkW - b.W*0.13), h}
	l.link = Rect{l.vram.X + l.vram.W + gap, y, linkW, h}
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
	f := s.frame()
	drawFormula(dst, s.kit, s.layout.formula, f.formula, []kvVerdict{{f.verdict, f.verdictNote, s.budget.Spilled > 0}})

	b := s.budget
	bpc := float64(b.VRAMBytes) / vramCells
	userBytes := float64(int64(b.UserBlocks) * b.BlockBytes)
	s.drawVRAM(dst, f, bpc, userBytes)
	cpu := s.drawCPU(dst, f, bpc, userBytes)
	link := s.drawLink(dst, f)

	// The spotlight points at what the caption talks about once it is on
	// screen: the users that did not fit, and the link they crossed.
	s.spots = s.spots[:0]
	if s.settled() && b.Spilled > 0 {
		switch s.beat {
		case kvBeatTooMany:
			s.spots = append(s.spots, Callout{Box: link}, Callout{Box: cpu, Label: waits(b.Spilled)})
		case kvBeatLong:
			s.spots = append(s.spots, Callout{Box: cpu, Label: waits(b.Spilled)})
		}
	}
	s.spotlight.Draw(dst, s.kit, s.chrome.Body, s.spots)
}

// A kvVerdict is a large count at the formula box's right: "119 fit".
type kvVerdict struct {
	big, note string
	short     bool // fewer fit than there are users: said in the warning colour
}

// drawFormula draws the sums with live numbers and, at the right, the
// verdicts.
func drawFormula(dst *ebiten.Image, k *render.Kit, f Rect, lines [3]string, verdicts []kvVerdict) {
	t := k.Theme
	k.Rect(dst, f.X, f.Y, f.W, f.H, t.Panel)
	k.Frame(dst, f.X, f.Y, f.W, f.H, max(1, k.Px(1.5)), t.Edge)
	pad := k.Px(18)
	right := f.X + f.W - pad
	for i := len(verdicts) - 1; i >= 0; i-- {
		v := verdicts[i]
		vc := t.Decode
		if v.short {
			vc = t.Warning
		}
		vw := max(k.TextWidth(v.big, 44, true), k.TextWidth(v.note, 22, false))
		k.Text(dst, v.big, right, f.Y+k.Px(10), 44, true, vc, render.Right)
		k.Text(dst, v.note, right, f.Y+k.Px(10)+k.LineHeight(44), 22, false, t.TextDim, render.Right)
		right -= vw + 2*pad
	}
	room := right + pad - (f.X + pad)
	y := f.Y + k.Px(12)
	k.Text(dst, k.Fit(lines[0], room, 32, true), f.X+pad, y, 32, true, t.Text, render.Left)
	y += k.LineHeight(32)
	for _, l := range lines[1:] {
		k.Text(dst, k.Fit(l, room, 24, false), f.X+pad, y, 24, false, t.TextDim, render.Left)
		y += k.LineHeight(24)
	}
}

// drawVRAM draws VRAM to scale: the weights, each resident user's blocks,
// free space.
func (s *KVCache) drawVRAM(dst *ebiten.Image, f kvFrame, bpc, userBytes float64) {
	k, t, r, b := s.kit, s.kit.Theme, s.layout.vram, s.budget
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(f.vramTitle, r.W-k.Px(28), 22, true))
	pad := k.Px(14)
	key := append(f.vramKey, swatch{kind: swatchNone, label: "one cell: " + sim.FormatBytes(int64(bpc))})
	keyH := keyHeight(k, key, r.W-2*pad) + k.Px(6)
	weights := float64(b.WeightBytes)
	kvEnd := weights + float64(f.filled)*userBytes
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
	s.vramGrid.DrawFitted(dst, k, s.vramOwners, vramCells, r.X+pad, top, r.W-2*pad, r.Y+r.H-pad-top-keyH, k.Px(60), &render.OwnerColor{Theme: t, KV: t.Decode})
	drawKey(dst, k, &s.hatch, key, r.X+pad, r.Y+r.H-pad-keyH+k.Px(6), r.W-2*pad)
}

// drawCPU draws CPU memory, at the same bytes per cell as VRAM (or, when
// the overflow is larger than the box holds at that scale, at a coarser
// one that the title states), and returns its panel.
func (s *KVCache) drawCPU(dst *ebiten.Image, f kvFrame, bpc, userBytes float64) Rect {
	k, t, r, b := s.kit, s.kit.Theme, s.layout.cpu, s.budget
	pad := k.Px(14)
	keyH := keyHeight(k, f.cpuKey, r.W-2*pad) + k.Px(6)
	top := r.Y + k.PanelTitle() // under the panel's title, drawn below once the scale is known
	box := Rect{r.X + pad, top, r.W - 2*pad, r.Y + r.H - pad - top - keyH}
	// Cells at the VRAM's size.
	side, _ := render.FitCells(vramCells, s.layout.vram.W-2*pad, box.H)
	capacity := int(box.W/side) * int(box.H/side)
	// The scale is set by all the users that will not fit, so that it does
	// not change while they arrive.
	need := int(math.Ceil(float64(b.Spilled) * userBytes / bpc))
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
	end := float64(f.landed) * userBytes
	s.cpuOwners = s.cpuOwners[:0]
	for i := range capacity {
		o := int32(-1)
		if float64(i)*cellBytes < end {
			o = int32(b.Resident + int((float64(i)+0.5)*cellBytes/userBytes))
		}
		s.cpuOwners = append(s.cpuOwners, o)
	}
	s.cpuGrid.DrawFitted(dst, k, s.cpuOwners, capacity, box.X, box.Y, box.W, box.H, side, &render.OwnerColor{Theme: t, KV: t.Swapped})
	drawKey(dst, k, &s.hatch, f.cpuKey, r.X+pad, r.Y+r.H-pad-keyH+k.Px(6), r.W-2*pad)
	return r
}

// drawLink draws the host link and, while the overflow crosses it, one
// packet per user in flight; it returns the area its drawing takes. Its
// words are stacked a line apart, each wrapped to the column, so that
// none runs into another at any size.
func (s *KVCache) drawLink(dst *ebiten.Image, f kvFrame) Rect {
	k, t, r := s.kit, s.kit.Theme, s.layout.link
	mid := r.Y + r.H*0.45
	barH := k.Px(28)
	gap := k.Px(8)
	lh := k.LineHeight(22)
	name := k.Wrap(f.linkName, r.W, 22, true)
	below := k.Wrap(f.linkRate, r.W, 22, false)
	nRate := len(below)
	if f.linkTime != "" {
		below = append(below[:len(below):len(below)], k.Wrap(f.linkTime, r.W, 22, false)...)
	}
	y := mid - barH/2 - gap - float64(len(name))*lh
	area := Rect{r.X, y, r.W, barH + 2*gap + float64(len(name)+len(below))*lh}
	for _, l := range name {
		k.Text(dst, k.Fit(l, r.W, 22, true), r.X+r.W/2, y, 22, true, t.Text, render.Center)
		y += lh
	}
	k.Rect(dst, r.X, mid-barH/2, r.W, barH, t.Free)
	k.Frame(dst, r.X, mid-barH/2, r.W, barH, max(1, k.Px(1.5)), t.Edge)
	y = mid + barH/2 + gap
	for i, l := range below {
		c := t.TextDim
		if i >= nRate {
			c = t.Warning
		}
		k.Text(dst, k.Fit(l, r.W, 22, false), r.X+r.W/2, y, 22, false, c, render.Center)
		y += lh
	}
	if f.arriving == 0 || f.spill >= 1 || f.spill <= 0 {
		return area
	}
	// Users cross one after another: user u is in flight between u/n and
	// (u+1)/n of the spill.
	n := float64(f.arriving)
	u := min(f.arriving-1, int(f.spill*n))
	p := f.spill*n - float64(u)
	size := k.Px(22)
	x := lerp(r.X-size, r.X+r.W, render.Smoothstep(p))
	k.Rect(dst, x, mid-size/2, size, size, t.Copying)
	return area
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
