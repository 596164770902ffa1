// Package web builds the browser version of the visual simulator into a
// static site (the WebAssembly module, Go's wasm_exec.js, a precompressed
// copy and the page that loads them) and serves such a site locally with
// the right content types and encodings. It is pure Go: no graphics.
package web
