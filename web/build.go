package web

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed index.html
var indexHTML string

// WasmName is the module's file name in the site.
const WasmName = "inferplay.wasm"

// Site describes a built site.
type Site struct {
	Dir                  string
	WasmBytes, GzipBytes int64
}

// Build compiles the module in the module root pkgDir for GOOS=js
// GOARCH=wasm with the go command on PATH, and writes the site to out:
// index.html, wasm_exec.js from the same Go's installation, the module,
// and a gzip copy of it for servers that can send it as is.
func Build(pkgDir, out string) (Site, error) {
	site := Site{Dir: out}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return site, err
	}
	wasm := filepath.Join(out, WasmName)
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
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
	site.WasmBytes = int64(len(mod))
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return site, err
	}
	if _, err := zw.Write(mod); err != nil {
		return site, err
	}
	if err := zw.Close(); err != nil {
		return site, err
	}
	site.GzipBytes = int64(gz.Len())
	if err := os.WriteFile(wasm+".gz", gz.Bytes(), 0o644); err != nil {
		return site, err
	}
	var page bytes.Buffer
	tmpl := template.Must(template.New("index").Parse(indexHTML))
	if err := tmpl.Execute(&page, map[string]any{"Wasm": WasmName, "WasmSize": site.WasmBytes}); err != nil {
		return site, err
	}
	return site, os.WriteFile(filepath.Join(out, "index.html"), page.Bytes(), 0o644)
}
