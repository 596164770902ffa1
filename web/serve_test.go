package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseAcceptEncoding(t *testing.T) {
	for _, c := range []struct {
		header string
		want   map[string]float64
	}{
		{"", map[string]float64{}},
		{"gzip", map[string]float64{"gzip": 1}},
		{"gzip, deflate, br, zstd", map[string]float64{"gzip": 1, "deflate": 1, "br": 1, "zstd": 1}},
		{" GZip ;Q=0.5 ,BR;q=1.0", map[string]float64{"gzip": 0.5, "br": 1}},
		{"br;q=0, gzip;q=0.0", map[string]float64{"br": 0, "gzip": 0}},
		{"br;q=0.000,identity;q=0.001", map[string]float64{"br": 0, "identity": 0.001}},
		{"*;q=0.2", map[string]float64{"*": 0.2}},
		{"gzip;q=2, br;q=abc, zstd;q=, x;q=-1, y;q=0.1234", map[string]float64{"gzip": 0, "br": 0, "zstd": 0, "x": 0, "y": 0}},
		{"gzip;level=9;q=0.3", map[string]float64{"gzip": 0.3}},
		{",, ;q=1, gzip", map[string]float64{"gzip": 1}},
		{"gzip;q=0.9, gzip;q=0.1", map[string]float64{"gzip": 0.1}},
	} {
		if got := ParseAcceptEncoding(c.header); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %v, want %v", c.header, got, c.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	both := []string{"br", "gzip"}
	for _, c := range []struct {
		header string
		have   []string
		want   string // "" for 406
	}{
		{"", both, "identity"},
		{"gzip, deflate, br, zstd", both, "br"},
		{"gzip, deflate, br, zstd", []string{"gzip"}, "gzip"},
		{"gzip, br", nil, "identity"},
		{"gzip", both, "gzip"},
		{"br", both, "br"},
		{"BR", both, "br"},
		{"br;q=0.5, gzip", both, "gzip"},
		{"br;q=0.5, gzip;q=0.5", both, "br"},
		{"br;q=0, gzip", both, "gzip"},
		{"br;q=0.0, gzip;q=0", both, "identity"},
		{"gzip;q=0", []string{"gzip"}, "identity"},
		{"*", both, "br"},
		{"*;q=0.5, gzip", both, "gzip"},
		{"*;q=0, gzip", both, "gzip"},
		{"*;q=0", both, ""},
		{"*;q=0, identity", both, "identity"},
		{"identity;q=0", both, ""},
		{"identity;q=0, gzip", both, "gzip"},
		{"identity;q=0, gzip", nil, ""},
		{"identity;q=0.5, gzip;q=0.4", both, "gzip"},
		{"br;q=0, gzip;q=0, identity;q=0", both, ""},
		{"deflate", both, "identity"},
		{" br ; q=0.8 , gzip ; q=0.9 ", both, "gzip"},
	} {
		got, ok := Negotiate(c.header, c.have)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("%q with %v: %q, want %q", c.header, c.have, got, c.want)
		}
	}
}

// site writes files (name → content; a name ending in "@" is a directory)
// into a new temporary folder.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type sent struct {
	status int
	header http.Header
	body   string
}

