//go:build (linux && !android) || freebsd || netbsd || openbsd || dragonfly

package preflight

import (
	"os"
	"testing"
)

// On these systems Ebitengine's window is an X11 one (or XWayland's), and
// without a display server it cannot start.
func init() {
	// A test binary's command line is go test's, not the app's: the
	// package's own tests call Headless, and run the real app for the rest.
	if testing.Testing() || hasDisplay(os.Getenv) {
		return
	}
	os.Exit(Headless(os.Args[1:], os.Stdout, os.Stderr))
}

func hasDisplay(getenv func(string) string) bool {
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
