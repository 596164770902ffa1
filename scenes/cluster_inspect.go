package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// Selecting a GPU tile opens that replica in the full playground view:
// its lanes of requests, its VRAM block by block, its host link and CPU
// memory, its figures. The clusters play on behind it; a click goes back
// to the tiles. The cluster scene and the playground's cluster mode both
// open replicas this way.

// clusterReplica is one replica of a playing cluster, as the playground
// view draws a run.
type clusterReplica struct {
	p             *playback.ClusterPlayer
	side, replica int
}

func (r clusterReplica) Engine() *sim.Engine { return r.p.Side(r.side).Engines[r.replica] }
func (r clusterReplica) Paused() bool        { return r.p.Paused() }
func (r clusterReplica) Finished() bool      { return r.p.Finished() }
func (r clusterReplica) SpeedLabel() string  { return r.p.SpeedLabel() }

// replicaInspector is a replica open in the playground view, under a line
// that says how to go back.
type replicaInspector struct {
	run  clusterReplica
	view *Playground
	line string
}

// openReplica opens replica of side in the playground view, laid out in
// area (the line above it included).
func openReplica(kit *render.Kit, p *playback.ClusterPlayer, side, replica int, heading, line string, area Rect) *replicaInspector {
	in := &replicaInspector{run: clusterReplica{p, side, replica}, view: NewPlayground(kit), line: line}
	in.view.Heading = heading
	in.view.Update(in.run, nil, inspectArea(kit, area), 0)
	in.view.Settle()
	return in
}

// inspectArea is area less the line above the view.
func inspectArea(kit *render.Kit, area Rect) Rect {
	h := kit.LineHeight(22) + kit.Px(8)
	return Rect{area.X, area.Y + h, area.W, area.H - h}
}

func (in *replicaInspector) place(kit *render.Kit, area Rect) { in.view.Place(inspectArea(kit, area)) }

func (in *replicaInspector) update(kit *render.Kit, area Rect, dt time.Duration) {
	in.view.Update(in.run, nil, inspectArea(kit, area), dt)
}

func (in *replicaInspector) draw(dst *ebiten.Image, kit *render.Kit, area Rect) {
	kit.Text(dst, kit.Fit(in.line, area.W, 22, true), area.X, area.Y, 22, true, kit.Theme.Accent, render.Left)
	in.view.Draw(dst, in.run)
	in.view.DrawTip(dst)
}

func (in *replicaInspector) hover(x, y float64) { in.view.Hover(in.run, x, y) }

// Inspecting reports which replica is open (ok false: the tiles show).
func (s *Cluster) Inspecting() (side, replica int, ok bool) {
	if s.inspect == nil {
		return 0, 0, false
	}
	return s.inspect.run.side, s.inspect.run.replica, true
}

// Inspect opens a replica of a side in the playground view.
func (s *Cluster) Inspect(side, replica int) {
	if s.player == nil || side < 0 || side >= s.player.Sides() || replica < 0 || replica >= len(s.player.Side(side).Engines) {
		return
	}
	label := s.sides[side].Label
	line := fmt.Sprintf("%s, GPU %d of %d, in the playground view · click to go back to the cluster", label, replica+1, len(s.player.Side(side).Engines))
	s.inspect = openReplica(s.kit, s.player, side, replica, fmt.Sprintf("%s · GPU %d", label, replica+1), line, s.chrome.Body)
}

// closeInspect goes back to the tiles.
func (s *Cluster) closeInspect() { s.inspect = nil }
