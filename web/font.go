package web

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pierrec/lz4/v4"
)

// The panels (debugui) draw their text with bitmapfont.Face, a 12-pixel
// face whose module embeds six 256×256-glyph sheets, one glyph per code
// point of the Basic Multilingual Plane: about 2.5 MB, a sixth of the
// compressed module. The web build links a copy of that module with the
// one sheet debugui draws from, and with the CJK Unified Ideographs
// (U+4E00–U+9FFF) and Hangul Syllables (U+AC00–U+D7FF) blank, which the
// app never writes; every other glyph is kept as it is. The desktop build
// uses the module unchanged.
const (
	bitmapFontModule = "github.com/hajimehoshi/bitmapfont/v4"
	bitmapFontSheet  = "data/face_ja.bin" // bitmapfont.Face
	sheetCellW       = 12
	sheetCellH       = 16
)

// blankRow reports whether a row of 256 code points is left blank: CJK Unified
// Ideographs and Hangul Syllables.
func blankRow(row int) bool {
	return (row >= 0x4e && row <= 0x9f) || (row >= 0xac && row <= 0xd7)
}

// trimmedFontModFile writes, under tmp, a copy of the bitmap font module
// with the trimmed sheet and a go.mod for the go command's -modfile that
// replaces the module with it. It returns "" when the program does not
// link the module.
func trimmedFontModFile(pkgDir, tmp string) (string, error) {
	list := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", bitmapFontModule)
	list.Dir = pkgDir
	list.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	dirOut, err := list.Output()
	src := strings.TrimSpace(string(dirOut))
	if err != nil || src == "" {
		return "", nil
	}
	dst := filepath.Join(tmp, "bitmapfont")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if filepath.Dir(filepath.ToSlash(rel)) == "data" && strings.HasSuffix(rel, ".bin") {
			return nil // the sheets: only the trimmed one goes in
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return "", err
	}
	sheet, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(bitmapFontSheet)))
	if err != nil {
		return "", err
	}
	trimmed, err := trimSheet(sheet)
	if err != nil {
		return "", fmt.Errorf("%s %s: %v", bitmapFontModule, bitmapFontSheet, err)
	}
	if err := os.WriteFile(filepath.Join(dst, filepath.FromSlash(bitmapFontSheet)), trimmed, 0o644); err != nil {
		return "", err
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(pkgDir, name))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return "", err
		}
	}
	modFile := filepath.Join(tmp, "go.mod")
	edit := exec.Command("go", "mod", "edit", "-modfile="+modFile, "-replace="+bitmapFontModule+"="+dst)
	edit.Dir = pkgDir
	if msg, err := edit.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go mod edit: %v\n%s", err, msg)
	}
	return modFile, nil
}

// trimSheet decodes an LZ4 glyph sheet, blanks the rows blankRow names,
// and encodes it again.
func trimSheet(sheet []byte) ([]byte, error) {
	bits, err := io.ReadAll(lz4.NewReader(bytes.NewReader(sheet)))
	if err != nil {
		return nil, err
	}
	const rowBytes = 256 * sheetCellW * sheetCellH / 8
	if len(bits) != 256*rowBytes {
		return nil, fmt.Errorf("a sheet of %d bytes, not the %d of 256×256 glyphs of %d×%d: the layout changed, see web/font.go",
			len(bits), 256*rowBytes, sheetCellW, sheetCellH)
	}
	for row := range 256 {
		if blankRow(row) {
			clear(bits[row*rowBytes : (row+1)*rowBytes])
		}
	}
	var out bytes.Buffer
	zw := lz4.NewWriter(&out)
	if err := zw.Apply(lz4.CompressionLevelOption(lz4.Level9)); err != nil {
		return nil, err
	}
	if _, err := zw.Write(bits); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
