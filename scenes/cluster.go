package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// Cluster is the tour's scene on serving with many GPUs: in every beat two
// clusters of four GPUs serve the same traffic side by side, the left as
// most people would start and the right as the beat's idea does it. First
// routing (round-robin against least-requests, with a few huge prompts
// among the chats), then prefix affinity, then prefill and decode on
// separate GPUs.
type Cluster struct {
	about
	kit      *render.Kit
	seed     uint64
	beat     int
	err      string
	cfg      sim.Config
	sides    [2]lesson.ClusterSide
	player   *playback.ClusterPlayer
	views    [2]*ClusterView
	controls PlayerControls
	chrome   Chrome
	halves   [2]Rect
	legend   Rect
	boxes    []Rect
	entries  []legendEntry

	// The beats' moments and whole runs, found once.
	backlog    lesson.Backlog
	hasBacklog bool
	outcomes   [3][2]lesson.Outcome
	openAt     int // the position the beat opened at (-1: none)
	captions   []string
	spot       []Callout
	spotlight  Spotlight
	tip        Tip
	pointer    [2]float64
	inspect    *replicaInspector // a replica open in the playground view
	// changed says the setup panel changed the beat's sides; setupErr why
	// its last change could not run.
	changed  bool
	setupErr string
}

// Changed reports whether the sides on screen are not the beat's.
func (s *Cluster) Changed() bool { return s.changed }

// newClusterPlayer plays two sides on c's traffic.
func newClusterPlayer(c sim.Config, sides [2]lesson.ClusterSide) (*playback.ClusterPlayer, error) {
	return playback.NewCluster(lesson.Builder(c, sides))
}

// install puts a player of sides on screen, with views of its own.
func (s *Cluster) install(c sim.Config, sides [2]lesson.ClusterSide, p *playback.ClusterPlayer) {
	s.cfg, s.sides, s.player = c, sides, p
	s.closeInspect()
	for j := range s.views {
		s.views[j] = NewClusterView(s.kit, sides[j].Label)
		switch s.beat {
		case clusterAffinity:
			s.views[j].Figures(CacheFigures)
		case clusterSplit:
			s.views[j].Figures(GapFigures)
		}
	}
	s.controls = PlayerControls{Player: p, Seeked: s.resetViews}
	s.layoutViews()
}

// The beats.
const (
	clusterRouting = iota
	clusterAffinity
	clusterSplit
)

// Where the affinity and disaggregation beats open: far enough in that
// the caches have filled and the pools are busy.
const (
	affinityOpen = 75 * time.Second
	splitOpen    = 30 * time.Second
)

// NewCluster builds the scene at its first beat.
func NewCluster(kit *render.Kit, seed uint64) *Cluster {
	s := &Cluster{kit: kit, seed: seed, openAt: -1, about: about{name: "cluster", title: "Many GPUs: routing, affinity, disaggregation",
		intro: fmt.Sprintf("When one GPU is not enough, a router hands each request to one of several replicas, each with its own queue and VRAM, and where it goes matters. In every beat two clusters of %d GPUs serve the same traffic side by side.", lesson.ClusterGPUs)}}
	if c, err := lesson.RoutingConfig(seed); err == nil {
		s.backlog, s.hasBacklog = lesson.FindBacklog(c, lesson.RoutingSides, playback.ClusterStep)
	}
	for beat := range s.outcomes {
		c, sides, err := s.setup(beat)
		if err == nil {
			s.outcomes[beat], err = lesson.Outcomes(c, sides)
		}
		if err != nil {
			s.err = err.Error()
			return s
		}
	}
	s.SetBeat(0)
	return s
}

// setup is a beat's traffic and sides.
func (s *Cluster) setup(beat int) (sim.Config, [2]lesson.ClusterSide, error) {
	switch beat {
	case clusterAffinity:
		c, err := lesson.AffinityConfig(s.seed)
		return c, lesson.AffinitySides, err
	case clusterSplit:
		c, err := lesson.DisaggregationConfig(s.seed)
		return c, lesson.DisaggregationSides, err
	}
	c, err := lesson.RoutingConfig(s.seed)
	return c, lesson.RoutingSides, err
}

func (s *Cluster) Beats() []string {
	if s.captions == nil {
		s.captions = s.words()
	}
	return s.captions
}

