// Package render is the drawing kit of the visual simulator: a theme, text,
// and widgets (lanes of request sprites, the VRAM block grid, the host link
// and CPU memory, charts, captions) that draw an engine's state. It reads
// the engine and never changes it.
package render

import (
	"image/color"

	"inferplay/render/palette"

	"inferplay/sim"
)

// Theme maps every meaning to one colour, everywhere. A colour means a
// request's state and nothing else: which request is which is told by its
// label, by its shape (a disc for a chat, a square for batch work) and by
// selection, never by a colour of its own. The state colours come from the
// Okabe–Ito palette, which stays distinguishable with the common
// colour-vision deficiencies (a test checks them under simulated
// deuteranopia and protanopia).
type Theme struct {
	Name       string
	Background color.RGBA
	Panel      color.RGBA
	Edge       color.RGBA
	Text       color.RGBA
	TextDim    color.RGBA
	// Accent frames what the eye should go to — the beat's caption, the
	// selected request, a spotlight's callout: the ink colour, so that it
	// never reads as a state.
	Accent color.RGBA
	// Free and Weights are neutral and far apart in lightness: a free KV
	// block, and the model's weights in VRAM.
	Free    color.RGBA
	Weights color.RGBA

	// One colour per request state: waiting for a prompt chunk, prefilling,
	// decoding, copying over the host link, swapped out to CPU memory,
	// waiting to be recomputed (its KV was dropped), done.
	Queued, Prefill, Decode, Copying, Swapped, Recompute, Done color.RGBA
	// Blocked marks trouble: waiting that another request causes
	// (head-of-line blocking), and a setup that cannot run. A red well
	// apart from the prefill orange in hue and lightness.
	Blocked color.RGBA
	// Warning is Blocked's colour under the name text uses for trouble.
	Warning color.RGBA
	// Cached is a block of cached prefix KV, kept for any request whose
	// prompt starts the same way: a block's state, not a request's, in a
	// sand far from every state colour.
	Cached color.RGBA
}

// Okabe–Ito (package palette), and its blue made lighter so that it reads
// on a dark panel.
var (
	orange     = palette.Orange
	skyBlue    = palette.SkyBlue
	green      = palette.BluishGreen
	yellow     = palette.Yellow
	blue       = color.RGBA{0x1F, 0x6F, 0xC4, 0xFF}
	purple     = palette.ReddishPurple
	crimson    = color.RGBA{0xC8, 0x1E, 0x3A, 0xFF}
	doneGrey   = color.RGBA{0x6B, 0x73, 0x7D, 0xFF}
	sand       = color.RGBA{0xDD, 0xCC, 0x77, 0xFF} // Paul Tol's, set beside Okabe–Ito's
	lightInk   = color.RGBA{0xEE, 0xF1, 0xF4, 0xFF}
	paperInk   = color.RGBA{0x10, 0x14, 0x18, 0xFF}
	projectInk = color.RGBA{0x00, 0x00, 0x00, 0xFF}
)

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
		Text:       lightInk,
		TextDim:    color.RGBA{0xA8, 0xB1, 0xBC, 0xFF},
		Accent:     lightInk,
		Free:       color.RGBA{0x39, 0x40, 0x4A, 0xFF},
		Weights:    color.RGBA{0xB4, 0xBC, 0xC6, 0xFF},
		Queued:     skyBlue, Prefill: orange, Decode: green, Copying: yellow,
		Swapped: shade(blue, 1.15), Recompute: purple, Done: doneGrey,
		Blocked: crimson, Warning: crimson, Cached: sand,
	}
}

// Light suits projectors, which wash out dark themes: darker inks for white
// paper.
func Light() *Theme {
	t := Dark()
	t.Name = "light"
	t.Background = color.RGBA{0xFA, 0xFA, 0xF7, 0xFF}
	t.Panel = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	t.Edge = color.RGBA{0xB8, 0xBE, 0xC6, 0xFF}
	t.Text = paperInk
	t.TextDim = color.RGBA{0x4A, 0x52, 0x5C, 0xFF}
	t.Accent = paperInk
	t.Free = color.RGBA{0xE2, 0xE5, 0xE9, 0xFF}
	t.Weights = color.RGBA{0x6A, 0x73, 0x80, 0xFF}
	// On white, orange and yellow are told apart by lightness: a deeper
	// orange, a brighter yellow.
	t.Prefill = color.RGBA{0xCC, 0x7A, 0x00, 0xFF}
	t.Copying = color.RGBA{0xEB, 0xD9, 0x1C, 0xFF}
	t.Swapped = blue
	t.Recompute = color.RGBA{0xB0, 0x4E, 0x8C, 0xFF}
	t.Done = color.RGBA{0xB4, 0xBA, 0xC1, 0xFF}
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
	t.Text = projectInk
	t.TextDim = color.RGBA{0x26, 0x2B, 0x31, 0xFF}
	t.Accent = projectInk
	t.Free = color.RGBA{0xDA, 0xDE, 0xE3, 0xFF}
	t.Weights = color.RGBA{0x5E, 0x67, 0x73, 0xFF}
	t.Queued = shade(skyBlue, 0.8)
	t.Decode = shade(green, 0.9)
	t.Swapped = shade(blue, 0.85)
	return t
}

// StateOf is the colour of a request as drawn: its state, with a waiting
// request whose KV was dropped shown as waiting to be recomputed.
func (t *Theme) StateOf(r sim.Request) color.RGBA {
	if r.State == sim.Waiting && r.Drops > 0 && r.Prefilled < r.PrefillTarget() {
		return t.Recompute
	}
	return t.State(r.State)
}

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
	case sim.SwappingOut, sim.SwappingIn, sim.Fetching, sim.Sending:
		return t.Copying
	case sim.Rejected:
		return t.Blocked
	}
	return t.Done
}

// StateMeanings lists every state colour with the words the legend uses,
// in the order a request meets them.
func (t *Theme) StateMeanings() [7]Meaning {
	return [7]Meaning{
		{t.Queued, "waiting"}, {t.Prefill, "prefill"}, {t.Decode, "decode"},
		{t.Copying, "copying on the link"}, {t.Swapped, "swapped to CPU"},
		{t.Recompute, "to recompute"}, {t.Done, "done"},
	}
}

// Meaning is one colour and what it stands for.
type Meaning struct {
	C     color.RGBA
	Label string
}
