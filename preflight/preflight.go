// Package preflight answers the desktop app's command line when there is
// no display to open a window on, which Ebitengine cannot survive: on
// Linux and the BSDs it panics while initialising, before main runs, so
// that even -h would end in a goroutine trace.
//
// main imports this package for its init function, which runs first
// because Go initialises a package after everything it imports and before
// any package that imports it, and this package and all it imports link
// no Ebitengine: they are ready to initialise long before Ebitengine's
// packages, which depend on many more. Without a display it parses the
// command line with the app's own parser (package settings) and exits:
// 0 after -h, 2 with one line for a bad flag, and 1 with one line saying
// that a display is needed for a command line that is fine. With a
// display it does nothing.
package preflight

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"inferplay/settings"
)

// Headless is what the app does with its command line when it has no
// display: the usage for -h (exit status 0), one line for a bad flag (2),
// and for a good command line one line that says what to run instead (1).
func Headless(args []string, stdout, stderr io.Writer) int {
	_, _, _, err := settings.ParseFlags(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "inferplay:", err)
		return 2
	}
	fmt.Fprintf(stderr, "inferplay: needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; "+
		"for screenshots run it under a virtual one (xvfb-run -a %s), and for numbers without a window use infersim\n",
		shellLine(append([]string{"inferplay"}, args...)))
	return 1
}

// shellLine is a command line to paste into a shell.
func shellLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return !safeInShell(r) }) {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

func safeInShell(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=./,:@%+", r)
}