// words are the beats' captions, from the runs' moments and outcomes.
func (s *Cluster) words() []string {
	if s.err != "" {
		return []string{s.err, s.err, s.err}
	}
	pct := func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
	r := s.outcomes[clusterRouting]
	routing := "Round-robin deals requests in turn, blind to their size; least-requests sends each where fewest are outstanding."
	if b := s.backlog; s.hasBacklog {
		routing = fmt.Sprintf("Round-robin (left) deals requests in turn, blind to their size: at %s GPU %d prefills a %s-token document and %d requests wait behind it. Least-requests (right) goes where fewer wait: no queue over %d. In SLO over the run: %s against %s.",
			fmtDur(b.At), b.Replica+1, thousands(b.Prompt), b.Waiting, b.Other, pct(r[0].Summary.SLOAttainment), pct(r[1].Summary.SLOAttainment))
	}
	a := s.outcomes[clusterAffinity]
	affinity := fmt.Sprintf("%d apps, each with its own %s-token system prompt, on four L4s. Round-robin puts every app on every GPU, where the prompts push each other out: %s of prompt tokens cached. Prefix affinity (right) sends an app where its prompt is cached: %s.",
		lesson.AffinityPrompts, thousands(lesson.AffinityPromptTokens), pct(a[0].Summary.CacheHitRate), pct(a[1].Summary.CacheHitRate))
	d := s.outcomes[clusterSplit]
	split := fmt.Sprintf("A 12 ms TBT target. Co-located (left), prompt chunks share iterations with decodes: TBT p99 %s, %s in SLO. Two GPUs prefill and send the KV to two that only decode (right): %s, %s in SLO, for a later first token (%s against %s).",
		render.Ms(d[0].Summary.TBT.P99), pct(d[0].Summary.SLOAttainment), render.Ms(d[1].Summary.TBT.P99), pct(d[1].Summary.SLOAttainment),
		render.Ms(d[1].Summary.TTFT.P50), render.Ms(d[0].Summary.TTFT.P50))
	return []string{routing, affinity, split}
}

func (s *Cluster) Beat() int { return s.beat }

// SetBeat enters a beat from scratch: its two clusters from the start,
// played to the beat's moment and paused there.
func (s *Cluster) SetBeat(i int) {
	s.beat = max(0, min(i, clusterSplit))
	s.closeInspect()
	if s.err != "" {
		return
	}
	c, sides, err := s.setup(s.beat)
	var p *playback.ClusterPlayer
	if err == nil {
		p, err = newClusterPlayer(c, sides)
	}
	if err != nil {
		s.err = err.Error()
		return
	}
	s.changed, s.setupErr = false, ""
	s.install(c, sides, p)
	switch s.beat {
	case clusterRouting:
		if s.hasBacklog {
			p.PlayUntil(func() bool { return p.Now() >= s.backlog.At })
			s.views[0].Mark(s.backlog.Replica)
		}
	case clusterAffinity:
		p.PlayUntil(func() bool { return p.Now() >= affinityOpen })
	case clusterSplit:
		// A moment with KV on the link.
		p.PlayUntil(func() bool { return p.Now() >= splitOpen && len(p.Side(1).InFlight(nil)) > 0 })
	}
	s.openAt = p.Position()
	s.resetViews()
}

// resetViews starts the views over from the clusters as they are now.
func (s *Cluster) resetViews() {
	for j, v := range s.views {
		v.Reset(s.player.Side(j))
		v.Update(s.player.Side(j), 0)
	}
}

func (s *Cluster) Transport() Transport {
	if s.err != "" {
		return nil
	}
	return &s.controls
}

func (s *Cluster) Status() string {
	c := s.cfg
	return fmt.Sprintf("seed %d · %s on %s · %s · timing roofline", s.seed, c.Model.Name, c.GPU.Name, c.Scheduler)
}

func (s *Cluster) Layout(area Rect) {
	s.chrome = layoutChrome(s.kit, s, area)
	s.layoutViews()
	if s.inspect != nil {
		s.inspect.place(s.kit, s.chrome.Body)
	}
}

// layoutViews splits the body in two halves above the legend.
func (s *Cluster) layoutViews() {
	k, b := s.kit, s.chrome.Body
	if b.W <= 0 || s.player == nil {
		return
	}
	s.entries = s.legendEntries(s.entries)
	lh := legendHeight(k, b.W, s.entries)
	s.legend = Rect{b.X, b.Y + b.H - lh, b.W, lh}
	gap := k.Px(40)
	w := (b.W - gap) / 2
	h := b.H - lh - k.Px(12)
	s.halves = [2]Rect{{b.X, b.Y, w, h}, {b.X + w + gap, b.Y, w, h}}
	for j, v := range s.views {
		if v != nil {
			v.Layout(s.player.Side(j), s.halves[j])
		}
	}
}

// legendEntries are exactly what the views draw.
func (s *Cluster) legendEntries(dst []legendEntry) []legendEntry {
	return clusterLegend(s.kit.Theme, dst)
}

