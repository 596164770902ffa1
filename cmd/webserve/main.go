// Command webserve serves the built site: go run ./cmd/webserve (what make
// serve does), then open the address it prints. It listens on this
// machine only (127.0.0.1:8080) unless -addr names another address, for
// example -addr :8080 for every interface, and then it says so. The
// module goes out as application/wasm, as its brotli or gzip copy to
// browsers that accept one; nothing outside the site is served, symbolic
// links included, and no directory is listed.
//
// Exit status: 2 for a bad flag or a missing site, 1 when the server
// cannot listen or stops.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"inferplay/web"
)

func main() {
	flags := flag.NewFlagSet("webserve", flag.ContinueOnError)
	flags.SetOutput(os.Stderr)
	dir := flags.String("dir", "web/dist", "the built site (make web)")
	addr := flags.String("addr", web.DefaultAddr, "address to listen on, host:port (:PORT listens on every interface)")
	if err := flags.Parse(os.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "webserve: unexpected argument %q\n", flags.Arg(0))
		os.Exit(2)
	}
	public, err := web.CheckAddr(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(2)
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "webserve: %s has no site: run make web first\n", *dir)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(1)
	}
	if public {
		fmt.Fprintf(os.Stderr, "webserve: warning: listening on %s, reachable from the network, not only from this machine\n", ln.Addr())
	}
	fmt.Printf("serving %s at http://%s/ (Ctrl-C stops)\n", *dir, ln.Addr())
	srv := &http.Server{Handler: web.Handler(*dir), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(1)
	}
}
