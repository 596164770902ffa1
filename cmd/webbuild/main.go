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
	fmt.Printf("%s: %s %.1f MB, gzip %.1f MB (%.0f%%)\n", site.Dir, web.WasmName,
		float64(site.WasmBytes)/1e6, float64(site.GzipBytes)/1e6, 100*float64(site.GzipBytes)/float64(site.WasmBytes))
}
