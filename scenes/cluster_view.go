package scenes

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/cluster"
	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// ClusterView draws one cluster: its router at the top, a tile per GPU
// below (its queue, its running batch and a VRAM bar in state colours),
// requests flying from the router to the tile it chose, and, when the
// cluster is disaggregated, each prompt's KV flying from its prefill tile
// to its decode tile.
type ClusterView struct {
	kit    *render.Kit
	name   string
	area   Rect
	router Rect
	tiles  []Rect
	pools  [2]Rect // disaggregated: the prefill and decode pools' frames
	// routed and handed are the requests and handoffs already flown;
	// flights those in the air.
	routed, handed int
	flights        []clusterFlight
	// figures is the side's line of figures, made by figuresOf when time
	// moved.
	figures   string
	figuresAt time.Duration
	figuresOf func(sim.Summary) string
	// sinceFigures is the time since they were last worded.
	sinceFigures time.Duration
	inFlight     []cluster.Flight // reused each frame
	hover        int              // the tile under the pointer (-1: none)
	marked       int              // the tile the beat points at (-1: none)
}

// clusterFlight is a request on its way to a tile, or a KV between tiles.
type clusterFlight struct {
	from, to int // tiles (-1 from: the router)
	class    sim.Class
	kv       bool
	age      time.Duration
}

// Flights take this long on screen, whatever they take in the run: a
// routing decision takes no time and a KV copy a few milliseconds, too
// short to see; the figures say how long.
const (
	routeFlight = 450 * time.Millisecond
	kvFlight    = 600 * time.Millisecond
	maxFlights  = 64
	// figuresEvery is how often a playing side's figures are worded again.
	figuresEvery = 250 * time.Millisecond
)

// NewClusterView makes a view of a cluster called name.
func NewClusterView(kit *render.Kit, name string) *ClusterView {
	return &ClusterView{kit: kit, name: name, hover: -1, marked: -1, figuresAt: -1, figuresOf: ClusterFigures}
}

// Figures sets what the side's line of figures says.
func (v *ClusterView) Figures(of func(sim.Summary) string) { v.figuresOf = of }

// Mark points the eye at one tile (-1: none).
func (v *ClusterView) Mark(tile int) { v.marked = tile }

// Reset forgets what has flown, after a jump in time.
func (v *ClusterView) Reset(cl *cluster.Cluster) {
	v.flights = v.flights[:0]
	v.routed, v.handed = cl.Routed(), len(cl.Handoffs())
	v.figuresAt = -1
}

// Layout places the view: a title line, the router, and the tiles in a
// row, split in two pools when the cluster is disaggregated.
func (v *ClusterView) Layout(cl *cluster.Cluster, area Rect) {
	k := v.kit
	v.area = area
	n := len(cl.Engines)
	// Under the figures, room for a callout's label; under the router,
	// room for the requests' flights.
	top := area.Y + k.LineHeight(26) + k.LineHeight(22) + k.Px(12) + k.LineHeight(22) + k.Px(16)
	rw, rh := min(area.W*0.6, k.Px(320)), k.LineHeight(22)+k.Px(16)
	v.router = Rect{area.X + (area.W-rw)/2, top, rw, rh}
	ty := top + rh + min(k.Px(70), area.H*0.08)
	th := area.Y + area.H - ty
	gap := k.Px(14)
	prefill, _, pd := cl.Disaggregated()
	counts := []int{n}
	poolGap := 0.0
	if pd {
		counts = []int{prefill, n - prefill}
		poolGap = k.Px(110)              // room to see the KV cross
		ty += k.LineHeight(20) + k.Px(6) // the pools' names
		th -= k.LineHeight(20) + k.Px(6)
	}
	// Each pool's tiles in a row, or in two rows when a row's tiles would
	// be too narrow for their words.
	minW := k.TextWidth("running 000", 20, false) + k.Px(24)
	v.tiles = v.tiles[:0]
	x := area.X
	for p, m := range counts {
		pw := (area.W - poolGap) * float64(m) / float64(n)
		cols, rows := m, 1
		if m > 1 && (pw-float64(m-1)*gap)/float64(m) < minW {
			cols, rows = (m+1)/2, 2
		}
		tw := (pw - float64(cols-1)*gap) / float64(cols)
		h := (th - float64(rows-1)*gap) / float64(rows)
		for j := range m {
			c, r := j%cols, j/cols
			v.tiles = append(v.tiles, Rect{x + float64(c)*(tw+gap), ty + float64(r)*(h+gap), tw, h})
		}
		if pd {
			lh := k.LineHeight(20) + k.Px(6)
			v.pools[p] = Rect{x, ty - lh, pw, lh}
		}
		x += pw + poolGap
	}
}

