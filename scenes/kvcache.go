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
// KV caches VRAM holds next to the weights, drawn to scale, where the rest
// goes, and how paging the cache in blocks makes room for more.
type KVCache struct {
	about
	seed   uint64
	kit    *render.Kit
	setup  lesson.KVSetup
	budget lesson.KVBudget
	// paging compares reserving each user's limit with paged blocks, for
	// the same users; its budget is budget.
	paging lesson.Paging
	err    string
	beat   int
	chrome Chrome
	layout kvLayout
	paged  kvPagedLayout
	// pagedText is the paged beat's words for the current setup, made for
	// pagedTheme's colours.
	pagedText  *kvPagedWords
	pagedTheme *render.Theme
	// anim is the time since the setup changed: users' caches fill VRAM in
	// turn, then the ones that do not fit cross the link.
	anim time.Duration
	// The grids draw one pixel per cell, scaled: two draws for thousands
	// of cells. Their owners (a user, the weights, or free) are reused.
	vramGrid, cpuGrid      render.BlockGrid
	vramOwners, cpuOwners  []int32
	reservedGrid, pageGrid render.BlockGrid
	hatch                  hatch
	spotlight              Spotlight
	spots                  []Callout
	captions               []string // made once per setup, not per frame
}

// NewKVCache builds the scene at its first beat. The seed draws the
// lengths of the paged beat's conversations; the other beats' budgets do
// not depend on it.
func NewKVCache(kit *render.Kit, seed uint64) *KVCache {
	s := &KVCache{kit: kit, seed: seed, about: about{"kvcache", "The memory problem: the KV cache",
		"To write each new token, the model looks back at every token before it. Rather than " +
			"recompute them, it keeps their keys and values, the KV cache, in GPU memory: for every user " +
			"being served, for every token of their conversation."}}
	s.SetBeat(0)
	return s
}

// kvBeats are the setups of the scene's beats: one user, many, too many,
// long conversations, the same users reserved whole or paged, and a model
// with a cheaper token.
var kvBeats = []lesson.KVSetup{
	{Users: 1, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 32, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 160, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 16, Tokens: 32768, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 256, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"},
	{Users: 160, Tokens: 4096, Model: "qwen2.5-7b", GPU: "h100", Precision: "fp16"},
}

// The beats the scene draws or words in their own way.
const (
	kvBeatTooMany = 2
	kvBeatLong    = 3
	// kvBeatPaged draws the reserved and the paged layouts side by side,
	// after the beats that show how scarce the memory is, before the one
	// that changes the model: the same model, a better use of its memory.
	kvBeatPaged = 4
)

// Beats are the captions, with the current budget's numbers.
func (s *KVCache) Beats() []string { return s.captions }

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
// that cannot run is shown with its reason. The captions are made here,
// from the same budget the picture is drawn from.
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
	s.paging = lesson.Paging{Budget: b, Shown: -1}
	s.pagedText = nil
	if s.beat == kvBeatPaged {
		// Only this beat draws it: its block tables are the one costly
		// part, and a slider's drag recomputes on every frame.
		if s.paging, err = k.Paging(s.seed); err != nil {
			s.err = err.Error()
		}
	}
}

// Nothing plays here: the sliders are the controls.
func (s *KVCache) Transport() Transport { return nil }

// Status: the budget is the same under any policy; it is the engine's
// default configuration that the scene computes with.
func (s *KVCache) Status() string {
	return fmt.Sprintf("seed %d · fcfs · %d-token blocks", s.seed, sim.DefaultBlockSize)
}

func (s *KVCache) Layout(area Rect) {
	s.chrome = layoutChrome(s.kit, s, area)
	s.layout = layoutKV(s.kit, s.chrome.Body)
	s.paged = layoutPaged(s.kit, s.chrome.Body)
}

func (s *KVCache) Update(dt time.Duration) { s.anim += dt }

func (s *KVCache) Draw(dst *ebiten.Image) {
	draw := s.draw
	if s.beat == kvBeatPaged {
		draw = s.drawPaged
	}
	drawTeaching(dst, s.kit, s, s.chrome, s.err, draw)
}

// settled reports whether the animation after a change has ended: the
// spotlight waits for it, so that what it points at is there.
func (s *KVCache) settled() bool { return s.anim >= kvFill+kvSpill }
