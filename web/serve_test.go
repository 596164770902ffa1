package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// The server sends WebAssembly as application/wasm, the gzip copy to
// browsers that accept it (and the plain file to others), and the page as
// HTML.
func TestHandler(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "<!doctype html>", WasmName: "\x00asm plain", WasmName + ".gz": "gzipped",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	get := func(path, enc string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		// A transport that does not decompress, to see what was sent.
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b := make([]byte, 64)
		n, _ := res.Body.Read(b)
		return res, string(b[:n])
	}
	res, body := get("/"+WasmName, "gzip, br")
	if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "gzip" || body != "gzipped" {
		t.Errorf("gzip: %v %v %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"), body)
	}
	res, body = get("/"+WasmName, "")
	if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "" || body != "\x00asm plain" {
		t.Errorf("plain: %v %v %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"), body)
	}
	res, body = get("/"+WasmName, "gzip;q=0")
	if res.Header.Get("Content-Encoding") != "" || body != "\x00asm plain" {
		t.Errorf("gzip refused: %v %q", res.Header.Get("Content-Encoding"), body)
	}
	res, _ = get("/", "gzip")
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" || res.StatusCode != 200 {
		t.Errorf("page: %d %s", res.StatusCode, ct)
	}
	if res, _ = get("/missing.wasm", "gzip"); res.StatusCode != 404 {
		t.Errorf("missing file: %d", res.StatusCode)
	}
}