// Update takes in what happened since the last frame: new requests
// routed, KV handed over, and dt of flight time.
func (v *ClusterView) Update(cl *cluster.Cluster, dt time.Duration) {
	kept := v.flights[:0]
	for _, f := range v.flights {
		f.age += dt
		if d := routeFlight; f.age < d || f.kv && f.age < kvFlight {
			kept = append(kept, f)
		}
	}
	v.flights = kept
	_, _, pd := cl.Disaggregated()
	for ; v.routed < cl.Routed(); v.routed++ {
		to, _, _ := cl.Placement(v.routed)
		if pd {
			to, _, _ = cl.PrefillPlacement(v.routed)
		}
		v.fly(clusterFlight{from: -1, to: to, class: cl.Spec(v.routed).Class})
	}
	if pd {
		for _, h := range cl.Handoffs()[v.handed:] {
			v.fly(clusterFlight{from: h.From, to: h.To, kv: true})
		}
		v.handed = len(cl.Handoffs())
	}
	// The figures summarize every request so far: worded again when time
	// has moved, at most four times a second while it plays.
	v.sinceFigures += dt
	if now := cl.Now(); now != v.figuresAt && (v.figuresAt < 0 || v.sinceFigures >= figuresEvery) {
		v.figuresAt, v.sinceFigures = now, 0
		v.figures = v.figuresOf(cl.Result().Summary)
	}
}

// fly adds a flight, dropping the oldest when too many are in the air (at
// high speed most would only blur).
func (v *ClusterView) fly(f clusterFlight) {
	if len(v.flights) >= maxFlights {
		v.flights = append(v.flights[:0], v.flights[1:]...)
	}
	v.flights = append(v.flights, f)
}

// ClusterFigures is a side's figures so far: its first tokens' tail and
// the share of its finished requests within their SLOs.
func ClusterFigures(s sim.Summary) string {
	if s.TTFT.P50 == 0 {
		return "so far: no first token yet"
	}
	return fmt.Sprintf("so far: TTFT p99 %s · in SLO %s", render.Ms(s.TTFT.P99), inSLOSoFar(s))
}

// inSLOSoFar is the share of the finished requests that met their SLOs.
func inSLOSoFar(s sim.Summary) string {
	if s.Completed+s.Rejected == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(s.SLOMet)/float64(s.Completed+s.Rejected))
}

// CacheFigures is a side's prefix-cache hit rate so far.
func CacheFigures(s sim.Summary) string {
	return fmt.Sprintf("so far: %.0f%% of prompt tokens cached", 100*s.CacheHitRate)
}

// GapFigures are a side's token gaps' tail and its requests in SLO so
// far.
func GapFigures(s sim.Summary) string {
	if s.Completed == 0 {
		return "so far: no request finished yet"
	}
	return fmt.Sprintf("so far: TBT p99 %s · in SLO %s", render.Ms(s.TBT.P99), inSLOSoFar(s))
}

