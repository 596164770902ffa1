package sweep

import (
	"image/color"

	"inferplay/render/palette"
)

// One Okabe–Ito colour per policy (less its yellow, which does not show on
// white).
var (
	otherPolicy  = color.NRGBA{0x33, 0x33, 0x33, 0xFF}
	policyColors = map[string]color.Color{
		"fcfs": palette.Blue, "srpt": palette.Vermilion, "sjf": palette.BluishGreen,
		"priority": palette.ReddishPurple, "mlfq": palette.Orange, "skipjoin-mlfq": palette.SkyBlue,
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