// clusterLegend names what a cluster view draws.
func clusterLegend(t *render.Theme, dst []legendEntry) []legendEntry {
	return append(dst[:0], legendEntry{"chat", 1, t.Queued}, legendEntry{"batch", 2, t.Queued},
		legendEntry{"waiting", 0, t.Queued}, legendEntry{"prefill", 0, t.Prefill}, legendEntry{"decode", 0, t.Decode},
		legendEntry{"KV on a link", 0, t.Copying}, legendEntry{"cached prefix", 0, t.Cached}, legendEntry{"free KV space", 0, t.Free})
}

func (s *Cluster) Update(dt time.Duration) {
	if s.err != "" {
		return
	}
	s.player.Frame()
	for j, v := range s.views {
		v.Update(s.player.Side(j), dt)
	}
	if s.inspect != nil {
		s.inspect.update(s.kit, s.chrome.Body, dt)
	}
}

func (s *Cluster) Draw(dst *ebiten.Image) {
	drawChrome(dst, s.kit, s, s.chrome)
	if s.err != "" {
		drawError(dst, s.kit, s.chrome.Body, s.err)
		return
	}
	if err := s.player.Err(); err != nil {
		drawError(dst, s.kit, s.chrome.Body, err.Error())
		return
	}
	if s.setupErr != "" {
		drawError(dst, s.kit, s.chrome.Body, s.setupErr)
		return
	}
	if s.inspect != nil {
		s.inspect.draw(dst, s.kit, s.chrome.Body)
		return
	}
	for j, v := range s.views {
		v.Draw(dst, s.player.Side(j))
	}
	s.boxes = drawLegend(dst, s.kit, s.legend, s.entries, s.boxes)
	s.spotlight.Draw(dst, s.kit, s.chrome.Body, s.callouts())
	s.DrawTip(dst)
}

// callouts point at what the caption names while the clusters stand at
// the beat's moment.
func (s *Cluster) callouts() []Callout {
	s.spot = s.spot[:0]
	if s.inspect != nil || s.openAt < 0 || s.player.Position() != s.openAt {
		return nil
	}
	left, right := s.views[0], s.views[1]
	switch s.beat {
	case clusterRouting:
		if s.hasBacklog {
			s.spot = append(s.spot, Callout{Box: left.tiles[s.backlog.Replica], Label: fmt.Sprintf("%d wait behind a long prompt", s.backlog.Waiting)})
		}
	case clusterAffinity:
		s.spot = append(s.spot, Callout{Box: left.figureBox(), Label: "every prompt on every GPU"}, Callout{Box: right.figureBox(), Label: "each prompt where it is cached"})
	case clusterSplit:
		if pools := right.pools; pools[1].W > 0 {
			s.spot = append(s.spot, Callout{Box: right.linkBox(), Label: "KV to the decode pool"})
		}
		s.spot = append(s.spot, Callout{Box: left.figureBox(), Label: "prompt chunks stretch the gaps"})
	}
	return s.spot
}

// Hover follows the pointer over the tiles.
func (s *Cluster) Hover(x, y float64) {
	s.pointer = [2]float64{x, y}
	if s.inspect != nil {
		s.inspect.hover(x, y)
		return
	}
	for _, v := range s.views {
		if v != nil {
			v.Hover(x, y)
		}
	}
}

// Click on a tile opens its replica in the playground view; a click
// there goes back to the tiles.
func (s *Cluster) Click(x, y float64) {
	if s.inspect != nil {
		s.closeInspect()
		return
	}
	for j, v := range s.views {
		if v == nil {
			continue
		}
		for i, r := range v.tiles {
			if r.Contains(x, y) {
				s.Inspect(j, i)
				return
			}
		}
	}
}

// DrawTip draws the tooltip of the tile under the pointer.
func (s *Cluster) DrawTip(dst *ebiten.Image) {
	if s.inspect != nil {
		return // the playground view draws its own
	}
	for j, v := range s.views {
		if v == nil {
			continue
		}
		v.Tip(s.player.Side(j), &s.tip)
		if s.tip.Title != "" {
			drawTip(dst, s.kit, s.chrome.Body, s.pointer[0], s.pointer[1], &s.tip)
			return
		}
	}
}

// Settle has nothing to place: the views draw the clusters as they are.
func (s *Cluster) Settle() {}

// Callouts are what the beat points at, for tests.
func (s *Cluster) Callouts() []Callout { return s.spot }

// Views are the two sides' views, for tests.
func (s *Cluster) Views() [2]*ClusterView { return s.views }

// Player is the clusters' player, for tests.
func (s *Cluster) Player() *playback.ClusterPlayer { return s.player }
