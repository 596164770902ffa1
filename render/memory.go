package render

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// Memory draws where KV lives and how it moves: VRAM block by block, the
// host link with the copies on it, and CPU memory, all at one scale — a
// cell of CPU memory holds as many bytes as a cell of VRAM. New KV flies
// from a request's sprite into the cells it fills.
type Memory struct {
	VRAM, CPU BlockGrid
	Flights   Flights
	Flows     Flows

	vc vramColors
	cc cpuColors

	// The labels of the largest groups, found per frame (reused).
	runs    []groupRun
	touched []int32
	best    map[int32]int // owner -> index in runs
	// Where the last Draw put things, for pointing and callouts.
	vramBox, linkBox, cpuBox Rect
	packets                  []PacketBox
	plan                     MemoryPlan
	tags                     []Rect
	shared                   []int32 // the selected request's cached blocks (reused)
	holders                  []int   // per cell: 1 + the most holders of a cached block in it (reused)
	cpuOwners                []int32 // the CPU grid's blocks with the CPU tier's (reused)
	peakCPU                  int     // the most CPU blocks held, so the grid does not jump about
}

// Rect is a screen rectangle.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether a point lies inside.
func (r Rect) Contains(x, y float64) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }

// PacketBox is a copy on the link as last drawn.
type PacketBox struct {
	Req    int // whose KV, or -1 for cached blocks going to the CPU tier
	ToCPU  bool
	Cached bool // cached prefix blocks, not a swap
	Bytes  int64
	Box    Rect
}

// groupRun is the longest row of cells one owner holds.
type groupRun struct {
	owner        int32
	cells        int // cells held in all
	start, count int // the longest run: its first cell and length
}

type vramColors struct {
	t *Theme
	e *sim.Engine
	f *Flights
}

// CellColor: the owner's state, and "copying" while its KV is on the
// screen's link coming back.
func (v *vramColors) CellColor(o int32) (color.RGBA, bool) {
	switch o {
	case WeightsCell:
		return v.t.Weights, true
	case sim.CachedCell:
		return v.t.Cached, true
	}
	if toCPU, ok := v.f.InFlight(int(o)); ok && !toCPU {
		return v.t.Copying, true
	}
	return v.t.StateOf(v.e.Request(int(o))), true
}

type cpuColors struct {
	t *Theme
	e *sim.Engine
	f *Flights
}

// CellColor: nothing until the copy has landed; "copying" while it leaves.
// The CPU tier's blocks are cached prefix blocks.
func (c *cpuColors) CellColor(o int32) (color.RGBA, bool) {
	if o == sim.CachedCell {
		return c.t.Cached, true
	}
	if toCPU, ok := c.f.InFlight(int(o)); ok {
		if toCPU {
			return color.RGBA{}, false
		}
		return c.t.Copying, true
	}
	return c.t.StateOf(c.e.Request(int(o))), true
}

// Reset forgets the copies and flows in the air (after a jump in time).
func (m *Memory) Reset() {
	m.peakCPU = 0
	m.Flights.Reset()
	m.Flows.Reset()
}

// Settle shows every copy where the engine has it.
func (m *Memory) Settle() { m.Flights.Settle() }

// Observe follows the events of the frame's ticks.
func (m *Memory) Observe(e *sim.Engine, events []sim.Event, dt time.Duration, playing bool, sprites SpriteCenters) {
	m.Flights.Observe(e, events, dt, playing)
	m.Flows.Observe(e, &m.VRAM, sprites, dt)
}

// minCell is the smallest cell the VRAM grid draws, at 1920×1080: past it,
// a cell stands for more blocks.
const (
	minCell = 12
	maxCell = 30
)

// Draw draws VRAM, the link and CPU memory in their boxes.
func (m *Memory) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, vram, link, cpu Rect, selected int) {
	m.vramBox, m.linkBox, m.cpuBox = vram, link, cpu
	m.vc = vramColors{k.Theme, e, &m.Flights}
	m.cc = cpuColors{k.Theme, e, &m.Flights}
	m.drawVRAM(dst, k, e, vram, selected)
	if cpu.H > 0 { // a short column shows VRAM alone
		m.drawCPU(dst, k, e, cpu, selected)
		m.drawLink(dst, k, e, link, selected)
	}
	m.Flows.Draw(dst, k)
}