// Draw draws the cluster as it is now.
func (v *ClusterView) Draw(dst *ebiten.Image, cl *cluster.Cluster) {
	k, t := v.kit, v.kit.Theme
	a := v.area
	k.Text(dst, k.Fit(v.name, a.W, 26, true), a.X, a.Y, 26, true, t.Text, render.Left)
	k.Text(dst, k.Fit(v.figures, a.W, 22, false), a.X, a.Y+k.LineHeight(26), 22, false, t.TextDim, render.Left)

	r := v.router
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	k.Frame(dst, r.X, r.Y, r.W, r.H, k.Px(2), t.Edge)
	k.Text(dst, k.Fit("router: "+cl.Router.Name, r.W-k.Px(12), 22, true), r.X+r.W/2, r.Y+k.Px(8), 22, true, t.Text, render.Center)

	prefill, link, pd := cl.Disaggregated()
	if pd {
		k.Text(dst, k.Fit("prefill pool", v.pools[0].W, 20, true), v.pools[0].X, v.pools[0].Y, 20, true, t.TextDim, render.Left)
		k.Text(dst, k.Fit("decode pool", v.pools[1].W, 20, true), v.pools[1].X, v.pools[1].Y, 20, true, t.TextDim, render.Left)
		// The interconnect between the pools, and the KV on its way where
		// its copy stands: queued at the prefill pool's edge, then along
		// the link.
		x0, x1 := v.pools[0].X+v.pools[0].W, v.pools[1].X
		mid := v.linkY()
		k.Rect(dst, x0, mid-k.Px(3), x1-x0, k.Px(6), t.Copying)
		k.Text(dst, k.Fit(link.Name, x1-x0, 18, true), (x0+x1)/2, mid+k.Px(8), 18, true, t.Copying, render.Center)
		now, d := cl.Now(), k.Px(20)
		v.inFlight = cl.InFlight(v.inFlight[:0])
		for _, f := range v.inFlight {
			x := x0 + (x1-x0-d)*f.Send.Progress(now)
			k.Rect(dst, x, mid-d*0.4-k.Px(10), d, d*0.8, t.Copying)
		}
	}
	for i, e := range cl.Engines {
		role := ""
		if pd {
			role = "decode"
			if i < prefill {
				role = "prefill"
			}
		}
		v.drawTile(dst, i, e, role)
	}
	for _, f := range v.flights {
		v.drawFlight(dst, f)
	}
}

