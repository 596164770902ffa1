package main

import (
	"strings"
	"testing"
)

// A flag defined with the flag package's own values is refused in one line
// too, naming it, quoting the value and giving its usage. (Those values
// take NaN, 0x10 and 010 as octal: new flags use wholeVar and realVar.)
func TestPlainFlagsAreOneLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-cv", "3\n4"}, `cv: "3\n4" is not valid (the CV, 0.01 to 10)`},
		{[]string{"-on=maybe"}, `on: "maybe" is not valid (turn it on)`},
		{[]string{"-n", ""}, `n: "" is not valid (a count)`},
		{[]string{"-n"}, `n: needs a value (a count)`},
	} {
		fs := newFlagSet("t")
		var cv float64
		var on bool
		var n int
		fs.Float64Var(&cv, "cv", 0, "the CV, 0.01 to 10")
		fs.BoolVar(&on, "on", false, "turn it on")
		fs.IntVar(&n, "n", 0, "a count")
		err := fs.parse(c.args)
		if err == nil || err.Error() != c.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want %s", c.args, err, c.want)
		}
	}
}
