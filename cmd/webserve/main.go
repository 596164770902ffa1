// Command webserve serves the built site on this machine only:
// go run ./cmd/webserve (what make serve does), then open the address it
// prints. WebAssembly goes out as application/wasm, and compressed when the
// browser accepts it.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"inferplay/web"
)

func main() {
	dir := flag.String("dir", "web/dist", "the built site (make web)")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "webserve: %s has no site: run make web first\n", *dir)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(1)
	}
	fmt.Printf("serving %s at http://%s/ (Ctrl-C stops)\n", *dir, ln.Addr())
	if err := http.Serve(ln, web.Handler(*dir)); err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(1)
	}
}
