package render

import (
	"fmt"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/sim"
)

// Caption puts the latest notable event into words.
type Caption struct {
	text string
	tick int
}

// Reset clears it.
func (c *Caption) Reset() { c.text, c.tick = "", 0 }

// Observe reads a frame's events and keeps the most telling one.
func (c *Caption) Observe(e *sim.Engine, events []sim.Event) {
	for _, ev := range events {
		if s := Explain(e, ev); s != "" {
			c.text, c.tick = s, ev.Tick
		}
	}
}

// Explain says why an event happened, or "" for routine ones.
func Explain(e *sim.Engine, ev sim.Event) string {
	r := e.Request(max(ev.Req, 0))
	c := e.Config()
	switch ev.Kind {
	case sim.EvSwapOut:
		why := "VRAM was full"
		if c.Preemption == sim.PreemptSwap {
			why = fmt.Sprintf("VRAM was full and %s picks %s", c.Scheduler, victimRule(c))
		}
		if r.Blocks().Len() > 0 {
			return fmt.Sprintf("R%d swapped out: %s of KV over %s takes %s; its VRAM stays taken until the copy lands. %s.",
				ev.Req, sim.FormatBytes(ev.Bytes), c.GPU.Link, Ms(float64(ev.Dur)/1e6), capitalize(why))
		}
		return fmt.Sprintf("R%d swapped to CPU memory: %s of KV over %s, %s before it may come back; %s.",
			ev.Req, sim.FormatBytes(ev.Bytes), c.GPU.Link, Ms(float64(ev.Dur)/1e6), why)
	case sim.EvSwapIn:
		if ev.Dur > 0 { // a timed copy needs its VRAM blocks before it starts
			return fmt.Sprintf("R%d's KV comes back (%s, %s over %s): VRAM had room, so its blocks were taken first.",
				ev.Req, sim.FormatBytes(ev.Bytes), Ms(float64(ev.Dur)/1e6), c.GPU.Link)
		}
		return fmt.Sprintf("R%d comes back from CPU memory at once (%s): VRAM has room for its KV again.", ev.Req, sim.FormatBytes(ev.Bytes))
	case sim.EvDropped:
		return fmt.Sprintf("R%d's KV dropped (%d tokens): it will prefill them again. VRAM was full.", ev.Req, ev.Tokens)
	case sim.EvPreempted:
		if ev.By >= 0 {
			return fmt.Sprintf("R%d pauses its prompt: %s runs R%d's first.", ev.Req, c.Scheduler, ev.By)
		}
		return fmt.Sprintf("R%d pauses its prompt.", ev.Req)
	case sim.EvDemoted:
		return fmt.Sprintf("R%d drops to %s level %d: it used its quantum at level %d.", ev.Req, c.Scheduler, ev.To, ev.From)
	case sim.EvPromoted:
		return fmt.Sprintf("R%d rises to %s level %d: it waited too long.", ev.Req, c.Scheduler, ev.To)
	case sim.EvRejected:
		return fmt.Sprintf("R%d rejected: %s.", ev.Req, r.Reason)
	case sim.EvPrefixHit:
		return fmt.Sprintf("R%d finds the first %s tokens of its prompt cached (shared with earlier requests): it prefills only the other %s, and holds one copy of the shared KV with them.",
			ev.Req, Thousands(ev.Tokens), Thousands(r.PrefillTarget()-ev.Tokens))
	case sim.EvPrefillStart:
		if w := r.PrefillStartAt - r.JoinedAt; w > 500*1e6 {
			return fmt.Sprintf("R%d (%s, %d-token prompt) starts prefilling after waiting %s.", ev.Req, r.Class, r.Input, Ms(float64(w)/1e6))
		}
	}
	return ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func victimRule(c sim.Config) string {
	switch c.Scheduler {
	case "mlfq":
		return "the longest-decoding request"
	case "priority":
		return "batch work first"
	case "skipjoin-mlfq":
		return "the lowest level"
	}
	return "the largest KV cache"
}

// Draw draws the caption bar.
func (c *Caption) Draw(dst *ebiten.Image, k *Kit, e *sim.Engine, x, y, w, h float64) {
	t := k.Theme
	k.Rect(dst, x, y, w, h, t.Panel)
	k.Frame(dst, x, y, w, h, max(1, k.Px(1.5)), t.Edge)
	msg := c.text
	if msg == "" {
		msg = "Requests arrive, wait, prefill their prompt, then decode one token per tick. Watch VRAM fill."
	}
	k.Text(dst, "Why", x+k.Px(14), y+(h-k.Px(26))/2, 22, true, t.Accent, Left)
	k.Text(dst, k.Fit(msg, w-k.Px(100), 24, false), x+k.Px(80), y+(h-k.Px(28))/2, 24, false, t.Text, Left)
}
