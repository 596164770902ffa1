package scenes

import (
	"fmt"
	"math"

	"inferplay/sim"
)

// Every word the memory scene shows is made here, from the one budget (and
// the one paging) the picture is drawn from, at the moment it is drawn: a
// caption, a legend and the header cannot disagree about who fits.

// words puts the current budget's numbers into the beats' captions.
func (s *KVCache) words() []string {
	w := make([]string, len(kvBeats))
	if s.err != "" {
		for i := range w {
			w[i] = "This setup cannot run, so the picture says why instead. R restores the beat's own setup."
		}
		return w
	}
	b, m := s.budget, s.budget.Config.Model
	gb := sim.FormatBytes
	u, tok := s.setup.Users, thousands(s.setup.Tokens)
	fit, spilled := b.FitUsers, b.Spilled
	left := gb(b.VRAMBytes - b.WeightBytes)

	w[0] = fmt.Sprintf("A %s-token chat keeps %s of keys and values: 2 × %d layers × %d heads × %d numbers × %d bytes = %s for every token. Next to %s of weights one chat is a sliver.",
		tok, gb(int64(s.setup.Tokens)*b.BytesPerToken), m.Layers, m.KVHeads, m.HeadDim, sim.KVBytesPerElement, sim.FormatKiB(b.BytesPerToken), gb(b.WeightBytes))

	w[1] = fmt.Sprintf("%s of %s-token chats: %s. The cache grows with users × tokens, and all of it must stay in VRAM while they are served: ",
		plural(u, "user"), tok, gb(b.DemandBytes))
	if spilled > 0 {
		w[1] += fmt.Sprintf("only %d of %d fit.", fit, u)
	} else {
		w[1] += fmt.Sprintf("%s, of %d at most.", allFit(u), fit)
	}

	if spilled > 0 {
		w[2] = fmt.Sprintf("%s would need %s, but %s is left after the weights: %d fit. The other %s KV spills over the host link into CPU memory, %s each way, where the GPU cannot use it: they wait.",
			plural(u, "user"), gb(b.DemandBytes), left, fit, usersOwn(spilled), fmtDur(b.SpillTime))
	} else {
		w[2] = fmt.Sprintf("%s need %s, and %s is left after the weights: %s. Past %d users, the rest would spill over the host link into CPU memory.",
			plural(u, "user"), gb(b.DemandBytes), left, allFit(u), fit)
	}

	w[3] = fmt.Sprintf("Long conversations cost as much as many users: %s of %s tokens need %s, ", plural(u, "chat"), tok, gb(b.DemandBytes))
	if spilled > 0 {
		w[3] += fmt.Sprintf("so only %d fit; the other %s in CPU memory.", fit, waits(spilled))
	} else {
		w[3] += fmt.Sprintf("and %s, of %d at most.", allFit(u), fit)
	}

	w[kvBeatPaged] = s.pagedCaption()

	llama := s.setup
	llama.Model = "llama3-8b"
	lb, _ := llama.Budget()
	w[5] = fmt.Sprintf("The model's shape sets the price of a token: %s keeps %d KV heads over %d layers, %s a token, so %d users fit where Llama 3 8B fits %d. Try your own in the Memory panel.",
		m.Name, m.KVHeads, m.Layers, sim.FormatKiB(b.BytesPerToken), fit, lb.FitUsers)
	return w
}

// allFit says that all of n users fit: "the 1 user fits", "all 8 fit".
func allFit(n int) string {
	if n == 1 {
		return "the 1 user fits"
	}
	return fmt.Sprintf("all %d fit", n)
}

// waits says that n users wait: "1 user waits", "3 users wait".
func waits(n int) string {
	if n == 1 {
		return "1 user waits"
	}
	return fmt.Sprintf("%d users wait", n)
}

