// Command webbuild builds the browser version of the visual simulator into
// a static site: go run ./cmd/webbuild -out web/dist (what make web does).
package main

import (
	"flag"
	"fmt"
	"os"

	"inferplay/web"
)

func main() {
	out := flag.String("out", "web/dist", "folder to write the site to")
	flag.Parse()
	site, err := web.Build(".", *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webbuild:", err)
		os.Exit(1)
	}
	mib := func(n int64) float64 { return float64(n) / (1 << 20) }
	fmt.Printf("%s: %s %.2f MiB, gzip %.2f MiB, brotli %.2f MiB\n", site.Dir, web.WasmName,
		mib(site.WasmBytes), mib(site.GzipBytes), mib(site.BrotliBytes))
	if site.BrotliBytes > web.MaxBrotliBytes {
		fmt.Fprintf(os.Stderr, "webbuild: the brotli copy is %d bytes, over the %d allowed\n", site.BrotliBytes, web.MaxBrotliBytes)
		os.Exit(1)
	}
}
