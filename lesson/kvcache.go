package lesson

import (
	"fmt"
	"time"

	"inferplay/sim"
)

// KVSetup is what the memory scene's controls set: how many users hold how
// much context at once, on which model, GPU and precision.
type KVSetup struct {
	Users, Tokens         int
	Model, GPU, Precision string
}

// Slider ranges of the memory scene.
const (
	MinUsers, MaxUsers   = 1, 512
	MinTokens, MaxTokens = 128, 131072
)

// DefaultKV is a setup far from full: a handful of chats on an H100.
var DefaultKV = KVSetup{Users: 8, Tokens: 4096, Model: "llama3-8b", GPU: "h100", Precision: "fp16"}

// KVBudget is the memory arithmetic of a setup, computed by the engine's own
// configuration methods, so the scene and every run agree to the byte.
type KVBudget struct {
	Config sim.Config

	BytesPerToken int64 // KV bytes one token holds: 2 × layers × KV heads × head dim × bytes
	BlockTokens   int   // tokens per KV block
	BlockBytes    int64
	WeightBytes   int64
	VRAMBytes     int64
	// CapacityBlocks is how many KV blocks fit in VRAM next to the weights.
	CapacityBlocks int

	// DemandBytes is users × tokens × bytes per token, the formula on screen.
	DemandBytes int64
	// UserBlocks is the blocks one user's context takes (the last one part
	// full).
	UserBlocks int
	// FitUsers is the most users whose whole context VRAM holds at once.
	FitUsers int
	// Resident users keep their KV in VRAM; the others' is swapped out, each
	// user's as a whole, as the engine swaps a request.
	Resident, Spilled int
	SpillBytes        int64
	// SpillTime is how long the spilled KV takes over the host link, one way.
	SpillTime time.Duration
}

// Budget computes the arithmetic, or says why the setup cannot run (a model
// too large for the GPU, a value out of range).
func (s KVSetup) Budget() (KVBudget, error) {
	if s.Users < MinUsers || s.Users > MaxUsers {
		return KVBudget{}, fmt.Errorf("users: %d is not valid (%d to %d)", s.Users, MinUsers, MaxUsers)
	}
	if s.Tokens < MinTokens || s.Tokens > MaxTokens {
		return KVBudget{}, fmt.Errorf("tokens: %d is not valid (%d to %d)", s.Tokens, MinTokens, MaxTokens)
	}
	c, err := base(s.Model, s.GPU, s.Precision)
	if err != nil {
		return KVBudget{}, err
	}
	c.Scenario = "kvcache"
	if err := c.Validate(); err != nil {
		return KVBudget{}, err
	}
	b := KVBudget{
		Config:         c,
		BytesPerToken:  c.KVBytesPerToken(),
		BlockTokens:    c.BlockSize,
		BlockBytes:     c.BlockBytes(),
		WeightBytes:    c.WeightBytes(),
		VRAMBytes:      c.VRAMBytes(),
		CapacityBlocks: c.KVCapacityBlocks(),
	}
	b.DemandBytes = int64(s.Users) * int64(s.Tokens) * b.BytesPerToken
	b.UserBlocks = (s.Tokens + b.BlockTokens - 1) / b.BlockTokens
	b.FitUsers = b.CapacityBlocks / b.UserBlocks
	b.Resident = min(s.Users, b.FitUsers)
	b.Spilled = s.Users - b.Resident
	b.SpillBytes = int64(b.Spilled) * int64(b.UserBlocks) * b.BlockBytes
	if b.SpillBytes > 0 {
		b.SpillTime = c.CopyTime(b.SpillBytes)
	}
	return b, nil
}
