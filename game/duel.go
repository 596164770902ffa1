package game

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"inferplay/duel"
	"inferplay/playback"
	"inferplay/scenes"
	"inferplay/sim"
)

// duelRun is the playground split in two: a duel player and the view of
// both halves.
type duelRun struct {
	spec   string // "A,B", as -duel takes it
	player *playback.DuelPlayer
	view   *scenes.DuelView
}

// startDuel splits the playground into two halves running base's traffic
// under spec's two settings, from the start, playing.
func (g *Game) startDuel(base sim.Config, spec string) error {
	sides, err := duel.ParseSides(base, spec)
	if err != nil {
		return err
	}
	p, err := playback.NewDuel(base, sides)
	if err != nil {
		return err
	}
	if g.opts.Speed > 0 {
		p.SetSpeed(g.opts.Speed)
	}
	v := scenes.NewDuelView(g.kit)
	v.Name([2]string{sides[0].Label, sides[1].Label})
	if g.duel != nil {
		v.Select(g.duel.view.Halves[0].Selected())
	}
	g.duel = &duelRun{spec: spec, player: p, view: v}
	return nil
}

// endDuel goes back to the single run.
func (g *Game) endDuel() { g.duel = nil }

// duelTo plays the duel to a simulated moment (see duelUntil).
func (g *Game) duelTo(at time.Duration) {
	g.duelUntil(func(left *sim.Engine) bool { return left.Now() >= at })
}

// duelUntil plays the duel until its left half is where done says, through
// its view, as runTo does a single run, and settles it there.
func (g *Game) duelUntil(done func(left *sim.Engine) bool) {
	d := g.duel
	g.pg.layout(g.sceneArea())
	area := g.pg.area
	for !d.player.Finished() && !done(d.player.Engine(0)) {
		d.view.Update(d.player, d.player.Step(), area, 0)
	}
	d.view.Settle()
	d.view.Update(d.player, [2][]sim.Event{}, area, 0)
}

// duelChoices are the panel's ways to split the playground: against each
// other scheduler, GPU, preemption mode and timing model. Each is the
// right side; the left is the run as set up.
func duelChoices() []string {
	out := []string{"no duel"}
	for _, p := range sim.Policies() {
		out = append(out, p.Name)
	}
	for _, id := range gpuIDs {
		out = append(out, "gpu="+id)
	}
	for _, m := range sim.PreemptionModes {
		out = append(out, "preemption="+m)
	}
	for _, t := range sim.Timings() {
		out = append(out, "timing="+t.Name)
	}
	return out
}

var duelOptions = duelChoices()

// duelSpec is the "A,B" of a panel choice over a run: the run's own value
// of what the choice sets, then the choice.
func duelSpec(c sim.Config, choice string) string {
	key, _, ok := strings.Cut(choice, "=")
	if !ok {
		return c.Scheduler + "," + choice
	}
	own := map[string]string{"gpu": c.GPU.ID, "preemption": c.Preemption, "timing": c.Timing}[key]
	return fmt.Sprintf("%s=%s,%s", key, own, choice)
}

// duelChoiceOf is the panel's entry for a duel spec: its right side, if
// the panel lists it (else "no duel": the panel cannot show it).
func (g *Game) duelChoiceOf(spec string) int {
	if _, right, ok := strings.Cut(spec, ","); ok {
		if i := slices.Index(duelOptions, strings.TrimSpace(right)); i > 0 {
			return i
		}
	}
	return 0
}

// chooseDuel starts or ends free play's duel from the panel's choice.
func (g *Game) chooseDuel(choice int) {
	g.userDuel = ""
	if choice > 0 {
		g.userDuel = duelSpec(g.player.Config(), duelOptions[choice])
	}
	g.pg.SetBeat(beatFree)
	if g.duel != nil {
		g.notify(fmt.Sprintf("Duel: %s on the left, %s on the right, on the same traffic", g.duel.player.Sides()[0].Label, g.duel.player.Sides()[1].Label))
	}
}
