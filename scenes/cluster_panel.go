package scenes

import (
	"fmt"
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/cluster"
	"inferplay/lesson"
	"inferplay/sim"
)

// The cluster scene's setup panel makes each beat a playground: either
// side's router and layout, the link between the pools and the GPU, on the
// beat's traffic. R restores the beat.

// Layouts are the ways to split the four GPUs of a side.
// (P prefill GPUs, D decode GPUs), short enough for the panel's field.
var Layouts = []string{"co-located", "1P + 3D", "2P + 2D", "3P + 1D"}

var (
	routerIDs       = IDs(cluster.Routers(), func(r cluster.RouterInfo) string { return r.Name })
	interconnectIDs = IDs(sim.Interconnects(), func(ic sim.Interconnect) string { return ic.Name })
)

// layoutOf is the entry of Layouts a side is.
func layoutOf(s lesson.ClusterSide) int {
	if s.Replicas > 0 {
		return 0
	}
	return max(0, min(s.Prefill, len(Layouts)-1))
}

// withLayout is side s split as Layouts[i], over link.
func withLayout(s lesson.ClusterSide, i int, link string) lesson.ClusterSide {
	s.Replicas, s.Prefill, s.Decode, s.Link = 0, i, lesson.ClusterGPUs-i, link
	if i == 0 {
		s.Replicas, s.Prefill, s.Decode = lesson.ClusterGPUs, 0, 0
	}
	s.Label = s.Router
	if i > 0 {
		s.Label = fmt.Sprintf("%d prefill + %d decode · %s", s.Prefill, s.Decode, s.Router)
	}
	return s
}

// Panel sets the sides, the link and the GPU.
func (s *Cluster) Panel(ctx *debugui.Context) {
	if s.player == nil {
		return
	}
	link := s.sides[1].Link
	if link == "" {
		link = sim.DefaultInterconnect
	}
	routers := [2]int{Entry(routerIDs, s.sides[0].Router), Entry(routerIDs, s.sides[1].Router)}
	layouts := [2]int{layoutOf(s.sides[0]), layoutOf(s.sides[1])}
	ic, gpu := Entry(interconnectIDs, link), Entry(GPUIDs, s.cfg.GPU.ID)
	ctx.Window("Cluster", image.Rect(0, 0, PanelWidth, PanelHeight), func(layout debugui.ContainerLayout) {
		changed := func() {
			sides := s.sides
			for j := range sides {
				sides[j].Router = routerIDs[routers[j]]
				sides[j] = withLayout(sides[j], layouts[j], interconnectIDs[ic])
			}
			c := s.cfg
			if err := c.SetGPU(GPUIDs[gpu]); err != nil {
				s.setupErr = err.Error()
				return
			}
			s.rebuild(c, sides)
		}
		for j, name := range [2]string{"Left", "Right"} {
			ctx.SetGridLayout([]int{-1}, nil)
			ctx.Text(name)
			ctx.SetGridLayout([]int{60, -1}, nil)
			ctx.Text("Router")
			ctx.Dropdown(&routers[j], routerIDs).On(changed)
			ctx.Text("GPUs")
			ctx.Dropdown(&layouts[j], Layouts).On(changed)
		}
		ctx.SetGridLayout([]int{60, -1}, nil)
		ctx.Text("Link")
		ctx.Dropdown(&ic, interconnectIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, GPUIDs).On(changed)
		ctx.SetGridLayout([]int{-1}, nil)
		ctx.Text("P: prefill GPUs, D: decode GPUs. The beat's traffic on the sides set here; R restores the beat.")
	})
}

// rebuild plays the beat's traffic on new sides, or a new GPU, to the
// time the clusters had reached.
func (s *Cluster) rebuild(c sim.Config, sides [2]lesson.ClusterSide) {
	if err := c.Validate(); err != nil {
		s.setupErr = err.Error()
		return
	}
	p, err := newClusterPlayer(c, sides)
	if err != nil {
		s.setupErr = err.Error()
		return
	}
	at := s.player.Now()
	s.setupErr, s.changed = "", true
	s.install(c, sides, p)
	p.PlayUntil(func() bool { return p.Now() >= at })
	s.openAt = -1 // the beat's callouts name the beat's own sides
	s.resetViews()
}
