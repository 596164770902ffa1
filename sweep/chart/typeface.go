package chart

import (
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"

	"inferplay/assets"
)

const typeface = "Atkinson Hyperlegible"

// useTypeface makes the UI's typeface the charts' default, once.
var useTypeface = sync.OnceFunc(func() {
	var faces font.Collection
	for _, f := range []struct {
		data   []byte
		weight xfont.Weight
	}{{assets.Regular, xfont.WeightNormal}, {assets.Bold, xfont.WeightBold}} {
		face, err := opentype.Parse(f.data)
		if err != nil {
			return // unreachable: a test reads both files; plot's own font stays
		}
		faces = append(faces, font.Face{Font: font.Font{Typeface: typeface, Weight: f.weight}, Face: face})
	}
	font.DefaultCache.Add(faces)
	plot.DefaultFont = font.Font{Typeface: typeface}
})