// fetch sends a raw request path (as a client could, unnormalised) with an
// Accept-Encoding header, through a transport that does not decompress.
func fetch(t *testing.T, srv *httptest.Server, method, path, enc string) sent {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path // sent as written: no cleaning by the client
	if enc != "-" {
		req.Header.Set("Accept-Encoding", enc)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sent{res.StatusCode, res.Header, string(b)}
}

// The module goes out as the copy the browser prefers, under its own
// content type, with the length of what is sent; Vary on every answer
// for a file that has copies.
func TestHandlerEncodings(t *testing.T) {
	dir := site(t, map[string]string{
		"index.html": "<!doctype html>", "wasm_exec.js": "// glue",
		WasmName: "\x00asm plain", WasmName + ".gz": "gzipped!", WasmName + ".br": "brotli",
		"only.wasm": "\x00asm only", "only.wasm.gz": "only gzipped",
	})
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, c := range []struct {
		path, enc    string
		status       int
		coding, body string
	}{
		{"/" + WasmName, "gzip, deflate, br, zstd", 200, "br", "brotli"},
		{"/" + WasmName, "gzip, deflate", 200, "gzip", "gzipped!"},
		{"/" + WasmName, "br;q=0, gzip", 200, "gzip", "gzipped!"},
		{"/" + WasmName, "br;q=0.5, gzip;q=1.0", 200, "gzip", "gzipped!"},
		{"/" + WasmName, "Br;Q=1, GZIP;q=1", 200, "br", "brotli"},
		{"/" + WasmName, "*", 200, "br", "brotli"},
		{"/" + WasmName, "-", 200, "", "\x00asm plain"},
		{"/" + WasmName, "", 200, "", "\x00asm plain"},
		{"/" + WasmName, "gzip;q=0, br;q=0.0", 200, "", "\x00asm plain"},
		{"/" + WasmName, "identity", 200, "", "\x00asm plain"},
		{"/" + WasmName, "identity;q=0, gzip", 200, "gzip", "gzipped!"},
		{"/" + WasmName, "identity;q=0", 406, "", ""},
		{"/" + WasmName, "*;q=0", 406, "", ""},
		{"/" + WasmName, "br;q=0, gzip;q=0, *;q=0", 406, "", ""},
		{"/only.wasm", "br, gzip", 200, "gzip", "only gzipped"},
		{"/only.wasm", "br", 200, "", "\x00asm only"},
		{"/only.wasm", "br, identity;q=0", 406, "", ""},
	} {
		got := fetch(t, srv, "GET", c.path, c.enc)
		if got.status != c.status {
			t.Errorf("%s %q: %d, want %d", c.path, c.enc, got.status, c.status)
			continue
		}
		if got.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s %q: Vary %q", c.path, c.enc, got.header.Get("Vary"))
		}
		if c.status != 200 {
			continue
		}
		if got.header.Get("Content-Encoding") != c.coding || got.body != c.body {
			t.Errorf("%s %q: %q %q, want %q %q", c.path, c.enc, got.header.Get("Content-Encoding"), got.body, c.coding, c.body)
		}
		if ct := got.header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("%s %q: Content-Type %q", c.path, c.enc, ct)
		}
		if cl := got.header.Get("Content-Length"); cl != strconv.Itoa(len(c.body)) {
			t.Errorf("%s %q: Content-Length %s for %d bytes", c.path, c.enc, cl, len(c.body))
		}
	}
	// HEAD: the same headers, no body.
	if got := fetch(t, srv, "HEAD", "/"+WasmName, "br"); got.status != 200 || got.body != "" ||
		got.header.Get("Content-Encoding") != "br" || got.header.Get("Content-Length") != "6" {
		t.Errorf("HEAD: %d %q %v", got.status, got.body, got.header)
	}
	// The page and the glue: their types, and no Vary (no copies).
	for path, ct := range map[string]string{"/": "text/html; charset=utf-8", "/index.html": "text/html; charset=utf-8", "/wasm_exec.js": "text/javascript; charset=utf-8"} {
		got := fetch(t, srv, "GET", path, "gzip, br")
		if got.status != 200 || got.header.Get("Content-Type") != ct || got.header.Get("Content-Encoding") != "" || got.header.Get("Vary") != "" {
			t.Errorf("%s: %d %v", path, got.status, got.header)
		}
	}
	if got := fetch(t, srv, "POST", "/", ""); got.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", got.status)
	}
}

// Nothing outside the site: no climbing out of it, no symbolic links that
// lead out, no directory listings.
func TestHandlerStaysInside(t *testing.T) {
	outside := site(t, map[string]string{"secret.txt": "secret", "dir/inner.txt": "secret too"})
	dir := site(t, map[string]string{
		"index.html": "<!doctype html>", "a.txt": "inside",
		"docs/readme.txt": "inside", "sub/index.html": "sub page",
	})
	for link, target := range map[string]string{
		"leak.txt":       filepath.Join(outside, "secret.txt"),
		"leakdir":        filepath.Join(outside, "dir"),
		"docs/up.txt":    "../../" + filepath.Base(outside) + "/secret.txt",
		"alias.txt":      "a.txt", // a link inside the site is fine
		WasmName + ".br": filepath.Join(outside, "secret.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, WasmName), []byte("\x00asm"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The site itself reached through a link is served.
	linked := filepath.Join(t.TempDir(), "site")
	if err := os.Symlink(dir, linked); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(linked))
	defer srv.Close()
	for path, want := range map[string]int{
		"/a.txt":                  200,
		"/alias.txt":              200,
		"/docs/readme.txt":        200,
		"/sub/":                   200,
		"/sub":                    301,
		"/leak.txt":               404,
		"/leakdir/inner.txt":      404,
		"/leakdir/":               404,
		"/docs/up.txt":            404,
		"/docs/":                  404, // no index.html: no listing
		"/docs":                   404,
		"/../secret.txt":          404,
		"/docs/../../secret.txt":  404,
		"/%2e%2e/secret.txt":      404,
		"/docs/%2E%2E/%2e%2e/x":   404,
		"/..%2fsecret.txt":        404,
		"/docs/..%5c..%5csecret":  404,
		"/a.txt%00":               404,
		"/missing.wasm":           404,
		"/" + filepath.Base(dir):  404,
		"//" + outside[1:] + "/x": 404,
	} {
		got := fetch(t, srv, "GET", path, "-")
		if got.status != want {
			t.Errorf("%s: %d, want %d", path, got.status, want)
		}
		if strings.Contains(got.body, "secret") {
			t.Errorf("%s: sent %q", path, got.body)
		}
	}
	// A copy that leads out is not offered: the module goes out plain.
	if got := fetch(t, srv, "GET", "/"+WasmName, "br"); got.status != 200 || got.body != "\x00asm" || got.header.Get("Content-Encoding") != "" {
		t.Errorf("linked copy: %d %q %v", got.status, got.body, got.header)
	}
}
