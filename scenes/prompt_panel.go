package scenes

import (
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/lesson"
)

// Panel sets the prompt scene's request: its lengths, the model and
// the GPU. A change runs the new request from the start.
func (p *Prompt) Panel(ctx *debugui.Context) {
	s := p.Setup()
	model := Entry(ModelIDs, s.Model)
	gpu := Entry(GPUIDs, s.GPU)
	ctx.Window("Prompt", image.Rect(0, 0, PanelWidth, PanelHeight), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		changed := func() {
			s.Model, s.GPU = ModelIDs[model], GPUIDs[gpu]
			p.SetSetup(s)
			if tr := p.Transport(); tr != nil {
				tr.Restart()
			}
		}
		ctx.Text("Prompt")
		ctx.Slider(&s.Prompt, lesson.MinPrompt, lesson.MaxPrompt, 8).On(changed)
		ctx.Text("Output")
		ctx.Slider(&s.Output, lesson.MinOutput, lesson.MaxOutput, 1).On(changed)
		ctx.Text("Model")
		ctx.Dropdown(&model, ModelIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, GPUIDs).On(changed)
		ctx.SetGridLayout([]int{-1}, nil)
		ctx.Text("Prompt and output are counted in tokens. A change plays the new request from the start.")
	})
}
