package scenes

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/render"
	"inferplay/sim"
)

// drawInspect draws a card with one request's whole life so far.
func drawInspect(dst *ebiten.Image, k *render.Kit, e *sim.Engine, id int, over Rect) {
	t := k.Theme
	r := e.Request(id)
	m := r.Metrics()
	lines := []string{
		fmt.Sprintf("%s request, %d-token prompt, %d-token answer", r.Class, r.Input, r.Output),
		fmt.Sprintf("now %s: prompt %d/%d, answer %d/%d tokens", r.State, r.Prefilled, r.PrefillTarget(), r.Decoded, r.Output),
		fmt.Sprintf("arrived %s, joined at tick %d", render.Ms(float64(r.Arrival)/1e6), r.ArrivalTick),
	}
	if r.PrefillStartTick > 0 {
		lines = append(lines, fmt.Sprintf("waited %s in the queue", render.Ms(m.QueueWait)))
	}
	if r.FirstTokenTick > 0 {
		own := float64(r.FirstTokenAt-r.PrefillStartAt) / 1e6
		lines = append(lines, fmt.Sprintf("TTFT %s = waiting %s + own prefill %s (incl. pauses)", render.Ms(m.TTFT), render.Ms(m.QueueWait), render.Ms(own)))
	}
	if r.Evictions+r.Drops > 0 {
		lines = append(lines, fmt.Sprintf("preempted %d× (%d swaps, %d drops), %s swapped, %s waiting for copies",
			r.Evictions+r.Drops, r.Evictions, r.Drops, render.Ms(m.Swapped), render.Ms(float64(r.TransferWait)/1e6)))
	}
	if r.RecomputedTokens > 0 {
		lines = append(lines, fmt.Sprintf("%d tokens prefilled again", r.RecomputedTokens))
	}
	if r.CompletionTick > 0 {
		lines = append(lines, fmt.Sprintf("done: E2E %s, TBT %s", render.Ms(m.E2E), render.Ms(m.TBT)))
	}
	if r.Reason != "" {
		lines = append(lines, k.Fit("rejected: "+r.Reason, k.Px(600), 17, false))
	}
	w := min(over.W-k.Px(24), k.Px(700))
	head := k.LineHeight(24) + k.Px(16)
	h := head + float64(len(lines))*k.LineHeight(18) + k.Px(12)
	x, y := over.X+over.W-w-k.Px(12), over.Y+k.Px(48)
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Occlude(render.Rect{X: x, Y: y, W: w, H: h})
	k.Frame(dst, x, y, w, h, k.Px(2.5), t.Accent)
	k.Text(dst, fmt.Sprintf("R%d", id), x+k.Px(14), y+k.Px(8), 24, true, t.Accent, render.Left)
	hint := "click elsewhere to close"
	if k.TextWidth(hint, 18, false)+k.TextWidth("R0000", 24, true)+k.Px(48) < w {
		k.Text(dst, hint, x+w-k.Px(14), y+k.Px(8)+(k.LineHeight(24)-k.LineHeight(18))/2, 18, false, t.TextDim, render.Right)
	}
	for i, s := range lines {
		k.Text(dst, k.Fit(s, w-k.Px(28), 18, false), x+k.Px(14), y+head+float64(i)*k.LineHeight(18), 18, false, t.Text, render.Left)
	}
}
