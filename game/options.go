package game

import "inferplay/settings"

// Options are what the command line or the web address sets.
type Options = settings.Options