// kvFrame is what the beats that copy to CPU memory show at one moment:
// how far the animation has got, and every word on screen, all from the
// one budget.
type kvFrame struct {
	// filled is the users whose KV is in VRAM so far; arriving those that
	// have come and do not fit; landed those whose copy has ended; spill
	// how far the copying has got, 0 to 1.
	filled, arriving, landed int
	spill                    float64

	verdict, verdictNote string // "119 fit", "users at most"
	formula              [3]string
	vramTitle            string
	vramKey              []swatch
	cpuKey               []swatch
	linkName             string
	linkRate, linkTime   string // linkTime is empty when nothing crosses
}

// frame is the scene's state and words at its current time.
func (s *KVCache) frame() kvFrame {
	b, c := s.budget, s.budget.Config
	m := c.Model
	t := s.kit.Theme
	gb := sim.FormatBytes
	u := s.setup.Users
	var f kvFrame

	// The animation: users fill VRAM one after another over kvFill, then
	// those that do not fit cross the link over kvSpill.
	shown := u
	if s.anim < kvFill {
		shown = int(math.Ceil(float64(u) * float64(s.anim) / float64(kvFill)))
	}
	f.filled = min(shown, b.Resident)
	f.arriving = max(0, shown-b.Resident)
	if s.anim > kvFill {
		f.spill = min(1, float64(s.anim-kvFill)/float64(kvSpill))
	}
	f.landed = int(math.Floor(float64(f.arriving) * f.spill))

	f.verdict, f.verdictNote = fmt.Sprintf("%d fit", b.FitUsers), "users at most"
	f.formula = [3]string{
		fmt.Sprintf("%s × %s tokens × %s = %s of KV cache", plural(u, "user"), thousands(s.setup.Tokens),
			sim.FormatKiB(b.BytesPerToken), gb(b.DemandBytes)),
		fmt.Sprintf("per token: 2 (key and value) × %d layers × %d KV heads × %d numbers × %d bytes = %s",
			m.Layers, m.KVHeads, m.HeadDim, sim.KVBytesPerElement, sim.FormatKiB(b.BytesPerToken)),
		fmt.Sprintf("VRAM %s − weights %s (%s at %s) = %s for KV: %d users of %s tokens",
			gb(b.VRAMBytes), gb(b.WeightBytes), m.Name, c.Precision.ID,
			gb(b.VRAMBytes-b.WeightBytes), b.FitUsers, thousands(s.setup.Tokens)),
	}

	userBytes := int64(b.UserBlocks) * b.BlockBytes
	f.vramTitle = fmt.Sprintf("VRAM: %s, %s", c.GPU.Name, gb(b.VRAMBytes))
	kv := fmt.Sprintf("%s KV, %s", usersOwn(f.filled), gb(int64(f.filled)*userBytes))
	if f.filled < b.Resident {
		kv = fmt.Sprintf("filling: %d of %s KV", f.filled, usersOwn(b.Resident))
	}
	f.vramKey = []swatch{
		{c: t.Weights, label: "weights " + gb(b.WeightBytes)},
		{c: t.Decode, label: kv},
		{c: t.Free, label: "free " + gb(b.VRAMBytes-b.WeightBytes-int64(f.filled)*userBytes)},
	}

	switch {
	case b.Spilled == 0:
		f.cpuKey = []swatch{{c: t.Free, label: "empty: every user fits in VRAM"}}
	case f.spill == 0:
		f.cpuKey = []swatch{{kind: swatchNone, label: fmt.Sprintf("%s KV will not fit in VRAM", usersOwn(b.Spilled))}}
	case f.landed < b.Spilled:
		f.cpuKey = []swatch{{c: t.Swapped, label: fmt.Sprintf("copying: %d of %s KV", f.landed, usersOwn(b.Spilled))}}
	default:
		f.cpuKey = []swatch{{c: t.Swapped, label: fmt.Sprintf("%s KV, %s, unusable by the GPU", usersOwn(b.Spilled), gb(b.SpillBytes))}}
	}

	f.linkName = c.GPU.Link
	f.linkRate = gb(int64(c.HostLinkBW())) + "/s"
	if b.Spilled > 0 {
		f.linkTime = fmtDur(b.SpillTime) + " to copy"
	}
	return f
}

// fmtPercent writes a share of a whole as a whole percentage.
func fmtPercent(part, whole int64) string {
	if whole <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}
