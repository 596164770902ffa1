package scenes

import (
	"image"

	"github.com/ebitengine/debugui"
)

// Panel sets the model, GPU and precision the roofline scene prices.
func (r *Roofline) Panel(ctx *debugui.Context) {
	s := r.Setup()
	model, gpu, precision := Entry(ModelIDs, s.Model), Entry(GPUIDs, s.GPU), Entry(PrecisionIDs, s.Precision)
	ctx.Window("Roofline", image.Rect(0, 0, PanelWidth, PanelHeight), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		changed := func() {
			s.Model, s.GPU, s.Precision = ModelIDs[model], GPUIDs[gpu], PrecisionIDs[precision]
			r.SetSetup(s)
		}
		ctx.Text("Model")
		ctx.Dropdown(&model, ModelIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, GPUIDs).On(changed)
		ctx.Text("Precision")
		ctx.Dropdown(&precision, PrecisionIDs).On(changed)
		ctx.SetGridLayout([]int{-1}, nil)
		ctx.Text("The curves are the roofline timing model's prices for one GPU. R restores the beat's setup.")
	})
}
