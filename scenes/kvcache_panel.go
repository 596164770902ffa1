package scenes

import (
	"image"

	"github.com/ebitengine/debugui"

	"inferplay/lesson"
)

// Panel sets the memory scene: users, tokens each, model, GPU and
// precision. The scene redraws its budget at once.
func (s *KVCache) Panel(ctx *debugui.Context) {
	k := s.Setup()
	model := Entry(ModelIDs, k.Model)
	gpu := Entry(GPUIDs, k.GPU)
	precision := Entry(PrecisionIDs, k.Precision)
	ctx.Window("Memory", image.Rect(0, 0, PanelWidth, PanelHeight), func(layout debugui.ContainerLayout) {
		ctx.SetGridLayout([]int{78, -1}, nil)
		changed := func() {
			k.Model, k.GPU, k.Precision = ModelIDs[model], GPUIDs[gpu], PrecisionIDs[precision]
			s.SetSetup(k)
		}
		ctx.Text("Users")
		ctx.Slider(&k.Users, lesson.MinUsers, lesson.MaxUsers, 1).On(changed)
		ctx.Text("Tokens")
		ctx.Slider(&k.Tokens, lesson.MinTokens, lesson.MaxTokens, 128).On(changed)
		ctx.Text("Model")
		ctx.Dropdown(&model, ModelIDs).On(changed)
		ctx.Text("GPU")
		ctx.Dropdown(&gpu, GPUIDs).On(changed)
		ctx.Text("Precision")
		ctx.Dropdown(&precision, PrecisionIDs).On(changed)
	})
}
