package scenes

import (
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/lesson"
)

// Panel picks the contention scene's policy and timing model, and
// clears the comparison.
func (c *Contention) Panel(ctx *debugui.Context) {
	policy := Entry(lesson.ContentionPolicies, c.Policy())
	timing := Entry(lesson.ContentionTimings, c.Timing())
	ctx.Window("Contention", image.Rect(0, 0, PanelWidth, PanelHeight), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		ctx.Text("Policy")
		ctx.Dropdown(&policy, lesson.ContentionPolicies).On(func() {
			c.SetPolicy(lesson.ContentionPolicies[policy])
		})
		ctx.Text("Timing")
		ctx.Dropdown(&timing, lesson.ContentionTimings).On(func() {
			c.SetTiming(lesson.ContentionTimings[timing])
		})
		ctx.SetGridLayout([]int{-1}, nil)
		if c.Timing() == "classic" {
			ctx.Text(lesson.ClassicModelNote)
		}
		ctx.Button("Run again").On(func() { c.SetPolicy(c.Policy()) })
		ctx.Button("Clear the comparison").On(c.ClearResults)
	})
}
