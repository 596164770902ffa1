package sim

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A preset setting is a configuration field set by name over a scenario:
// model, GPU, precision, scheduler, timing model, seed, preemption, tensor
// parallelism and the CPU tier of the prefix cache. The desktop app's
// flags, infersim's flags and the web build's address all take them
// through Overrides, so each is spelled,
// parsed and refused the same way everywhere.
type presetSetting struct {
	name, usage string
	set         func(c *Config, value string) error
}

// presetSettings in the order they apply: the model and GPU before what
// depends on them.
var presetSettings = []presetSetting{
	{"model", "model preset, overriding the scenario's (infersim -list shows them all)",
		func(c *Config, v string) error { return c.SetModel(v) }},
	{"gpu", "GPU preset, overriding the scenario's",
		func(c *Config, v string) error { return c.SetGPU(v) }},
	{"precision", "weight precision: fp16, fp8 or int4",
		func(c *Config, v string) error { return c.SetPrecision(v) }},
	{"scheduler", "scheduling policy, overriding the scenario's",
		func(c *Config, v string) error {
			if _, err := LookupPolicy(v); err != nil {
				return err
			}
			c.Scheduler = v
			return nil
		}},
	{"timing", "timing model: classic or roofline",
		func(c *Config, v string) error {
			if _, err := LookupTiming(v); err != nil {
				return err
			}
			c.Timing = v
			return nil
		}},
	{"batcher", "how iterations are formed: serial (one prompt chunk per iteration, the classic model's), continuous (a shared token budget, the roofline model's) or static (a fixed batch that takes no one new until all of it has finished); by default the timing model's own",
		func(c *Config, v string) error {
			if _, err := LookupBatcher(v); err != nil {
				return err
			}
			c.Batcher = v
			return nil
		}},
	{"seed", fmt.Sprintf("random seed for the generated workload (default %d)", DefaultSeed),
		func(c *Config, v string) error {
			n, ok := ParseWhole(v)
			if !ok {
				return refused("seed", v, fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64)))
			}
			c.Seed = n
			return nil
		}},
	{"preemption", "what happens to a victim's KV when VRAM is full: swap (to CPU memory, the default) or recompute",
		func(c *Config, v string) error {
			c.Preemption = v // checked with the rest by Validate
			return nil
		}},
	{"tp", "tensor parallelism: split the model over 1 (the default), 2, 4 or 8 GPUs of the preset",
		func(c *Config, v string) error {
			// Validate checks TP too; checking here as well lets the
			// message quote the value as it was spelt.
			n, ok := ParseWhole(v)
			if !ok || (n != 1 && n != 2 && n != 4 && n != 8) {
				return refused("tp", v, "1, 2, 4 or 8")
			}
			c.TP = int(n)
			return nil
		}},
	{"cpu-cache-gb", "CPU memory in GB for a second tier of the prefix cache: cached blocks VRAM gives up stay there and are copied back over PCIe when that beats prefilling them (continuous batcher; 0, the default: none)",
		func(c *Config, v string) error {
			gb, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(gb == 0 || gb >= 1/GB && gb <= 1e6) {
				return refused("cpu-cache-gb", v, "0 (none), or GB of CPU memory from 0.000000001 to 1000000")
			}
			c.CPUCacheBytes = int64(math.Round(gb * GB))
			return nil
		}},
}

// ParseWhole reads a whole number as every setting and flag spells one:
// decimal digits, optionally after a + sign, as strconv.ParseUint takes them
// in base 10. A leading 0 does not make a number octal and there are no base
// prefixes or underscores, so 010 is ten and 0x10 or 1_000 are refused. The
// result is unsigned because a seed takes the whole uint64 range; no setting
// takes a negative number.
func ParseWhole(s string) (uint64, bool) {
	n, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64)
	return n, err == nil
}

// refused is the error for a value given as text: the text is quoted, so
// that an empty value, spaces or a newline show as what they are and the
// message stays one line.
func refused(field, value, valid string) error {
	return &ConfigError{Field: field, Value: strconv.Quote(value), Valid: valid}
}

// Overrides holds preset settings given by name, to apply over a
// scenario's configuration.
type Overrides struct {
	values map[string]string
}

// Define adds a flag for each preset setting to a flag set.
func (o *Overrides) Define(fs *flag.FlagSet) {
	for _, s := range presetSettings {
		fs.Func(s.name, s.usage, func(v string) error { return o.Set(s.name, v) })
	}
}

// Set records a setting's value; an unknown name is an error.
func (o *Overrides) Set(name, value string) error {
	if !IsPresetSetting(name) {
		return &ConfigError{Field: name, Valid: "not a setting"}
	}
	if o.values == nil {
		o.values = map[string]string{}
	}
	o.values[name] = value
	return nil
}

// Get returns a setting's value and whether it was given.
func (o *Overrides) Get(name string) (string, bool) {
	v, ok := o.values[name]
	return v, ok
}

// Apply sets every given setting on c, in order, and returns the first
// error, which names the setting, the value and what is valid.
func (o *Overrides) Apply(c *Config) error {
	for _, s := range presetSettings {
		if v, ok := o.values[s.name]; ok {
			if err := s.set(c, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// IsPresetSetting reports whether name is a preset setting.
func IsPresetSetting(name string) bool {
	for _, s := range presetSettings {
		if s.name == name {
			return true
		}
	}
	return false
}