// drawTile draws one replica: its name, its queue, its running batch and
// its VRAM.
func (v *ClusterView) drawTile(dst *ebiten.Image, i int, e *sim.Engine, role string) {
	k, t := v.kit, v.kit.Theme
	r := v.tiles[i]
	k.Rect(dst, r.X, r.Y, r.W, r.H, t.Panel)
	edge, thick := t.Edge, k.Px(2)
	if i == v.marked || i == v.hover {
		edge, thick = t.Accent, k.Px(4)
	}
	k.Frame(dst, r.X, r.Y, r.W, r.H, thick, edge)
	pad := k.Px(10)
	x, y, w := r.X+pad, r.Y+pad, r.W-2*pad
	// The pools' names say a tile's role.
	k.Text(dst, k.Fit(fmt.Sprintf("GPU %d", i+1), w, 22, true), x, y, 22, true, t.Text, render.Left)
	y += k.LineHeight(22) + k.Px(6)

	// VRAM at the bottom: the KV space, in the colours of what holds it.
	u := e.VRAMUse()
	total := float64(max(1, e.CapacityBlocks()))
	bar := v.BarBox(i)
	bh, by := bar.H, bar.Y
	used := fmt.Sprintf("KV %.0f%% used", 100*(1-float64(u.Free)/total))
	if s := e.Counters(); s.CachedTokens > 0 && role != "decode" {
		// The replica's prefix-cache hit rate, the affinity beat's figure.
		used = fmt.Sprintf("KV %.0f%% · %.0f%% hits", 100*(1-float64(u.Free)/total), 100*float64(s.CachedTokens)/float64(max(1, s.PromptTokens)))
	}
	k.Text(dst, k.Fit(used, w, 18, false), x, by+bh+k.Px(4), 18, false, t.TextDim, render.Left)

	// The queue and the running batch share what is left, each as many
	// rows of dots as fit.
	waiting := e.Waiting()
	running := e.Prefilling().Len() + e.Decoding().Len()
	label := k.LineHeight(20) + k.Px(4)
	step := k.Px(18)
	switch room := by - y - k.Px(4); {
	case room >= 2*(label+step+k.Px(8)):
		rows := max(1, int((room/2-label-k.Px(8))/step))
		y = v.dotRows(dst, x, y, w, rows, fmt.Sprintf("waiting %d", waiting), waiting, 0, t.Queued, t.Queued)
		v.dotRows(dst, x, y, w, rows, fmt.Sprintf("running %d", running), e.Prefilling().Len(), e.Decoding().Len(), t.Prefill, t.Decode)
	case room >= 2*label:
		k.Text(dst, k.Fit(fmt.Sprintf("waiting %d", waiting), w, 20, false), x, y, 20, false, t.Text, render.Left)
		k.Text(dst, k.Fit(fmt.Sprintf("running %d", running), w, 20, false), x, y+label, 20, false, t.Text, render.Left)
	case room >= label:
		k.Text(dst, k.Fit(fmt.Sprintf("%d waiting · %d running", waiting, running), w, 20, false), x, y, 20, false, t.Text, render.Left)
	}
	bx := x
	for _, seg := range [...]struct {
		n int
		c color.RGBA
	}{{u.Decode, t.Decode}, {u.Prefill, t.Prefill}, {u.Copying, t.Copying}, {u.Cached, t.Cached}, {u.Free, t.Free}} {
		sw := w * float64(seg.n) / total
		k.Rect(dst, bx, by, sw, bh, seg.c)
		bx += sw
	}
	k.Frame(dst, x, by, w, bh, k.Px(1), t.Edge)
}

// dotRows draws a label and up to rows rows of dots, a of colour ca then
// b of colour cb, as many as fit and a count of the rest; it returns the
// y below them.
func (v *ClusterView) dotRows(dst *ebiten.Image, x, y, w float64, rows int, label string, a, b int, ca, cb color.RGBA) float64 {
	k, t := v.kit, v.kit.Theme
	k.Text(dst, k.Fit(label, w, 20, false), x, y, 20, false, t.Text, render.Left)
	y += k.LineHeight(20) + k.Px(4)
	d := k.Px(14)
	step := d + k.Px(4)
	perRow := max(1, int(w/step))
	fit := perRow * rows
	n := a + b
	if n > fit {
		fit -= 2 // room for the count of the rest
	}
	for j := range min(n, fit) {
		c := ca
		if j >= a {
			c = cb
		}
		k.Disc(dst, x+float64(j%perRow)*step, y+float64(j/perRow)*step, d, c)
	}
	if n > fit {
		k.Text(dst, fmt.Sprintf("+%d", n-fit), x+float64(fit%perRow)*step, y+float64(fit/perRow)*step-k.Px(3), 18, true, t.TextDim, render.Left)
	}
	used := (min(n, fit+1) + perRow - 1) / perRow
	return y + float64(max(1, used))*step + k.Px(8)
}