// Boxes are where VRAM, the link and CPU memory were last drawn.
func (m *Memory) Boxes() (vram, link, cpu Rect) { return m.vramBox, m.linkBox, m.cpuBox }

// VRAMCell is the cell side the last plan chose.
func (m *Memory) VRAMCell() float64 { return m.plan.Cell }

// Tags are the group labels as last drawn.
func (m *Memory) Tags() []Rect { return m.tags }

// Packets are the copies on the link as last drawn.
func (m *Memory) Packets() []PacketBox { return m.packets }

func (m *Memory) drawVRAM(dst *ebiten.Image, k *Kit, e *sim.Engine, r Rect, selected int) {
	t := k.Theme
	c := e.Config()
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit("VRAM · "+gpuLabel(c), r.W-k.Px(28), 22, true))
	pad := k.Px(14)
	// The whole memory to scale: weights, then the KV cache by state, then
	// free.
	total := float64(c.VRAMBytes())
	barW, barH := r.W-2*pad, k.Px(30)
	x := r.X + pad
	k.Rect(dst, x, top, barW, barH, t.Free)
	wW := barW * float64(c.WeightBytes()) / total
	k.Rect(dst, x, top, wW, barH, t.Weights)
	x += wW
	bb := float64(c.BlockBytes())
	seg := func(blocks int, col color.RGBA) {
		w := barW * float64(blocks) * bb / total
		k.Rect(dst, x, top, w, barH, col)
		x += w
	}
	seg(heldBy(e, e.Prefilling()), t.Prefill)
	seg(heldBy(e, e.Decoding()), t.Decode)
	seg(heldBy(e, e.Paused()), t.Queued)
	copying := 0
	for _, tr := range e.Transfers().All() {
		copying += e.Request(tr.Req).Blocks().Len()
	}
	seg(copying, t.Copying)
	cached := 0
	e.EachCachedBlock(func(int32, int) { cached++ })
	seg(cached, t.Cached)
	label := "weights " + sim.FormatBytes(c.WeightBytes())
	k.Text(dst, k.Fit(label, max(wW-k.Px(12), k.Px(40)), 18, true), r.X+pad+k.Px(6), top+(barH-k.LineHeight(18))/2, 18, true, contrast(t.Weights), Left)
	top += barH + k.Px(6)

	held := int64(e.HeldBlocks()+e.CachedBlocks()) * c.BlockBytes()
	kv := c.KVCapacityBytes()
	gridTop := top + k.LineHeight(18) + k.Px(6)
	gridH := r.Y + r.H - pad - gridTop
	per := m.plan.Per
	m.VRAM.Layout(e.CapacityBlocks(), per, m.plan.Cell, m.plan.Cell, barW, gridH+1)
	util := 0.0
	if kv > 0 {
		util = float64(held) / float64(kv)
	}
	k.Text(dst, k.Fit(fmt.Sprintf("KV cache %s · %s used (%.0f%%) · %s", sim.FormatBytes(kv), sim.FormatBytes(held), util*100, CellScale(per, c)),
		barW, 18, false), r.X+pad, top, 18, false, t.Text, Left)
	m.VRAM.Fill(e.VRAMOwners(), &m.vc, t.Free, selected)
	m.VRAM.Draw(dst, k, r.X+pad, gridTop)
	m.outlineShared(dst, k, e, selected)
	m.tags = m.tags[:0]
	m.labelGroups(dst, k, &m.VRAM, 3)
	m.labelCached(dst, k, e)
}

// outlineShared frames the cached prefix blocks the selected request
// holds, which the grid draws as the cache's: its own blocks are framed
// with its group already.
func (m *Memory) outlineShared(dst *ebiten.Image, k *Kit, e *sim.Engine, selected int) {
	if selected < 0 {
		return
	}
	m.shared = e.SharedBlocks(selected, m.shared[:0])
	g := &m.VRAM
	last := -1
	for _, b := range m.shared {
		if b < 0 || int(b)/g.Per >= g.Cells || int(b)/g.Per == last {
			continue
		}
		last = int(b) / g.Per
		x, y, s := g.CellCenter(int(b))
		k.Frame(dst, x-s/2, y-s/2, s, s, max(1, k.Px(2)), k.Theme.Accent)
	}
}

