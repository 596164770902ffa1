// Package render is the drawing kit of the visual simulator: a theme, text,
// and widgets (lanes of request sprites, the VRAM block grid, the host link
// and CPU memory, charts, captions) that draw an engine's state. It reads
// the engine and never changes it.
package render

import (
	"image/color"

	"inferplay/sim"
)

// Theme maps every meaning to one colour, everywhere. The state and class
// colours come from the Okabe–Ito palette, which stays distinguishable with
// the common colour-vision deficiencies.
type Theme struct {
	Name       string
	Background color.RGBA
	Panel      color.RGBA
	Edge       color.RGBA
	Text       color.RGBA
	TextDim    color.RGBA
	Free       color.RGBA // a free KV block
	Weights    color.RGBA // the model's weights in VRAM

	// One colour per request state.
	Queued, Prefill, Decode, Swapped, Transfer, Done color.RGBA
	// Class markers: interactive and batch.
	Interactive, Batch color.RGBA
	Warning            color.RGBA
	// Blocked marks waiting that another request causes (head-of-line
	// blocking): a red well apart from the prefill orange in hue and
	// lightness.
	Blocked color.RGBA
	// Owners is the cycle of colours that tells requests' KV blocks apart.
	Owners []color.RGBA
}

// Okabe–Ito.
var (
	orange    = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	skyBlue   = color.RGBA{0x56, 0xB4, 0xE9, 0xFF}
	green     = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	yellow    = color.RGBA{0xF0, 0xE4, 0x42, 0xFF}
	blue      = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	vermilion = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	purple    = color.RGBA{0xCC, 0x79, 0xA7, 0xFF}
)

// ownerCycle lists distinguishable fills for KV blocks: the palette, then
// lighter and darker variants of it.
func ownerCycle() []color.RGBA {
	base := []color.RGBA{skyBlue, orange, green, purple, blue, yellow, vermilion}
	var out []color.RGBA
	for _, f := range []float64{1, 0.65, 1.35} {
		for _, c := range base {
			out = append(out, shade(c, f))
		}
	}
	return out
}

// shade scales a colour's brightness: below 1 darker, above 1 towards white.
func shade(c color.RGBA, f float64) color.RGBA {
	ch := func(v uint8) uint8 {
		if f <= 1 {
			return uint8(float64(v) * f)
		}
		return uint8(float64(v) + (255-float64(v))*(f-1))
	}
	return color.RGBA{ch(c.R), ch(c.G), ch(c.B), c.A}
}

// Dark is the default theme.
func Dark() *Theme {
	return &Theme{
		Name:       "dark",
		Background: color.RGBA{0x14, 0x17, 0x1C, 0xFF},
		Panel:      color.RGBA{0x1E, 0x23, 0x2A, 0xFF},
		Edge:       color.RGBA{0x3A, 0x42, 0x4D, 0xFF},
		Text:       color.RGBA{0xEE, 0xF1, 0xF4, 0xFF},
		TextDim:    color.RGBA{0xA8, 0xB1, 0xBC, 0xFF},
		Free:       color.RGBA{0x2B, 0x31, 0x39, 0xFF},
		Weights:    color.RGBA{0x4A, 0x55, 0x63, 0xFF},
		Queued:     skyBlue, Prefill: orange, Decode: green, Swapped: vermilion,
		Transfer: purple, Done: color.RGBA{0x77, 0x80, 0x8A, 0xFF},
		Interactive: yellow, Batch: blue,
		Warning: vermilion,
		Blocked: color.RGBA{0xC8, 0x1E, 0x3A, 0xFF},
		Owners:  ownerCycle(),
	}
}

// Light suits projectors, which wash out dark themes.
func Light() *Theme {
	t := Dark()
	t.Name = "light"
	t.Background = color.RGBA{0xFA, 0xFA, 0xF7, 0xFF}
	t.Panel = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	t.Edge = color.RGBA{0xB8, 0xBE, 0xC6, 0xFF}
	t.Text = color.RGBA{0x10, 0x14, 0x18, 0xFF}
	t.TextDim = color.RGBA{0x4A, 0x52, 0x5C, 0xFF}
	t.Free = color.RGBA{0xE4, 0xE7, 0xEB, 0xFF}
	t.Weights = color.RGBA{0x8C, 0x96, 0xA3, 0xFF}
	t.Done = color.RGBA{0x9A, 0xA2, 0xAB, 0xFF}
	t.Interactive = color.RGBA{0xB8, 0x9C, 0x00, 0xFF} // yellow darkened for white paper
	return t
}

// Presenter is the projector theme: white paper, black ink, and every
// colour dark enough to hold its own against a washed-out projection.
func Presenter() *Theme {
	t := Light()
	t.Name = "presenter"
	t.Background = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	t.Panel = color.RGBA{0xF6, 0xF7, 0xF8, 0xFF}
	t.Edge = color.RGBA{0x30, 0x36, 0x3D, 0xFF}
	t.Text = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	t.TextDim = color.RGBA{0x26, 0x2B, 0x31, 0xFF}
	t.Free = color.RGBA{0xDD, 0xE1, 0xE6, 0xFF}
	t.Weights = color.RGBA{0x6B, 0x75, 0x82, 0xFF}
	t.Queued = shade(skyBlue, 0.8)
	t.Prefill = shade(orange, 0.85)
	t.Interactive = color.RGBA{0x9C, 0x84, 0x00, 0xFF}
	t.Owners = nil
	for _, c := range ownerCycle() {
		t.Owners = append(t.Owners, shade(c, 0.85))
	}
	return t
}

// Owner is the colour of a request's KV blocks and sprite.
func (t *Theme) Owner(id int) color.RGBA { return t.Owners[id%len(t.Owners)] }

// State is the colour of a request state.
func (t *Theme) State(s sim.State) color.RGBA {
	switch s {
	case sim.Waiting, sim.Pending:
		return t.Queued
	case sim.Prefill:
		return t.Prefill
	case sim.Decode:
		return t.Decode
	case sim.Swapped:
		return t.Swapped
	case sim.SwappingOut, sim.SwappingIn:
		return t.Transfer
	}
	return t.Done
}

// Class is the colour of a request class.
func (t *Theme) Class(c sim.Class) color.RGBA {
	if c == sim.Batch {
		return t.Batch
	}
	return t.Interactive
}
