package game

import (
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/lesson"
)

// promptPanel sets the prompt scene's request: its lengths, the model and
// the GPU. A change runs the new request from the start.
func (g *Game) promptPanel(ctx *debugui.Context) {
	s := g.prompt.Setup()
	model := entry(modelIDs, s.Model)
	gpu := entry(gpuIDs, s.GPU)
	ctx.Window("Prompt", image.Rect(0, 0, panelWidth, 376), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		changed := func() {
			s.Model, s.GPU = modelIDs[model], gpuIDs[gpu]
			g.prompt.SetSetup(s)
			if tr := g.prompt.Transport(); tr != nil {
				tr.Restart()
			}
		}
		ctx.Text("Prompt")
		ctx.Slider(&s.Prompt, lesson.MinPrompt, lesson.MaxPrompt, 8).On(changed)
		ctx.Text("Output")
		ctx.Slider(&s.Output, lesson.MinOutput, lesson.MaxOutput, 1).On(changed)
		ctx.Text("Model")
		ctx.Dropdown(&model, modelIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, gpuIDs).On(changed)
		ctx.SetGridLayout([]int{-1}, nil)
		ctx.Text("Prompt and output are counted in tokens. A change plays the new request from the start.")
	})
}
