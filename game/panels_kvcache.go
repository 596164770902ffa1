package game

import (
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/lesson"
)

// kvPanel sets the memory scene: users, tokens each, model, GPU and
// precision. The scene redraws its budget at once.
func (g *Game) kvPanel(ctx *debugui.Context) {
	s := g.kvcache.Setup()
	model := entry(modelIDs, s.Model)
	gpu := entry(gpuIDs, s.GPU)
	precision := entry(precisionIDs, s.Precision)
	ctx.Window("Memory", image.Rect(0, 0, panelWidth, 376), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		changed := func() {
			s.Model, s.GPU, s.Precision = modelIDs[model], gpuIDs[gpu], precisionIDs[precision]
			g.kvcache.SetSetup(s)
		}
		ctx.Text("Users")
		ctx.Slider(&s.Users, lesson.MinUsers, lesson.MaxUsers, 1).On(changed)
		ctx.Text("Tokens")
		ctx.Slider(&s.Tokens, lesson.MinTokens, lesson.MaxTokens, 128).On(changed)
		ctx.Text("Model")
		ctx.Dropdown(&model, modelIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, gpuIDs).On(changed)
		ctx.Text("Precision")
		ctx.Dropdown(&precision, precisionIDs).On(changed)
	})
}
