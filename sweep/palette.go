package sweep

import "image/color"

// The Okabe–Ito palette, told apart with any kind of colour vision (less
// its yellow, which does not show on white), one colour per policy.
var (
	okabeBlue      = color.NRGBA{0x00, 0x72, 0xB2, 0xFF}
	okabeVermilion = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF}
	okabeGreen     = color.NRGBA{0x00, 0x9E, 0x73, 0xFF}
	okabePurple    = color.NRGBA{0xCC, 0x79, 0xA7, 0xFF}
	okabeOrange    = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF}
	okabeSky       = color.NRGBA{0x56, 0xB4, 0xE9, 0xFF}
	otherPolicy    = color.NRGBA{0x33, 0x33, 0x33, 0xFF}
	policyColors   = map[string]color.Color{
		"fcfs": okabeBlue, "srpt": okabeVermilion, "sjf": okabeGreen,
		"priority": okabePurple, "mlfq": okabeOrange, "skipjoin-mlfq": okabeSky,
	}
)

// PolicyColor is a policy's colour in every chart, so that FCFS is the
// same blue in every sweep; the pairs most often compared (FCFS and SRPT,
// FCFS and MLFQ) are far apart.
func PolicyColor(name string) color.Color {
	if c, ok := policyColors[name]; ok {
		return c
	}
	return otherPolicy
}
