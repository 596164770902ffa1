package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"inferplay/sim"
)

// Every flag refuses a bad value with one line that names the flag, quotes
// the value as given and says what is valid:
//
//	requests: "abc" is not valid (a whole number from 1 to 1000000)
//
// Numbers and booleans are defined here for that: define a new flag with
// wholeVar, realVar, amountVar or boolVar and it reports the same way. (A
// flag defined with the flag package's own IntVar and the like is refused
// in one line too, but says only its usage about what is valid.)

// flagSet is a flag.FlagSet that keeps the first value its own flags
// refused, so that parse can report it instead of the flag package's
// message ("invalid value ... parse error").
type flagSet struct {
	*flag.FlagSet
	refused error
}

func newFlagSet(name string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	// The flag package prints errors followed by the whole usage; parse
	// returns one line instead, and the usage is printed only when asked
	// for.
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	return fs
}

// value is a flag whose Set reports a refused value to its set.
type value struct {
	fs    *flagSet
	name  string
	text  string // as given, for String
	valid string // what a valid value is
	set   func(string) bool
	kind  string // the type -h names: int, float or "" for a boolean
}

func (v *value) Set(s string) error {
	if v.set(s) {
		v.text = s
		return nil
	}
	err := &sim.ConfigError{Field: v.name, Value: strconv.Quote(s), Valid: v.valid}
	if v.fs.refused == nil {
		v.fs.refused = err
	}
	return err
}

// String is the value as given. The flag package may call it on a zero
// value, to learn the type's default.
func (v *value) String() string {
	if v == nil {
		return ""
	}
	return v.text
}

func (v *value) IsBoolFlag() bool { return v.kind == "" }

func (fs *flagSet) define(name, usage, def, kind, valid string, set func(string) bool) {
	fs.Var(&value{fs: fs, name: name, text: def, valid: valid, set: set, kind: kind}, name, usage)
}

// wholeVar defines an int flag that takes the whole numbers from lo to hi,
// spelt as sim.ParseWhole reads them (decimal, as seeds are). what says
// what they count, for the message: "requests: "abc" is not valid (what
// from lo to hi)".
func (fs *flagSet) wholeVar(p *int, name string, def int, usage, what string, lo, hi int) {
	*p = def
	fs.define(name, usage, strconv.Itoa(def), "int", fmt.Sprintf("%s from %d to %d", what, lo, hi), func(s string) bool {
		n, ok := sim.ParseWhole(s)
		if !ok || n < uint64(lo) || n > uint64(hi) {
			return false
		}
		*p = int(n)
		return true
	})
}

// realVar defines a float64 flag that takes the numbers from lo to hi
// (never NaN or an infinity), as strconv.ParseFloat spells them; what is as
// for wholeVar.
func (fs *flagSet) realVar(p *float64, name string, def float64, usage, what string, lo, hi float64) {
	*p = def
	fs.define(name, usage, formatReal(def), "float", fmt.Sprintf("%s from %s to %s", what, formatReal(lo), formatReal(hi)), func(s string) bool {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || !(n >= lo && n <= hi) { // NaN fails both
			return false
		}
		*p = n
		return true
	})
}

// amountVar defines a float64 flag for an amount of which 0 means none
// (what zero says): 0, or from least to hi. A positive amount below least
// is refused rather than rounded to 0, which would turn a tiny limit into
// none at all.
func (fs *flagSet) amountVar(p *float64, name string, def float64, usage, what, zero string, least, hi float64) {
	*p = def
	valid := fmt.Sprintf("0 (%s), or %s from %s to %s", zero, what, formatReal(least), formatReal(hi))
	fs.define(name, usage, formatReal(def), "float", valid, func(s string) bool {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || !(n == 0 || n >= least && n <= hi) { // NaN fails both
			return false
		}
		*p = n
		return true
	})
}

// boolVar defines a boolean flag: -name alone is true, and -name=false
// turns it off.
func (fs *flagSet) boolVar(p *bool, name string, def bool, usage string) {
	*p = def
	fs.define(name, usage, strconv.FormatBool(def), "", "true or false", func(s string) bool {
		b, err := strconv.ParseBool(s)
		if err == nil {
			*p = b
		}
		return err == nil
	})
}

// formatReal writes a bound as people write numbers: 1000000, not 1e+06.
func formatReal(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// parse parses args, and words every error as one line that names the flag
// and quotes what was given.
func (fs *flagSet) parse(args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return err
	case fs.refused != nil:
		return fs.refused
	}
	// The flag package's own messages, which print names and arguments as
	// they are (a newline in one would break the line), reworded.
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown flag %q (see infersim -h)", "-"+name)
	}
	if arg, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Errorf("bad flag syntax %q (a flag is -name value or -name=value; see infersim -h)", arg)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("%s: needs a value (%s)", name, fs.valid(name))
	}
	// A flag defined with the flag package's own values: invalid value
	// "VALUE" for flag -NAME: ERR, or invalid boolean value "VALUE" for
	// -NAME: ERR.
	for _, p := range [][2]string{{"invalid value ", " for flag -"}, {"invalid boolean value ", " for -"}} {
		rest, ok := strings.CutPrefix(msg, p[0])
		if !ok {
			continue
		}
		if quoted, err := strconv.QuotedPrefix(rest); err == nil {
			if name, ok := strings.CutPrefix(rest[len(quoted):], p[1]); ok {
				name, _, _ = strings.Cut(name, ": ")
				return fmt.Errorf("%s: %s is not valid (%s)", name, quoted, fs.valid(name))
			}
		}
	}
	return fmt.Errorf("%q (see infersim -h)", msg)
}

// valid says what a flag takes: what its value says, or else its usage.
func (fs *flagSet) valid(name string) string {
	f := fs.Lookup(name)
	if f == nil {
		return "see infersim -h"
	}
	if v, ok := f.Value.(*value); ok {
		return v.valid
	}
	return f.Usage
}

// printDefaults is flag.PrintDefaults, naming the type of the values
// defined here as it does its own (int, float; nothing for a boolean).
func (fs *flagSet) printDefaults(w io.Writer) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		if v, ok := f.Value.(*value); ok {
			kind = v.kind
		}
		def := f.DefValue
		if g, ok := f.Value.(flag.Getter); ok {
			if _, isString := g.Get().(string); isString && def != "" {
				def = strconv.Quote(def)
			}
		}
		if def == "0" || def == "false" {
			def = "" // a zero default goes without saying
		}
		line := "  -" + f.Name
		if kind != "" {
			line += " " + kind
		}
		// As the flag package does: a one-letter flag without a type
		// keeps its usage on the same line.
		if len(line) <= 4 {
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += strings.ReplaceAll(usage, "\n", "\n    \t")
		if def != "" {
			line += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintln(w, line)
	})
}
