package render

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// Lane is where a request is drawn.
type Lane int

const (
	LaneQueue   Lane = iota // waiting for a prompt chunk
	LanePrefill             // ran a prompt chunk in the last tick
	LaneDecode              // producing tokens
	LaneSwapped             // KV in CPU memory, or in flight over the link
	LaneDone                // leaving
	laneCount
)

var laneTitles = [laneCount]string{"Waiting", "Prefill", "Decode", "Swapped", "Done"}

// sprite is a request's visual state: where it is drawn now and where it is
// heading. Sprites glide; the simulation never depends on them.
type sprite struct {
	x, y, size float64 // current
	tx, ty, ts float64 // target
	alpha      float64
	lane       Lane
	seen       bool // still wanted this frame
}

// Sprites keeps the visual state of every request on screen, keyed by ID.
type Sprites struct {
	byID  map[int]*sprite
	slots [laneCount][]int // request IDs per lane, in slot order (-1: a hole, see AlignSlots)
	count [laneCount]int   // requests per lane
	done  []int            // recently completed, leaving
	free  []*sprite        // recycled, so steady frames do not allocate
	snap  bool             // place sprites at once at the next update
}

// NewSprites returns an empty set.
func NewSprites() *Sprites { return &Sprites{byID: map[int]*sprite{}, snap: true} }

// Reset forgets every sprite: after a jump in time nothing should glide, so
// the next update places each sprite where it belongs at once.
func (s *Sprites) Reset() {
	for id, sp := range s.byID {
		s.free = append(s.free, sp)
		delete(s.byID, id)
	}
	s.done = s.done[:0]
	s.snap = true
}

// Settle makes the next update place sprites at once.
func (s *Sprites) Settle() { s.snap = true }

// Layout of the lanes panel, in screen pixels.
type LaneLayout struct {
	X, Y, W, H float64
}

func (l LaneLayout) laneBox(k *Kit, lane Lane) (x, y, w, h float64) {
	// Room for the widest title and a three-digit count beside it.
	head := max(k.Px(150), k.TextWidth("Swapped", 21, true)+k.TextWidth("000", 21, true)+k.Px(36))
	lh := l.H / float64(laneCount)
	return l.X + head, l.Y + float64(lane)*lh, l.W - head, lh
}

// Update sets every sprite's target from the engine and eases it there.
// completed lists requests that finished in the ticks just run (they slide
// out of the done lane). dt is the frame's wall-clock time.
func (s *Sprites) Update(k *Kit, e *sim.Engine, layout LaneLayout, completed []int, dt time.Duration) {
	s.Collect(k, e, layout, completed)
	s.Place(k, layout, dt)
}

// Collect fills the lanes from the engine: Update's first half, which a
// duel's two views follow with AlignSlots before they Place.
func (s *Sprites) Collect(k *Kit, e *sim.Engine, layout LaneLayout, completed []int) {
	for i := range s.slots {
		s.slots[i] = s.slots[i][:0]
	}
	// Active requests are those arrived and not finished; only they (and
	// the ones leaving) are visited, so the cost follows what is on screen.
	s.slots[LanePrefill] = e.Prefilling().AppendTo(s.slots[LanePrefill])
	s.slots[LaneDecode] = e.Decoding().AppendTo(s.slots[LaneDecode])
	s.slots[LaneSwapped] = e.Swapped().AppendTo(s.slots[LaneSwapped])
	for _, t := range e.Transfers().All() {
		s.slots[LaneSwapped] = append(s.slots[LaneSwapped], t.Req)
	}
	s.done = append(s.done, completed...)
	// Only the latest that fit on one row of the done lane stay.
	_, _, doneW, doneH := layout.laneBox(k, LaneDone)
	size, _ := slotSize(k, doneW, doneH, 1)
	if n, fit := len(s.done), max(1, int((doneW-k.Px(16))/(size*1.15))); n > fit {
		s.done = append(s.done[:0], s.done[n-fit:]...)
	}
	s.slots[LaneDone] = append(s.slots[LaneDone], s.done...)
	s.slots[LaneQueue] = queued(e, s.slots[LaneQueue])
	for lane, ids := range s.slots {
		s.count[lane] = len(ids)
	}
}

