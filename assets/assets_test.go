package assets

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// Both faces are fonts that Ebitengine's text package can read (it parses
// the same OpenType tables), with the letters the app's text uses.
func TestFonts(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		full string
	}{{"Regular", Regular, "Atkinson Hyperlegible Regular"}, {"Bold", Bold, "Atkinson Hyperlegible Bold"}} {
		f, err := sfnt.Parse(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var buf sfnt.Buffer
		if name, err := f.Name(&buf, sfnt.NameIDFull); err != nil || name != c.full {
			t.Errorf("%s is %q (%v), want %q", c.name, name, err, c.full)
		}
		// Letters, digits and the signs the scenes and panels print.
		for _, r := range "AaBbIl1O0rnm%(),.:;?!'\"/+-=×·–¼½−…µ≤±" {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("%s has no %q", c.name, r)
			}
		}
		t.Logf("%s: %d bytes, %d glyphs", c.name, len(c.data), f.NumGlyphs())
	}
	if !strings.Contains(FontLicence, "SIL OPEN FONT LICENSE Version 1.1") || !strings.Contains(FontLicence, "Braille Institute") {
		t.Error("the licence is not the font's OFL")
	}
}

func TestScenarioFiles(t *testing.T) {
	names, err := fs.Glob(Scenarios, "*.scenario")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"assistant.scenario", "chatbot.scenario", "docprocessing.scenario", "mixed.scenario", "rag.scenario"}; !slices.Equal(names, want) {
		t.Errorf("scenario files %v, want %v", names, want)
	}
}
