package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

// Selecting a GPU tile opens that replica in the full playground view:
// its lanes of requests, its VRAM block by block, its host link and CPU
// memory, its figures. The clusters play on behind it; a click or a new
// beat goes back to the tiles.

// clusterInspect is the replica open in the playground view.
type clusterInspect struct {
	side, replica int
	view          *Playground
}

// replicaRun is one replica of a playing cluster, as the playground view
// draws a run.
type replicaRun struct {
	s             *Cluster
	side, replica int
}

func (r replicaRun) Engine() *sim.Engine { return r.s.player.Side(r.side).Engines[r.replica] }
func (r replicaRun) Paused() bool        { return r.s.player.Paused() }
func (r replicaRun) Finished() bool      { return r.s.player.Finished() }
func (r replicaRun) SpeedLabel() string  { return r.s.player.SpeedLabel() }

// Inspecting reports which replica is open (ok false: the tiles show).
func (s *Cluster) Inspecting() (side, replica int, ok bool) {
	if s.inspect == nil {
		return 0, 0, false
	}
	return s.inspect.side, s.inspect.replica, true
}

// Inspect opens a replica of a side in the playground view.
func (s *Cluster) Inspect(side, replica int) {
	if s.player == nil || side < 0 || side >= s.player.Sides() || replica < 0 || replica >= len(s.player.Side(side).Engines) {
		return
	}
	v := NewPlayground(s.kit)
	v.Heading = fmt.Sprintf("%s · GPU %d", s.sides[side].Label, replica+1)
	s.inspect = &clusterInspect{side: side, replica: replica, view: v}
	run := replicaRun{s, side, replica}
	v.Update(run, nil, s.inspectArea(), 0)
	v.Settle()
}

// closeInspect goes back to the tiles.
func (s *Cluster) closeInspect() { s.inspect = nil }

// inspectArea is the body under the line that says how to go back.
func (s *Cluster) inspectArea() Rect {
	k, b := s.kit, s.chrome.Body
	h := k.LineHeight(22) + k.Px(8)
	return Rect{b.X, b.Y + h, b.W, b.H - h}
}

func (s *Cluster) updateInspect(dt time.Duration) {
	in := s.inspect
	in.view.Update(replicaRun{s, in.side, in.replica}, nil, s.inspectArea(), dt)
}

func (s *Cluster) drawInspect(dst *ebiten.Image) {
	k, t, in := s.kit, s.kit.Theme, s.inspect
	b := s.chrome.Body
	line := fmt.Sprintf("%s, GPU %d of %d, in the playground view · click to go back to the cluster", s.sides[in.side].Label, in.replica+1, len(s.player.Side(in.side).Engines))
	k.Text(dst, k.Fit(line, b.W, 22, true), b.X, b.Y, 22, true, t.Accent, render.Left)
	in.view.Draw(dst, replicaRun{s, in.side, in.replica})
	in.view.DrawTip(dst)
}