// AlignSlots gives two views of one traffic the same slots: in every lane
// but the done lane, each view's requests go in ID order into the slots of
// both views' requests together, leaving a hole where the other view has
// a request this one does not. A request in the same lane on both sides is
// then in the same place on both, and the same size.
func AlignSlots(a, b *Sprites) {
	for lane := range LaneDone {
		ua, ub := a.slots[lane], b.slots[lane]
		slices.Sort(ua)
		slices.Sort(ub)
		// Merge into scratch space after each list, then move it down.
		na, nb := len(ua), len(ub)
		for i, j := 0, 0; i < na || j < nb; {
			switch {
			case j == nb || (i < na && ua[i] < ub[j]):
				ua, ub = append(ua, ua[i]), append(ub, -1)
				i++
			case i == na || ub[j] < ua[i]:
				ua, ub = append(ua, -1), append(ub, ub[j])
				j++
			default:
				ua, ub = append(ua, ua[i]), append(ub, ub[j])
				i, j = i+1, j+1
			}
		}
		a.slots[lane] = append(ua[:0], ua[na:]...)
		b.slots[lane] = append(ub[:0], ub[nb:]...)
	}
}

// Place sets every sprite's target from its slot and eases it there:
// Update's second half.
func (s *Sprites) Place(k *Kit, layout LaneLayout, dt time.Duration) {
	for _, sp := range s.byID {
		sp.seen = false
	}
	for lane, ids := range s.slots {
		x, y, w, h := layout.laneBox(k, Lane(lane))
		size, cols := slotSize(k, w, h, len(ids))
		for i, id := range ids {
			if id < 0 {
				continue
			}
			sp := s.get(id, layout, k)
			sp.seen, sp.lane = true, Lane(lane)
			col, row := i%cols, i/cols
			sp.tx = x + k.Px(8) + float64(col)*size*1.15
			sp.ty = y + k.Px(8) + float64(row)*size*1.15
			sp.ts = size
			if lane == int(LaneDone) {
				// Leaving to the right: the newest nearest the edge.
				sp.tx = x + w - k.Px(8) - float64(len(ids)-i)*size*1.15
				sp.ty = y + k.Px(8)
			}
		}
	}
	ease := 1 - math.Exp(-dt.Seconds()*10)
	if s.snap {
		ease, s.snap = 1, false
	}
	for id, sp := range s.byID {
		if !sp.seen {
			s.free = append(s.free, sp)
			delete(s.byID, id)
			continue
		}
		sp.x += (sp.tx - sp.x) * ease
		sp.y += (sp.ty - sp.y) * ease
		sp.size += (sp.ts - sp.size) * ease
		sp.alpha = min(1, sp.alpha+max(dt.Seconds()*4, ease))
	}
}

// queued lists the waiting requests in arrival order: those arrived and not
// in any other list. It walks arrived, unfinished requests only.
func queued(e *sim.Engine, dst []int) []int {
	for id := e.Arrived() - 1; id >= 0 && len(dst) < e.Waiting(); id-- {
		if e.Request(id).State == sim.Waiting {
			dst = append(dst, id)
		}
	}
	for i, j := 0, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// slotSize picks the sprite size that fits n sprites in a lane box.
func slotSize(k *Kit, w, h float64, n int) (size float64, cols int) {
	// A sprite (and its progress bar) must fit the lane's height.
	size = min(k.Px(44), (h-k.Px(12))/1.15)
	for size > k.Px(6) {
		cols = max(1, int((w-k.Px(16))/(size*1.15)))
		rows := max(1, int((h-k.Px(16))/(size*1.15)))
		if cols*rows >= n {
			return size, cols
		}
		size *= 0.85
	}
	return size, max(1, int((w-k.Px(16))/(size*1.15)))
}

func (s *Sprites) get(id int, layout LaneLayout, k *Kit) *sprite {
	if sp, ok := s.byID[id]; ok {
		return sp
	}
	var sp *sprite
	if n := len(s.free); n > 0 {
		sp, s.free = s.free[n-1], s.free[:n-1]
		*sp = sprite{}
	} else {
		sp = &sprite{}
	}
	// New sprites slide in from the left edge of the queue lane.
	x, y, _, _ := layout.laneBox(k, LaneQueue)
	sp.x, sp.y, sp.size = x-k.Px(40), y+k.Px(8), k.Px(30)
	s.byID[id] = sp
	return sp
}

// Draw draws the lane backgrounds, titles and every sprite.
func (s *Sprites) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, layout LaneLayout, selected int) {
	t := k.Theme
	for lane := Lane(0); lane < laneCount; lane++ {
		x, y, w, h := layout.laneBox(k, lane)
		c := [laneCount]rgba{t.Queued, t.Prefill, t.Decode, t.Swapped, t.Done}[lane]
		k.Rect(dst, layout.X, y+k.Px(2), k.Px(6), h-k.Px(4), c)
		// The title, and under it the count when the lane is tall enough
		// (else beside it, at the head column's right edge).
		k.Text(dst, laneTitles[lane], layout.X+k.Px(16), y+k.Px(6), 21, true, t.Text, Left)
		count := fmt.Sprint(s.count[lane])
		if h >= k.LineHeight(21)+k.LineHeight(28)+k.Px(8) {
			k.Text(dst, count, layout.X+k.Px(16), y+k.Px(6)+k.LineHeight(21), 28, true, c, Left)
		} else {
			k.Text(dst, count, x-k.Px(10), y+k.Px(6), 21, true, c, Right)
		}
		k.Rect(dst, x, y+h-k.Px(1), w, max(1, k.Px(1)), t.Edge)
	}
	for lane, ids := range s.slots {
		for _, id := range ids {
			sp := s.byID[id]
			if sp == nil {
				continue
			}
			s.drawSprite(dst, k, e.Request(id), sp, Lane(lane), id == selected)
		}
	}
}