// labelCached names the largest row of cached prefix blocks with how many
// requests share it ("shared ×12"), or "cached" when none holds it now.
func (m *Memory) labelCached(dst *ebiten.Image, k *Kit, e *sim.Engine) {
	g := &m.VRAM
	if g.Per < 1 || g.Cells == 0 {
		return
	}
	m.holders = resizeInts(m.holders, g.Cells)
	clear(m.holders)
	any := false
	e.EachCachedBlock(func(b int32, n int) {
		if c := int(b) / g.Per; b >= 0 && c < g.Cells {
			m.holders[c] = max(m.holders[c], n+1) // 1: cached, idle
			any = true
		}
	})
	if !any {
		return
	}
	best, bestLen := -1, 0
	for c := 0; c < g.Cells; {
		end := c + 1
		for end < g.Cells && g.owner[c] == sim.CachedCell && g.owner[end] == sim.CachedCell && end%g.Cols != 0 {
			end++
		}
		if g.owner[c] == sim.CachedCell && end-c > bestLen {
			best, bestLen = c, end-c
		}
		c = end
	}
	if best < 0 {
		return
	}
	most := 0
	for c := best; c < best+bestLen; c++ {
		most = max(most, m.holders[c]-1)
	}
	s := "cached"
	if most > 0 {
		s = fmt.Sprintf("shared ×%d", most)
	}
	tw, th := k.TextWidth(s, 18, true)+k.Px(10), k.LineHeight(18)
	cx := g.X + (float64(best%g.Cols)+float64(bestLen)/2)*g.Cell
	cy := g.Y + (float64(best/g.Cols)+0.5)*g.Cell
	x := max(g.X, min(cx-tw/2, g.X+float64(g.Cols)*g.Cell-tw))
	tag := Rect{x, cy - th/2, tw, th}
	if m.tagOverlaps(tag) {
		return
	}
	m.tags = append(m.tags, tag)
	k.Rect(dst, tag.X, tag.Y, tw, th, k.Theme.Panel)
	k.Occlude(tag)
	k.Text(dst, s, x+tw/2, tag.Y, 18, true, k.Theme.Text, Center)
}

func resizeInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

// CellScale says what one cell stands for: "1 cell = 64 blocks = 128 MB".
func CellScale(per int, c sim.Config) string {
	if per == 1 {
		return fmt.Sprintf("1 cell = 1 block of %d tokens = %s", c.BlockSize, sim.FormatBytes(c.BlockBytes()))
	}
	return fmt.Sprintf("1 cell = %d blocks = %s", per, sim.FormatBytes(int64(per)*c.BlockBytes()))
}

// heldBy is the VRAM blocks the requests hold.
func heldBy(e *sim.Engine, ids sim.List[int]) int {
	n := 0
	for _, id := range ids.All() {
		n += e.Request(id).Blocks().Len()
	}
	return n
}

