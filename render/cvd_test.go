package render

import (
	"image/color"
	"math"
	"testing"
)

// The state colours stay apart for viewers with the common red-green
// deficiencies: under simulated protanopia and deuteranopia (Machado,
// Oliveira and Fernandes 2009, full severity) every two state colours
// differ by at least minDeltaE in CIELAB, and every state colour stands
// off the free block and the panel.
func TestStateColoursUnderColourBlindness(t *testing.T) {
	const minDeltaE = 11
	sims := map[string][3][3]float64{
		"normal": {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
		"protanopia": {
			{0.152286, 1.052583, -0.204868},
			{0.114503, 0.786281, 0.099216},
			{-0.003882, -0.048116, 1.051998}},
		"deuteranopia": {
			{0.367322, 0.860646, -0.227968},
			{0.280085, 0.672501, 0.047413},
			{-0.011820, 0.042940, 0.968881}},
	}
	for _, th := range []*Theme{Dark(), Light(), Presenter()} {
		states := th.StateMeanings()
		for name, m := range sims {
			for i, a := range states {
				for _, b := range states[i+1:] {
					if d := deltaE(simulate(a.C, m), simulate(b.C, m)); d < minDeltaE {
						t.Errorf("%s, %s: %s and %s differ by ΔE %.1f", th.Name, name, a.Label, b.Label, d)
					}
				}
				for _, n := range []struct {
					c    color.RGBA
					name string
				}{{th.Free, "free"}, {th.Panel, "panel"}, {th.Cached, "cached prefix"}} {
					if d := deltaE(simulate(a.C, m), simulate(n.c, m)); d < minDeltaE {
						t.Errorf("%s, %s: %s and %s differ by ΔE %.1f", th.Name, name, a.Label, n.name, d)
					}
				}
			}
		}
		// Weights and free blocks sit side by side in VRAM: at least 3:1.
		if r := contrastRatio(th.Weights, th.Free); r < 3 {
			t.Errorf("%s: weights and free blocks at %.2f:1, want 3:1", th.Name, r)
		}
	}
}

func linear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// simulate is a colour as seen with a deficiency, in linear RGB.
func simulate(c color.RGBA, m [3][3]float64) [3]float64 {
	in := [3]float64{linear(c.R), linear(c.G), linear(c.B)}
	var out [3]float64
	for i := range 3 {
		for j := range 3 {
			out[i] += m[i][j] * in[j]
		}
		out[i] = max(0, min(1, out[i]))
	}
	return out
}

// deltaE is the CIE76 distance between two linear-RGB colours.
func deltaE(a, b [3]float64) float64 {
	la, lb := lab(a), lab(b)
	return math.Sqrt((la[0]-lb[0])*(la[0]-lb[0]) + (la[1]-lb[1])*(la[1]-lb[1]) + (la[2]-lb[2])*(la[2]-lb[2]))
}

func lab(c [3]float64) [3]float64 {
	x := (0.4124*c[0] + 0.3576*c[1] + 0.1805*c[2]) / 0.95047
	y := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	z := (0.0193*c[0] + 0.1192*c[1] + 0.9505*c[2]) / 1.08883
	f := func(v float64) float64 {
		if v > 216.0/24389 {
			return math.Cbrt(v)
		}
		return (24389.0/27*v + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// contrastRatio is the WCAG contrast between two colours.
func contrastRatio(a, b color.RGBA) float64 {
	lum := func(c color.RGBA) float64 { return 0.2126*linear(c.R) + 0.7152*linear(c.G) + 0.0722*linear(c.B) }
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}
