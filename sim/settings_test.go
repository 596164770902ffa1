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