func (m *Memory) drawCPU(dst *ebiten.Image, k *Kit, e *sim.Engine, r Rect, selected int) {
	t := k.Theme
	c := e.Config()
	tier := e.TierCapacity() > 0
	title := "CPU memory · swapped KV"
	if tier {
		title = "CPU memory" // the words below say what it holds
	}
	top := k.Panel(dst, r.X, r.Y, r.W, r.H, k.Fit(title, r.W-k.Px(28), 22, true))
	pad := k.Px(14)
	// What has landed: the engine's blocks less those still on the screen's
	// link on their way in.
	onWay, _ := m.Flights.BytesInFlight()
	onWay -= m.Flights.CachedInFlight()
	landed := max(0, int64(e.CPUBlocksHeld())*c.BlockBytes()-onWay)
	// The same cell size and blocks per cell as VRAM: room for the limit
	// when there is one, else for what the box holds.
	cell, per := m.plan.Cell, m.plan.Per
	gridTop := top + k.LineHeight(18) + k.Px(6)
	w, h := r.W-2*pad, r.Y+r.H-pad-gridTop
	owners, tierAt := m.cpuCells(e, per, max(1, int(w/cell)))
	m.CPU.Layout(max(owners.Len(), m.plan.CPUBlocks), per, cell, cell, w, h+1)
	limit := "no limit set"
	if c.CPUKVBytes > 0 {
		limit = "room for " + sim.FormatBytes(c.CPUKVBytes)
	}
	words := fmt.Sprintf("%s held · %s · same scale as VRAM", sim.FormatBytes(landed), limit)
	if tier {
		words = fmt.Sprintf("swapped %s · cached %s of %s", sim.FormatBytes(landed),
			sim.FormatBytes(int64(e.TierBlocks())*c.BlockBytes()), sim.FormatBytes(c.CPUCacheBytes))
	}
	// Blocks past the box that are still on the link are not drawn
	// anyway: only what has landed counts as left out.
	if more := min(int64(m.CPU.Truncated)*c.BlockBytes(), landed+int64(e.TierBlocks())*c.BlockBytes()); more > 0 {
		words += " · " + sim.FormatBytes(more) + " not drawn"
	}
	k.Text(dst, k.Fit(words, r.W-2*pad, 18, false), r.X+pad, top, 18, false, t.Text, Left)
	m.CPU.Fill(owners, &m.cc, t.Free, selected)
	m.CPU.Draw(dst, k, r.X+pad, gridTop)
	m.labelGroups(dst, k, &m.CPU, 3)
	m.labelTier(dst, k, e, tierAt)
}

// cpuCells is what the CPU grid draws: the swapped KV, then, from a row of
// its own, the CPU tier's blocks up to the last one in use. It returns the
// block the tier starts at, or -1 without one.
func (m *Memory) cpuCells(e *sim.Engine, per, cols int) (sim.List[int32], int) {
	swap := e.CPUOwners()
	if e.TierCapacity() == 0 {
		return swap, -1
	}
	m.cpuOwners = swap.AppendTo(m.cpuOwners[:0])
	row := per * cols
	for len(m.cpuOwners)%row != 0 {
		m.cpuOwners = append(m.cpuOwners, -1)
	}
	at := len(m.cpuOwners)
	tier := e.TierOwners()
	last := -1
	for i := tier.Len() - 1; i >= 0; i-- {
		if tier.At(i) != -1 {
			last = i
			break
		}
	}
	m.cpuOwners = tier.Slice(0, last+1).AppendTo(m.cpuOwners)
	return sim.ListOf(m.cpuOwners), at
}

// labelTier names the CPU tier's first row, when it holds any block.
func (m *Memory) labelTier(dst *ebiten.Image, k *Kit, e *sim.Engine, at int) {
	g := &m.CPU
	if at < 0 || e.TierBlocks() == 0 || g.Per < 1 || at/g.Per >= g.Cells {
		return
	}
	s := "cached, for later hits"
	tw, th := k.TextWidth(s, 18, true)+k.Px(10), k.LineHeight(18)
	first := at / g.Per // the tier's first cell, at the start of a row
	row := first / g.Cols
	// Beside the tier's cells on that row when they leave room, else over
	// them.
	used := 0
	for c := first; c < min(first+g.Cols, g.Cells) && g.owner[c] == sim.CachedCell; c++ {
		used++
	}
	x := g.X + k.Px(4)
	if room := g.X + float64(g.Cols)*g.Cell - (g.X + float64(used)*g.Cell + k.Px(6)); room >= tw {
		x = g.X + float64(used)*g.Cell + k.Px(6)
	}
	tag := Rect{x, g.Y + (float64(row)+0.5)*g.Cell - th/2, tw, th}
	if m.tagOverlaps(tag) || tag.X+tw > g.X+float64(g.Cols)*g.Cell {
		return
	}
	m.tags = append(m.tags, tag)
	k.Rect(dst, tag.X, tag.Y, tw, th, k.Theme.Panel)
	k.Occlude(tag)
	k.Text(dst, s, tag.X+tw/2, tag.Y, 18, true, k.Theme.Text, Center)
}

