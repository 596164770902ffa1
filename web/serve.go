package web

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Handler serves a built site from dir, and nothing outside it: a path
// that climbs out of it, or a symbolic link whose target lies outside it,
// is not found, and so is a directory without an index.html (no
// listings); / is index.html.
//
// A file that has a .br or .gz copy beside it is sent as the copy the
// client prefers (Accept-Encoding; brotli when it accepts both equally),
// with Content-Encoding set and under the original file's content type,
// and the response varies on Accept-Encoding; WebAssembly goes out as
// application/wasm, which browsers need to compile it while it streams.
// A client that refuses every form the file has gets 406.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		root, err := filepath.EvalSymlinks(dir)
		if err != nil {
			http.Error(w, "500 the site is missing", http.StatusInternalServerError)
			return
		}
		name, ok := cleanPath(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		if _, err := openInside(root, name); err != nil {
			if errors.Is(err, errIsDir) {
				// A directory: its index.html, under the address with a
				// slash, as a static host does.
				if _, err := openInside(root, name+"/index.html"); err == nil {
					http.Redirect(w, r, path.Base(name)+"/", http.StatusMovedPermanently)
					return
				}
			}
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		ct := mime.TypeByExtension(path.Ext(name))
		if path.Ext(name) == ".wasm" {
			ct = "application/wasm"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)

		// The forms the file has: the compressed copies beside it, then
		// the file itself.
		var have []string
		for _, enc := range []string{"br", "gzip"} {
			if f, err := openInside(root, name+encodingSuffix[enc]); err == nil {
				f.Close()
				have = append(have, enc)
			}
		}
		if len(have) > 0 {
			h.Add("Vary", "Accept-Encoding")
		}
		enc, ok := Negotiate(r.Header.Get("Accept-Encoding"), have)
		if !ok {
			http.Error(w, "406 none of the encodings this file has ("+strings.Join(append(have, "identity"), ", ")+") is acceptable", http.StatusNotAcceptable)
			return
		}
		f, err := openInside(root, name+encodingSuffix[enc])
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
			return
		}
		if enc != "identity" {
			h.Set("Content-Encoding", enc)
		}
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
		h.Set("Last-Modified", st.ModTime().UTC().Format(http.TimeFormat))
		if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !st.ModTime().Truncate(time.Second).After(t) {
			h.Del("Content-Length")
			h.Del("Content-Type")
			h.Del("Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodHead {
			return
		}
		_, _ = io.Copy(w, f)
	})
}

var encodingSuffix = map[string]string{"br": ".br", "gzip": ".gz", "identity": ""}

var errIsDir = errors.New("a directory")

// cleanPath turns a request's (already unescaped) path into a slash-led
// path inside the site, or reports that it climbs out of it or is not a
// plain path.
func cleanPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", false
		}
	}
	name := path.Clean(p)
	if strings.HasSuffix(p, "/") && name != "/" {
		name += "/"
	}
	return name, true
}

// openInside opens the regular file at the slash path name under root
// (itself free of symbolic links), after resolving every symbolic link on
// the way: a file whose real path is not under root is not found.
func openInside(root, name string) (*os.File, error) {
	full := filepath.Join(root, filepath.FromSlash(name))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, fs.ErrNotExist
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, errIsDir
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}
