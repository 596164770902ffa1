// Package web builds the browser version of the visual simulator into a
// static site (the WebAssembly module, Go's wasm_exec.js, gzip and brotli
// copies of the module and the page that loads them) and serves such a
// site locally with the right content types and encodings, and nothing
// outside it. It is pure Go: no graphics.
package web
