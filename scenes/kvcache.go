package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

// KVCache is the tour's second scene, "The memory problem": how many users'
// KV caches VRAM holds next to the weights, drawn to scale, and where the
// rest goes.
type KVCache struct {
	about
	seed   uint64
	kit    *render.Kit
	setup  lesson.KVSetup
	budget lesson.KVBudget
	err    string
	beat   int
	chrome Chrome
	layout kvLayout
	// anim is the time since the setup changed: users' caches fill VRAM in
	// turn, then the ones that do not fit cross the link.
	anim time.Duration
	// The grids draw one pixel per cell, scaled: two draws for thousands
	// of cells. Their owners (a user, the weights, or free) are reused.
	vramGrid, cpuGrid     render.BlockGrid
	vramOwners, cpuOwners []int32
	captions              []string // made once per setup, not per frame
}

// NewKVCache builds the scene at its first beat.
// The seed is shown, as in every scene; the budget does not depend on it.
func NewKVCache(kit *render.Kit, seed uint64) *KVCache {
	s := &KVCache{kit: kit, seed: seed, about: about{"kvcache", "The memory problem: the KV cache",
		"To write each new token, the model looks back at every token before it. Rather than " +
			"recompute them, it keeps their keys and values, the KV cache, in GPU memory: for every user " +
			"being served, for every token of their conversation."}}
	s.SetBeat(0)
	return s
}

// kvBeats are the setups of the scene's beats: one user, many, too many,
// long conversations, and a model with a cheaper token.
var kvBeats = []lesson.KVSetup{
	{Users: 1, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 32, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 160, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 16, Tokens: 32768, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 160, Tokens: 4096, Model: "qwen2.5-7b", GPU: "h100", Precision: "fp16"},
}

// Beats are the captions, with the current budget's numbers.
func (s *KVCache) Beats() []string { return s.captions }

// words puts the current budget's numbers into the beats' captions.
func (s *KVCache) words() []string {
	b := s.budget
	gb := sim.FormatBytes
	u, tok := s.setup.Users, thousands(s.setup.Tokens)
	llama := s.setup
	llama.Model = "llama3-8b"
	lb, _ := llama.Budget()
	return []string{
		fmt.Sprintf("One chat of %s tokens keeps %s of keys and values: 2 × %d layers × %d heads × %d numbers × 2 bytes = %s for every token. Next to %s of weights it is a sliver.",
			tok, gb(int64(s.setup.Tokens)*b.BytesPerToken), b.Config.Model.Layers, b.Config.Model.KVHeads, b.Config.Model.HeadDim, sim.FormatKiB(b.BytesPerToken), gb(b.WeightBytes)),
		fmt.Sprintf("%d users of %s tokens: %s. The cache grows with users × tokens, and all of it must stay in VRAM while they are served.",
			u, tok, gb(b.DemandBytes)),
		fmt.Sprintf("%d users would need %s, but %s is left after the weights: %d fit. The other %d users' KV spills over the host link into CPU memory, %s each way, where the GPU cannot use it: they wait.",
			u, gb(b.DemandBytes), gb(b.VRAMBytes-b.WeightBytes), b.FitUsers, b.Spilled, fmtDur(b.SpillTime)),
		fmt.Sprintf("Long conversations cost as much as many users: %d chats of %s tokens need %s, so only %d fit.",
			u, tok, gb(b.DemandBytes), b.FitUsers),
		fmt.Sprintf("The model's shape sets the price of a token: %s keeps %d KV heads over %d layers, %s a token, so %d users fit where Llama 3 8B fits %d. Try your own in the Memory panel.",
			b.Config.Model.Name, b.Config.Model.KVHeads, b.Config.Model.Layers, sim.FormatKiB(b.BytesPerToken), b.FitUsers, lb.FitUsers),
	}
}

func (s *KVCache) Beat() int { return s.beat }

func (s *KVCache) SetBeat(i int) {
	s.beat = max(0, min(i, len(kvBeats)-1))
	s.SetSetup(kvBeats[s.beat])
}

// Changed reports whether the setup differs from the beat's.
func (s *KVCache) Changed() bool { return s.setup != kvBeats[s.beat] }

// Setup is what the scene shows.
func (s *KVCache) Setup() lesson.KVSetup { return s.setup }

// SetSetup computes a new budget and replays the filling of VRAM; a setup
// that cannot run is shown with its reason.
func (s *KVCache) SetSetup(k lesson.KVSetup) {
	s.setup = k
	s.anim = 0
	defer func() { s.captions = s.words() }()
	b, err := k.Budget()
	if err != nil {
		s.err = err.Error()
		return
	}
	s.budget, s.err = b, ""
}

// Nothing plays here: the sliders are the controls.
func (s *KVCache) Transport() Transport { return nil }

// Status: the budget is the same under any policy; it is the engine's
// default configuration that the scene computes with.
func (s *KVCache) Status() string {
	return fmt.Sprintf("seed %d · fcfs · block %d tokens", s.seed, sim.DefaultBlockSize)
}

func (s *KVCache) Layout(area Rect) {
	s.chrome = layoutChrome(s.kit, s, area)
	s.layout = layoutKV(s.kit, s.chrome.Body)
}

func (s *KVCache) Update(dt time.Duration) { s.anim += dt }

func (s *KVCache) Draw(dst *ebiten.Image) { drawTeaching(dst, s.kit, s, s.chrome, s.err, s.draw) }