// labelGroups names the largest holders on their longest row of cells.
func (m *Memory) labelGroups(dst *ebiten.Image, k *Kit, g *BlockGrid, n int) {
	if m.best == nil {
		m.best = map[int32]int{}
	}
	clear(m.best)
	m.runs = m.runs[:0]
	for c := 0; c < g.Cells; {
		o := g.owner[c]
		end := c + 1
		for end < g.Cells && g.owner[end] == o && end%g.Cols != 0 {
			end++
		}
		if o >= 0 {
			i, ok := m.best[o]
			if !ok {
				i = len(m.runs)
				m.best[o] = i
				m.runs = append(m.runs, groupRun{owner: o})
			}
			run := &m.runs[i]
			run.cells += end - c
			if end-c > run.count {
				run.start, run.count = c, end-c
			}
		}
		c = end
	}
	for range n {
		top := -1
		for i, r := range m.runs {
			if r.count > 0 && (top < 0 || r.cells > m.runs[top].cells) {
				top = i
			}
		}
		if top < 0 {
			return
		}
		r := m.runs[top]
		m.runs[top].count = 0
		// A tag over the middle of the group's longest row: readable
		// whatever the cell size.
		s := label(int(r.owner))
		tw := k.TextWidth(s, 18, true) + k.Px(10)
		th := k.LineHeight(18)
		cx := g.X + (float64(r.start%g.Cols)+float64(r.count)/2)*g.Cell
		cy := g.Y + (float64(r.start/g.Cols)+0.5)*g.Cell
		x := max(g.X, min(cx-tw/2, g.X+float64(g.Cols)*g.Cell-tw))
		tag := Rect{x, cy - th/2, tw, th}
		if m.tagOverlaps(tag) {
			continue // two groups side by side: one label is enough
		}
		m.tags = append(m.tags, Rect{x, cy - th/2, tw, th})
		k.Rect(dst, x, cy-th/2, tw, th, k.Theme.Panel)
		k.Occlude(Rect{x, cy - th/2, tw, th})
		k.Text(dst, s, x+tw/2, cy-th/2, 18, true, k.Theme.Text, Center)
	}
}

func (m *Memory) tagOverlaps(r Rect) bool {
	for _, o := range m.tags {
		if r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H {
			return true
		}
	}
	return false
}

// drawLink draws the host link: each direction's copies as packets sized
// by their bytes (a packet's cells hold what the memory grids' cells hold),
// and what the link is doing in words.
func (m *Memory) drawLink(dst *ebiten.Image, k *Kit, e *sim.Engine, r Rect, selected int) {
	t := k.Theme
	c := e.Config()
	bw := c.HostLinkBW()
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Frame(dst, r.X, r.Y, r.W, r.H, max(1, k.Px(1.5)), t.Edge)
	pad := k.Px(14)
	head := fmt.Sprintf("Host link · %s · %s/s each way", c.GPU.Link, sim.FormatBytes(int64(bw)))
	if s := m.Flights.Slowed(); s >= 1.5 {
		head += fmt.Sprintf(" · copies shown slowed ×%.0f", s)
	}
	k.Text(dst, k.Fit(head, r.W-2*pad, 20, true), r.X+pad, r.Y+k.Px(6), 20, true, t.Text, Left)
	now := e.Now()
	toCPU, toGPU := m.Flights.BytesInFlight()
	rowY := [2]float64{r.Y + k.Px(6) + k.LineHeight(20), 0}
	rowH := (r.Y + r.H - k.Px(6) - rowY[0]) / 2
	rowY[1] = rowY[0] + rowH
	nameW := k.TextWidth("to CPU", 18, true) + k.Px(16)
	for i, dir := range [2]bool{true, false} {
		name, bytes := "to CPU", toCPU
		if !dir {
			name, bytes = "to GPU", toGPU
		}
		y := rowY[i]
		k.Text(dst, name, r.X+pad, y+(rowH-k.LineHeight(18))/2, 18, true, t.TextDim, Left)
		busy := false
		for _, fl := range m.Flights.list {
			busy = busy || fl.toCPU == dir && fl.start <= now && now < fl.end
		}
		queued, queuedBytes := m.Flights.Queued(dir)
		status := "idle"
		if bytes > 0 {
			status = sim.FormatBytes(bytes-queuedBytes) + " in flight"
			if busy {
				status += fmt.Sprintf(" · %s/s in use", sim.FormatBytes(int64(bw)))
			}
			if queued > 0 {
				status += fmt.Sprintf(" · %d more queued", queued)
			}
		}
		// The track between the name and the status, which gets at most
		// half the row.
		status = k.Fit(status, (r.W-2*pad-nameW)/2, 18, false)
		k.Text(dst, status, r.X+r.W-pad, y+(rowH-k.LineHeight(18))/2, 18, false, t.TextDim, Right)
		tx := r.X + pad + nameW
		tw := r.W - 2*pad - nameW - max(k.TextWidth(status, 18, false), k.TextWidth("00.00 GB in flight", 18, false)) - k.Px(12)
		k.Rect(dst, tx, y+rowH/2-max(1, k.Px(1)), tw, max(2, k.Px(2)), t.Edge)
		m.trackPackets(dst, k, e, dir, tx, y+k.Px(2), tw, rowH-k.Px(4), selected)
	}
}

