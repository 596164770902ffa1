// Package assets holds the files the programs are built with: the typeface
// the app draws its text in and the built-in scenarios. It embeds them and
// nothing more, so that every package, the engine included, may import it
// without linking Ebitengine.
package assets

import (
	"embed"
	"io/fs"
)

// The UI typeface is Atkinson Hyperlegible, by the Braille Institute: drawn
// for readers with low vision, with letters that cannot be mistaken for one
// another (I l 1, O 0, rn m), which is what text read from the back of a
// lecture hall needs. fonts/OFL.txt is its licence, the SIL Open Font
// Licence 1.1, which allows embedding it in a program. It has no arrows
// (← →): text that uses them needs a fallback face.
var (
	//go:embed fonts/AtkinsonHyperlegible-Regular.ttf
	Regular []byte
	//go:embed fonts/AtkinsonHyperlegible-Bold.ttf
	Bold []byte
	//go:embed fonts/OFL.txt
	FontLicence string
)

//go:embed scenarios/*.scenario
var scenarioFiles embed.FS

// Scenarios holds the built-in scenarios, one NAME.scenario file each at
// its root; sim.LoadScenarios reads them (the format is described there).
var Scenarios fs.FS = sub(scenarioFiles, "scenarios")

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		// Only an invalid directory name fails, and the name is fixed.
		panic(err)
	}
	return s
}