func (s *Sprites) drawSprite(dst *ebiten.Image, k *Kit, r sim.Request, sp *sprite, lane Lane, selected bool) {
	t := k.Theme
	w, h := sp.size, sp.size
	fill := t.StateOf(r)
	// The colour is the state; the shape tells the class at a glance: a
	// disc for a chat, a square for batch work.
	if r.Class == sim.Interactive {
		k.Disc(dst, sp.x, sp.y, w, withAlpha(fill, sp.alpha))
	} else {
		k.Rect(dst, sp.x, sp.y, w, h, withAlpha(fill, sp.alpha))
	}
	// Progress: the prompt while prefilling or waiting, the answer after.
	var done float64
	switch lane {
	case LaneQueue, LanePrefill:
		if target := r.PrefillTarget(); target > 0 {
			done = float64(r.Prefilled) / float64(target)
		}
	default:
		done = float64(r.Decoded) / float64(max(1, r.Output))
	}
	if sp.size >= k.Px(14) {
		// Progress, under the shape: the prompt, then the answer.
		k.Rect(dst, sp.x, sp.y+h+k.Px(1), w, max(2, k.Px(4)), withAlpha(t.Free, sp.alpha))
		k.Rect(dst, sp.x, sp.y+h+k.Px(1), w*done, max(2, k.Px(4)), withAlpha(t.Text, sp.alpha))
	}
	// The label only where it fits inside the shape (a disc's inner
	// square is narrower).
	room := w * 0.92
	if r.Class == sim.Interactive {
		room = w * 0.84
	}
	// "R12" where it fits, else the number alone.
	lbl := label(r.ID)
	if k.TextWidth(lbl, 18, false) > room {
		lbl = lbl[1:]
	}
	if k.TextWidth(lbl, 18, false) <= room && k.LineHeight(18) <= h*1.1 {
		k.Text(dst, lbl, sp.x+w/2, sp.y+(h-k.LineHeight(18))/2, 18, false, contrast(fill), Center)
	}
	if selected {
		k.Frame(dst, sp.x-k.Px(4), sp.y-k.Px(4), w+k.Px(8), h+k.Px(8), k.Px(3), t.Accent)
	}
}

// Center is the centre of a request's sprite, if it is on screen.
func (s *Sprites) Center(id int) (x, y float64, ok bool) {
	sp := s.byID[id]
	if sp == nil {
		return 0, 0, false
	}
	return sp.x + sp.size/2, sp.y + sp.size/2, true
}

// Box is where a request's sprite is drawn, if it is on screen.
func (s *Sprites) Box(id int) (r Rect, ok bool) {
	sp := s.byID[id]
	if sp == nil {
		return Rect{}, false
	}
	return Rect{sp.x, sp.y, sp.size, sp.size}, true
}

// Hit returns the request whose sprite is under (x, y), or -1.
func (s *Sprites) Hit(x, y float64) int {
	for id, sp := range s.byID {
		if x >= sp.x && x < sp.x+sp.size && y >= sp.y && y < sp.y+sp.size {
			return id
		}
	}
	return -1
}
