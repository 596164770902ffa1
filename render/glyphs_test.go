package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"inferplay/assets"
)

// Every character in the strings the app can draw has a glyph in the
// typeface, regular and bold: no missing-glyph boxes on screen. The
// strings are read from the source of the packages that make screen text.
func TestEveryGlyphIsInTheFont(t *testing.T) {
	var faces []*sfnt.Font
	for _, b := range [][]byte{assets.Regular, assets.Bold} {
		f, err := sfnt.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		faces = append(faces, f)
	}
	var buf sfnt.Buffer
	for _, dir := range []string{".", "../scenes", "../game", "../lesson", "../playback", "../sim"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no source (%v)", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			file, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(lit.Value)
				for _, r := range s {
					if r < 0x80 || r == '\uFEFF' { // a byte-order mark is stripped from input, never drawn
						continue
					}
					for _, f := range faces {
						if i, _ := f.GlyphIndex(&buf, r); i == 0 {
							t.Errorf("%s: %q (%U) in %q has no glyph", name, r, r, s)
							break
						}
					}
				}
				return true
			})
		}
	}
}