// trackPackets draws one direction's copies moving along their track.
func (m *Memory) trackPackets(dst *ebiten.Image, k *Kit, e *sim.Engine, toCPU bool, x, y, w, h float64, selected int) {
	if toCPU {
		m.packets = m.packets[:0]
	}
	t := k.Theme
	c := e.Config()
	cellBytes := float64(max(m.VRAM.Per, 1)) * float64(c.BlockBytes())
	cell := max(m.VRAM.Cell, k.Px(4))
	rows := max(1, int(h/cell))
	// Copies under way together queue along the track, the oldest in
	// front, so that each packet (and its label) can be seen: edge is how
	// far the packet behind the last one drawn may reach.
	edge, gap := math.Inf(1), k.Px(6)
	now := e.Now()
	for _, fl := range m.Flights.list {
		if fl.toCPU != toCPU || fl.waiting(now) {
			continue
		}
		cells := int(float64(fl.bytes)/cellBytes + 0.999)
		pr := min(rows, max(1, cells))
		pw := min(float64((cells+pr-1)/pr)*cell, w*0.4)
		ph := float64(pr) * cell
		// Distance travelled along the track, in the copy's direction.
		along := min((w-pw)*Smoothstep(fl.progress), edge-pw)
		edge = max(0, along) - gap
		along = max(0, along)
		px := x + along
		if !toCPU {
			px = x + w - pw - along
		}
		py := y + (h-ph)/2
		// A swap's packet is the request's KV on its way; cached prefix
		// blocks keep their own colour on the link.
		col, s := t.Copying, label(fl.req)
		if fl.cached {
			col = t.Cached
			if fl.req < 0 {
				s = "cached"
			}
		}
		k.Rect(dst, px, py, pw, ph, col)
		if fl.req == selected && fl.req >= 0 {
			k.Frame(dst, px-k.Px(3), py-k.Px(3), pw+k.Px(6), ph+k.Px(6), k.Px(3), t.Accent)
		}
		if k.TextWidth(s, 18, true)+k.Px(6) <= pw && ph >= k.LineHeight(18)*0.8 {
			k.Text(dst, s, px+pw/2, py+(ph-k.LineHeight(18))/2, 18, true, contrast(col), Center)
		}
		m.packets = append(m.packets, PacketBox{fl.req, toCPU, fl.cached, fl.bytes, Rect{px, py, pw, ph}})
	}
}

func gpuLabel(c sim.Config) string {
	if c.GPUs() > 1 {
		return fmt.Sprintf("%d× %s · %s", c.GPUs(), c.GPU.Name, sim.FormatBytes(c.VRAMBytes()))
	}
	return fmt.Sprintf("%s · %s", c.GPU.Name, sim.FormatBytes(c.VRAMBytes()))
}

// KVFormula is the KV-per-token arithmetic with this model's numbers.
func KVFormula(c sim.Config) string {
	m := c.Model
	s := fmt.Sprintf("KV per token = 2 × %d layers × %d KV heads × %d dim × 2 B = %s", m.Layers, m.KVHeads, m.HeadDim, sim.FormatKiB(m.KVBytesPerToken()))
	if c.GPUs() > 1 {
		s += fmt.Sprintf(" (%s over %d GPUs)", sim.FormatKiB(c.KVBytesPerToken()), c.GPUs())
	}
	return s
}
