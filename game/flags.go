package game

import (
	"io"

	"inferplay/settings"
)

// The settings are read by package settings, which links no Ebitengine:
// the desktop app reads them there before Ebitengine starts. These names
// keep the game's own code and tests as they were.

// Window is the window size asked for.
type Window = settings.Window

// ParseFlags reads the command line into options (see settings.ParseFlags).
func ParseFlags(args []string, usage io.Writer) (Options, Window, bool, error) {
	return settings.ParseFlags(args, usage)
}

// ParseQuery reads a web address's query into options (see
// settings.ParseQuery).
func ParseQuery(query string) (Options, error) { return settings.ParseQuery(query) }
