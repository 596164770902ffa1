package web

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"text/template"

	"github.com/andybalholm/brotli"
)

//go:embed index.html
var indexHTML string

// WasmName is the module's file name in the site.
const WasmName = "inferplay.wasm"

// MaxBrotliBytes is the most the brotli copy of the module may weigh:
// 3.25 MiB (it was 3 MiB for a tour of four scenes; seven scenes and the
// playground's curves weigh 3.00 MiB).
const MaxBrotliBytes = 13 << 18

// Site describes a built site.
type Site struct {
	Dir                               string
	WasmBytes, GzipBytes, BrotliBytes int64
}

// Build compiles the module in the module root pkgDir for GOOS=js
// GOARCH=wasm with the go command on PATH, and writes the site to out:
// index.html, wasm_exec.js from the same Go's installation, the module,
// and a gzip copy (level 9) and a brotli copy (quality 11) of it for
// servers that can send them as they are.
//
// The module is the app's, with two differences that do not change what
// it does or shows: the panels' bitmap face carries only the glyphs the
// app can write (see font.go), and the data section is written as few
// segments (see wasmdata.go).
func Build(pkgDir, out string) (Site, error) {
	site := Site{Dir: out}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return site, err
	}
	tmp, err := os.MkdirTemp("", "webbuild")
	if err != nil {
		return site, err
	}
	defer os.RemoveAll(tmp)
	modFile, err := trimmedFontModFile(pkgDir, tmp)
	if err != nil {
		return site, err
	}
	wasm := filepath.Join(out, WasmName)
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", wasm}
	if modFile != "" {
		args = append(args, "-modfile="+modFile)
	}
	build := exec.Command("go", append(args, ".")...)
	build.Dir = pkgDir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := build.CombinedOutput(); err != nil {
		return site, fmt.Errorf("go build for js/wasm: %v\n%s", err, msg)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return site, fmt.Errorf("go env GOROOT: %v", err)
	}
	// wasm_exec.js must come from the Go that built the module: the two
	// speak a protocol that changes between releases.
	glue, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return site, err
	}
	if err := os.WriteFile(filepath.Join(out, "wasm_exec.js"), glue, 0o644); err != nil {
		return site, err
	}
	mod, err := os.ReadFile(wasm)
	if err != nil {
		return site, err
	}
	mod = mergeDataSegments(mod, 64<<10)
	if err := os.WriteFile(wasm, mod, 0o644); err != nil {
		return site, err
	}
	site.WasmBytes = int64(len(mod))
	// The two copies at once: brotli at quality 11 takes most of a minute.
	var gz, br []byte
	var gzErr, brErr error
	var wg sync.WaitGroup
	wg.Go(func() { gz, gzErr = Gzip(mod) })
	wg.Go(func() { br, brErr = Brotli(mod) })
	wg.Wait()
	if err := errors.Join(gzErr, brErr); err != nil {
		return site, err
	}
	site.GzipBytes, site.BrotliBytes = int64(len(gz)), int64(len(br))
	if err := os.WriteFile(wasm+".gz", gz, 0o644); err != nil {
		return site, err
	}
	if err := os.WriteFile(wasm+".br", br, 0o644); err != nil {
		return site, err
	}
	var page bytes.Buffer
	tmpl := template.Must(template.New("index").Parse(indexHTML))
	if err := tmpl.Execute(&page, map[string]any{"Wasm": WasmName, "WasmSize": site.WasmBytes}); err != nil {
		return site, err
	}
	return site, os.WriteFile(filepath.Join(out, "index.html"), page.Bytes(), 0o644)
}

// Gzip compresses b at gzip's best compression.
func Gzip(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Brotli compresses b at brotli's best compression (quality 11) with the
// largest window browsers accept (16 MiB).
func Brotli(b []byte) ([]byte, error) {
	var out bytes.Buffer
	bw := brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	if _, err := bw.Write(b); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
