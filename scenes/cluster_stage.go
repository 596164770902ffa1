package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/cluster"
	"inferplay/lesson"
	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// ClusterStage is the playground's cluster mode: the playground's own
// traffic on replicas behind a router, or on prefill and decode pools,
// drawn as the cluster scene draws a side, a click on a tile opening that
// replica in the full playground view.
type ClusterStage struct {
	kit      *render.Kit
	side     lesson.ClusterSide
	player   *playback.ClusterPlayer
	view     *ClusterView
	controls PlayerControls
	area     Rect
	inspect  *replicaInspector // a replica open in the playground view
	tip      Tip
	pointer  [2]float64
	legend   Rect
	entries  []legendEntry
	boxes    []Rect
}

// NewClusterStage builds a stage of cfg's traffic on side.
func NewClusterStage(kit *render.Kit, cfg sim.Config, side lesson.ClusterSide) (*ClusterStage, error) {
	sides := func() ([]*cluster.Cluster, error) {
		cl, err := side.Build(cfg)
		if err != nil {
			return nil, err
		}
		return []*cluster.Cluster{cl}, nil
	}
	p, err := playback.NewCluster(sides)
	if err != nil {
		return nil, err
	}
	s := &ClusterStage{kit: kit, side: side, player: p, view: NewClusterView(kit, side.Label)}
	s.controls = PlayerControls{Player: p, Seeked: s.Reset}
	s.Reset()
	return s, nil
}

// StageSide names a cluster of the playground: n co-located replicas, or
// prefill and decode pools over link.
func StageSide(replicas, prefill, decode int, router, link string) lesson.ClusterSide {
	s := lesson.ClusterSide{Replicas: replicas, Prefill: prefill, Decode: decode, Router: router, Link: link}
	s.Label = fmt.Sprintf("%d GPUs behind %s", replicas, router)
	if prefill > 0 {
		s.Label = fmt.Sprintf("%d prefill + %d decode GPUs over %s, behind %s", prefill, decode, link, router)
	}
	return s
}

// Reset starts the view over from the cluster as it is now, after a jump
// in time.
func (s *ClusterStage) Reset() {
	s.view.Reset(s.player.Side(0))
	s.view.Update(s.player.Side(0), 0)
}

// Tiles are the GPU tiles as last laid out.
func (s *ClusterStage) Tiles() []Rect { return s.view.Tiles() }

// Label is the stage's cluster in words.
func (s *ClusterStage) Label() string { return s.side.Label }

// Player is the stage's player.
func (s *ClusterStage) Player() *playback.ClusterPlayer { return s.player }

// Transport is what the playback keys act on.
func (s *ClusterStage) Transport() Transport { return &s.controls }

// Inspecting is the replica open in the playground view (-1: none).
func (s *ClusterStage) Inspecting() int {
	if s.inspect == nil {
		return -1
	}
	return s.inspect.run.replica
}

// Layout places the stage.
func (s *ClusterStage) Layout(area Rect) {
	s.area = area
	k := s.kit
	s.entries = clusterLegend(k.Theme, s.entries)
	lh := legendHeight(k, area.W, s.entries)
	s.legend = Rect{area.X, area.Y + area.H - lh, area.W, lh}
	s.view.Layout(s.player.Side(0), Rect{area.X, area.Y, area.W, area.H - lh - k.Px(10)})
	if s.inspect != nil {
		s.inspect.place(s.kit, area)
	}
}

// Update plays a frame.
func (s *ClusterStage) Update(dt time.Duration) {
	s.player.Frame()
	s.view.Update(s.player.Side(0), dt)
	if s.inspect != nil {
		s.inspect.update(s.kit, s.area, dt)
	}
}

// Draw draws the cluster, or the replica open in the playground view.
func (s *ClusterStage) Draw(dst *ebiten.Image) {
	if err := s.player.Err(); err != nil {
		drawError(dst, s.kit, s.area, err.Error())
		return
	}
	if s.inspect != nil {
		s.inspect.draw(dst, s.kit, s.area)
		return
	}
	s.view.Draw(dst, s.player.Side(0))
	s.boxes = drawLegend(dst, s.kit, s.legend, s.entries, s.boxes)
}

// DrawTip draws the tooltip of what the pointer is on.
func (s *ClusterStage) DrawTip(dst *ebiten.Image) {
	if s.inspect != nil {
		return // drawn with the view
	}
	s.view.Tip(s.player.Side(0), &s.tip)
	drawTip(dst, s.kit, s.area, s.pointer[0], s.pointer[1], &s.tip)
}

// Hover follows the pointer.
func (s *ClusterStage) Hover(x, y float64) {
	s.pointer = [2]float64{x, y}
	if s.inspect != nil {
		s.inspect.hover(x, y)
		return
	}
	s.view.Hover(x, y)
}

// Click on a tile opens its replica; a click there goes back.
func (s *ClusterStage) Click(x, y float64) {
	if s.inspect != nil {
		s.inspect = nil
		return
	}
	for i, r := range s.view.Tiles() {
		if r.Contains(x, y) {
			n := len(s.view.Tiles())
			line := fmt.Sprintf("%s: GPU %d in the playground view · click to go back to the cluster", s.side.Label, i+1)
			s.inspect = openReplica(s.kit, s.player, 0, i, fmt.Sprintf("GPU %d of %d", i+1, n), line, s.area)
			return
		}
	}
}
