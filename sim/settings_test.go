package sim

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// Preset settings parse the same from flags and from Set, apply in order
// (a model before the precision that must fit it), and refuse bad values
// naming the setting.
func TestOverrides(t *testing.T) {
	var o Overrides
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.Define(fs)
	if err := fs.Parse([]string{"-precision", "int4", "-model", "llama3-70b", "-seed", "7", "-tp", "2", "-scheduler", "mlfq"}); err != nil {
		t.Fatal(err)
	}
	c, _ := ScenarioConfig("chatbot")
	if err := o.Apply(&c); err != nil {
		t.Fatal(err)
	}
	if c.Model.ID != "llama3-70b" || c.Precision.ID != "int4" || c.Seed != 7 || c.TP != 2 || c.Scheduler != "mlfq" {
		t.Fatalf("applied: %s %s seed %d tp %d %s", c.Model.ID, c.Precision.ID, c.Seed, c.TP, c.Scheduler)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"seed": "-1", "tp": "two", "scheduler": "lifo", "timing": "wallclock", "gpu": "tpu", "model": "gpt", "precision": "fp3"} {
		var bad Overrides
		if err := bad.Set(name, v); err != nil {
			t.Fatal(err)
		}
		c, _ := ScenarioConfig("chatbot")
		err := bad.Apply(&c)
		if err == nil || !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("%s=%s: %v", name, v, err)
		}
	}
	if err := new(Overrides).Set("colour", "red"); err == nil {
		t.Error("an unknown setting was taken")
	}
}

// Whole numbers are decimal, with an optional +, for every setting; a
// refused value is quoted, so an empty one shows as "".
func TestParseWholeAndQuotedValues(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "7": 7, "+7": 7, "010": 10, "18446744073709551615": 1<<64 - 1} {
		if n, ok := ParseWhole(in); !ok || n != want {
			t.Errorf("ParseWhole(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for _, in := range []string{"", "+", "++7", "-1", "-0", "0x10", "0o7", "1_000", "1.5", "1e3", " 7", "7 ", "18446744073709551616"} {
		if n, ok := ParseWhole(in); ok {
			t.Errorf("ParseWhole(%q) = %d, want it refused", in, n)
		}
	}
	for _, c := range []struct{ name, v, want string }{
		{"tp", "", `tp: "" is not valid (1, 2, 4 or 8)`},
		{"tp", "16", `tp: "16" is not valid (1, 2, 4 or 8)`},
		{"tp", "3\n4", `tp: "3\n4" is not valid (1, 2, 4 or 8)`},
		{"seed", "", `seed: "" is not valid (a whole number from 0 to 18446744073709551615)`},
		{"seed", "0x10", `seed: "0x10" is not valid (a whole number from 0 to 18446744073709551615)`},
	} {
		var o Overrides
		o.Set(c.name, c.v)
		cfg, _ := ScenarioConfig("chatbot")
		if err := o.Apply(&cfg); err == nil || err.Error() != c.want {
			t.Errorf("%s %q: %v, want %s", c.name, c.v, err, c.want)
		}
	}
}