// drawFlight draws a request on its way from the router, or a KV on its
// way between pools, eased so that it leaves quickly and lands gently.
func (v *ClusterView) drawFlight(dst *ebiten.Image, f clusterFlight) {
	k, t := v.kit, v.kit.Theme
	to := v.tiles[f.to]
	var x0, y0, x1, y1 float64
	dur := routeFlight
	if f.kv {
		// From the link's end to the decode tile that takes the KV.
		x0, y0 = v.pools[1].X, v.linkY()
		x1, y1 = to.X, to.Y+to.H*0.35
		dur = kvFlight
	} else {
		x0, y0 = v.router.X+v.router.W/2, v.router.Y+v.router.H
		x1, y1 = to.X+to.W/2, to.Y
	}
	p := math.Min(1, float64(f.age)/float64(dur))
	p = 1 - (1-p)*(1-p)
	x, y := x0+(x1-x0)*p, y0+(y1-y0)*p
	d := k.Px(16)
	switch {
	case f.kv:
		k.Rect(dst, x-d*0.7, y-d*0.4, d*1.4, d*0.8, t.Copying)
	case f.class == sim.Batch:
		k.Rect(dst, x-d/2, y-d/2, d, d, t.Queued)
	default:
		k.Disc(dst, x-d/2, y-d/2, d, t.Queued)
	}
}

// Hover notes the tile under the pointer; HoverTip says what it holds.
func (v *ClusterView) Hover(x, y float64) {
	v.hover = -1
	for i, r := range v.tiles {
		if r.Contains(x, y) {
			v.hover = i
		}
	}
}

// Tip describes the tile under the pointer into tip (no title: none).
func (v *ClusterView) Tip(cl *cluster.Cluster, tip *Tip) {
	tip.Title, tip.Lines = "", tip.Lines[:0]
	if v.hover < 0 || v.hover >= len(cl.Engines) {
		return
	}
	// From the engine's running counts, not a pass over its requests:
	// the tip is drawn every frame the pointer rests.
	e := cl.Engines[v.hover]
	tip.Title = fmt.Sprintf("GPU %d: one replica, its own queue and VRAM", v.hover+1)
	tip.Lines = append(tip.Lines,
		fmt.Sprintf("%d waiting, %d prefilling, %d decoding", e.Waiting(), e.Prefilling().Len(), e.Decoding().Len()),
		fmt.Sprintf("%d requests routed here so far, %d finished here", e.Len(), e.Finished()))
	if n := lesson.LongestPrompt(e); n > 0 {
		tip.Lines = append(tip.Lines, fmt.Sprintf("longest prompt under way: %s tokens", thousands(n)))
	}
	if c := e.Counters(); c.CachedTokens > 0 {
		tip.Lines = append(tip.Lines, fmt.Sprintf("%.0f%% of its prompt tokens came from its prefix cache", 100*float64(c.CachedTokens)/float64(c.PromptTokens)))
	}
}

// figureBox is where the side's figures are written.
func (v *ClusterView) figureBox() Rect {
	k := v.kit
	return Rect{v.area.X, v.area.Y + k.LineHeight(26), min(v.area.W, k.TextWidth(v.figures, 22, false)), k.LineHeight(22)}
}

// linkBox is the interconnect between the pools (zero when co-located).
func (v *ClusterView) linkBox() Rect {
	if v.pools[1].W == 0 {
		return Rect{}
	}
	k := v.kit
	x0, x1 := v.pools[0].X+v.pools[0].W, v.pools[1].X
	return Rect{x0 + k.Px(4), v.linkY() - k.Px(22), x1 - x0 - k.Px(8), k.Px(32) + k.LineHeight(18)}
}

// linkY is the height the link between the pools runs at: through the
// tiles' empty middle, below their dots and above their VRAM bars, where
// a callout's label covers no words.
func (v *ClusterView) linkY() float64 {
	r, bar := v.tiles[0], v.BarBox(0)
	return max(r.Y+r.H*0.35, bar.Y-v.kit.Px(90))
}

// Tiles are the GPU tiles as last laid out.
func (v *ClusterView) Tiles() []Rect { return v.tiles }

// BarBox is tile i's VRAM bar.
func (v *ClusterView) BarBox(i int) Rect {
	k, r := v.kit, v.tiles[i]
	pad := k.Px(10)
	bh := max(k.Px(28), k.LineHeight(18))
	return Rect{r.X + pad, r.Y + r.H - pad - bh - k.LineHeight(18) - k.Px(4), r.W - 2*pad, bh}
}
