package render

import "image/color"

type rgba = color.RGBA

// withAlpha fades a colour (premultiplied, as Ebitengine expects).
// Smoothstep eases a motion's progress f (0 to 1): slow out, fast through,
// slow in.
func Smoothstep(f float64) float64 { return f * f * (3 - 2*f) }

func withAlpha(c color.RGBA, a float64) color.RGBA {
	a = max(0, min(1, a))
	return color.RGBA{uint8(float64(c.R) * a), uint8(float64(c.G) * a), uint8(float64(c.B) * a), uint8(float64(c.A) * a)}
}

// contrast picks black or white text for a fill.
func contrast(c color.RGBA) color.RGBA {
	if 299*int(c.R)+587*int(c.G)+114*int(c.B) > 140_000 {
		return color.RGBA{0x10, 0x10, 0x10, 0xFF}
	}
	return color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
}
