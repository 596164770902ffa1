package game

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"inferplay/cluster"
	"inferplay/scenes"
	"inferplay/settings"
	"inferplay/sim"
)

// State is what is on screen, as the web page and its tests see it. It is
// defined beside Options, whose OnState hears it.
type State = settings.State

// linkParam is one parameter of a link, in the order links list them.
type linkParam struct{ name, value string }

// linkParams are the settings that reopen the current view: the scene and
// beat, the contention scene's policy when changed by hand, the
// playground's settings where they differ from its scenario's, and
// presenter mode. They are the flags' names, so a link is also a command
// line.
func (g *Game) linkParams() []linkParam {
	s := g.tour.scene()
	ps := []linkParam{{"scene", s.Name()}}
	if s.Beat() > 0 {
		ps = append(ps, linkParam{"beat", strconv.Itoa(s.Beat() + 1)})
	}
	c := g.opts.Config
	base, err := settings.BaseConfig(c.Scenario)
	if err != nil {
		base = c
	}
	add := func(name, v, def string) {
		if v != def {
			ps = append(ps, linkParam{name, v})
		}
	}
	add("scenario", c.Scenario, sim.DefaultScenario)
	add("model", c.Model.ID, base.Model.ID)
	add("gpu", c.GPU.ID, base.GPU.ID)
	add("precision", c.Precision.ID, base.Precision.ID)
	switch {
	case s.Name() != "contention":
		add("scheduler", c.Scheduler, base.Scheduler)
	case g.contention.Changed():
		// The policy switched by hand, which the beat alone would not set.
		ps = append(ps, linkParam{"scheduler", g.contention.Policy()})
	}
	add("timing", c.Timing, base.Timing)
	add("seed", strconv.FormatUint(c.Seed, 10), strconv.FormatUint(base.Seed, 10))
	add("preemption", c.Preemption, base.Preemption)
	add("tp", strconv.Itoa(c.GPUs()), strconv.Itoa(base.GPUs()))
	gb := func(b int64) string { return strconv.FormatFloat(float64(b)/sim.GB, 'g', -1, 64) }
	add("cpu-cache-gb", gb(c.CPUCacheBytes), gb(base.CPUCacheBytes))
	if cl := g.opts.Cluster; cl.On() {
		// The playground's cluster mode, whatever the scene: it is the
		// playground's setup, as the scenario is.
		if cl.Prefill > 0 {
			ps = append(ps, linkParam{"pd", fmt.Sprintf("%d:%d", cl.Prefill, cl.Decode)})
			add("interconnect", cl.Interconnect, sim.DefaultInterconnect)
		} else {
			ps = append(ps, linkParam{"replicas", strconv.Itoa(cl.Replicas)})
		}
		add("router", cl.Router, cluster.DefaultRouter)
	}
	if s == scenes.Scene(g.pg) && g.pg.beat == beatFree && g.userDuel != "" {
		ps = append(ps, linkParam{"duel", g.userDuel})
	}
	if g.presenter {
		ps = append(ps, linkParam{"presenter", "1"})
	}
	return ps
}

// Link is the query that reopens the current view: "scene=contention&beat=2".
func (g *Game) Link() string {
	var b strings.Builder
	for i, p := range g.linkParams() {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name + "=" + url.QueryEscape(p.value))
	}
	return b.String()
}

// LinkFlags is the same view as a desktop command line.
func (g *Game) LinkFlags() string {
	var b strings.Builder
	b.WriteString("inferplay")
	for _, p := range g.linkParams() {
		if p.name == "presenter" {
			b.WriteString(" -presenter")
			continue
		}
		fmt.Fprintf(&b, " -%s %s", p.name, p.value)
	}
	return b.String()
}

// State is what is on screen now.
func (g *Game) State() State {
	s := g.tour.scene()
	// A scene that runs a policy names it; the others serve one request
	// or none, first come first served.
	policy := "fcfs"
	if p, ok := s.(interface{ Policy() string }); ok {
		policy = p.Policy()
	}
	return State{Scene: s.Name(), Beat: s.Beat() + 1, Policy: policy, Seed: g.opts.Config.Seed,
		Presenter: g.presenter, Link: g.Link(), Status: s.Status(), Frames: g.frames}
}

// reportState tells OnState what is on screen: after the first frame, and
// then a few times a second when it has changed.
func (g *Game) reportState() {
	if g.opts.OnState == nil || (g.frames > 1 && g.frames%15 != 0) {
		return
	}
	st := g.State()
	frames := st.Frames
	st.Frames = 0
	if st == g.lastState && g.frames > 1 {
		return
	}
	g.lastState = st
	st.Frames = frames
	g.opts.OnState(st)
}
