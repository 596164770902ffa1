package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// The site as make web writes it: the copies decode to the module exactly,
// and the brotli copy is within its 3.25 MiB.
func TestBuild(t *testing.T) {
	site := builtSite(t)
	mod, err := os.ReadFile(filepath.Join(site.Dir, WasmName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(mod, []byte("\x00asm")) || int64(len(mod)) != site.WasmBytes {
		t.Fatalf("%s: %d bytes, not a module of %d", WasmName, len(mod), site.WasmBytes)
	}
	for _, c := range []struct {
		suffix string
		size   int64
		open   func(io.Reader) (io.Reader, error)
	}{
		{".br", site.BrotliBytes, func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
		{".gz", site.GzipBytes, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
	} {
		packed, err := os.ReadFile(filepath.Join(site.Dir, WasmName+c.suffix))
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.open(bytes.NewReader(packed))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, mod) || int64(len(packed)) != c.size {
			t.Errorf("%s%s: %d bytes decode to %d (%v), not the module's %d", WasmName, c.suffix, len(packed), len(got), err, len(mod))
		}
	}
	t.Logf("%s: %d bytes, gzip %d, brotli %d", WasmName, site.WasmBytes, site.GzipBytes, site.BrotliBytes)
	if site.BrotliBytes > MaxBrotliBytes {
		t.Errorf("the brotli copy is %d bytes, over %d (3.25 MiB)", site.BrotliBytes, MaxBrotliBytes)
	}
	for _, name := range []string{"index.html", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(site.Dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// The web build trims bitmapfont to the one face debugui draws with: that
// holds while debugui is the module's only user and uses only that face.
func TestTrimmedFontIsTheOneDrawn(t *testing.T) {
	list := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "..")
	list.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := list.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[min(1, len(f)):] {
			if imp == bitmapFontModule && f[0] != "github.com/ebitengine/debugui" {
				t.Errorf("%s imports %s: the web build keeps only the face debugui uses (web/font.go)", f[0], bitmapFontModule)
			}
		}
	}
	dirOut, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/ebitengine/debugui").Output()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(dirOut)), "*.go"))
	uses := regexp.MustCompile(`bitmapfont\.(\w+)`)
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "Face" {
				t.Errorf("%s uses bitmapfont.%s: the web build keeps only bitmapfont.Face's sheet (web/font.go)", filepath.Base(file), m[1])
			}
		}
	}
}

// The glyphs the web build blanks (web/font.go) are in none of the app's
// string literals.
func TestNoBlankGlyphsInTheApp(t *testing.T) {
	for _, dir := range []string{"..", "../game", "../scenes", "../render", "../lesson", "../sim", "../settings", "../playback"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range string(b) {
				if r < 0x10000 && blankRow(int(r)>>8) {
					t.Errorf("%s has %q (U+%04X), a glyph the web build leaves out of the panels' face", file, r, r)
				}
			}
		}
	}
}
