// Package sweep runs one configuration over a range of one setting (a
// knob: the arrival rate, the closed loop's clients, the batch's token
// budget, tensor parallelism, the GPU, prefix caching on or off, the CPU tier
// of the prefix cache), for
// several policies and seeds,
// in parallel and with the same results whatever the number of cores; it
// finds the highest load that still meets an SLO target, and draws the
// curves.
package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"inferplay/sim"
)

// A Knob is a setting a sweep varies.
type Knob struct {
	Name  string // as written in -vary
	Label string // the axis's title
	// Load knobs (rate, clients) are the ones an SLO caps: the capacity
	// at SLO is the most load that still meets it.
	Load bool
	// Whole knobs take whole numbers; named ones (gpu) take preset names
	// and are drawn in the order given.
	Whole, Named bool
	min, max     float64
	apply        func(c *sim.Config, v Value) error
}

// Value is one setting of a knob.
type Value struct {
	Text string  // as written in the CSV and on the axis
	X    float64 // the number, or the position in the list of a named knob
}

// Knobs lists the settings a sweep can vary.
func Knobs() []Knob {
	return []Knob{
		{Name: "rate", Label: "arrival rate (requests/s)", Load: true, min: sim.MinRate, max: sim.MaxRate,
			apply: func(c *sim.Config, v Value) error {
				switch {
				case c.Trace != nil:
					return fmt.Errorf("rate: a trace fixes every arrival")
				case c.Workload.Clients > 0:
					return fmt.Errorf("rate: the closed loop's clients set the load; vary clients instead")
				}
				c.Workload.Rate = v.X
				return nil
			}},
		{Name: "clients", Label: "closed-loop clients", Load: true, Whole: true, min: 1, max: sim.MaxClients,
			apply: func(c *sim.Config, v Value) error {
				if c.Trace != nil {
					return fmt.Errorf("clients: a trace fixes every arrival")
				}
				c.Workload.Clients = int(v.X)
				return nil
			}},
		{Name: "max-batch-tokens", Label: "max batch tokens", Whole: true, min: 1, max: sim.MaxBatchTokensLimit,
			apply: func(c *sim.Config, v Value) error {
				if !c.BatcherInfo().Budgeted {
					return fmt.Errorf("max-batch-tokens: the %s batcher has a fixed batch; add -timing roofline or -batcher continuous", c.BatcherInfo().Name)
				}
				c.MaxBatchTokens = int(v.X)
				return nil
			}},
		{Name: "tp", Label: "tensor parallelism (GPUs)", Whole: true, min: 1, max: 8, apply: presetKnob("tp")},
		{Name: "gpu", Label: "GPU", Named: true, apply: presetKnob("gpu")},
		{Name: "prefix-caching", Label: "prefix caching", Named: true, apply: func(c *sim.Config, v Value) error {
			switch v.Text {
			case "on":
				c.NoPrefixCaching = false
			case "off":
				c.NoPrefixCaching = true
			default:
				return fmt.Errorf("prefix-caching: %q is not on or off", v.Text)
			}
			return nil
		}},
		{Name: "cpu-cache-gb", Label: "CPU tier for cached KV (GB)", min: 0, max: 1e6, apply: presetKnob("cpu-cache-gb")},
	}
}

// presetKnob sets one of the settings the programs share (sim.Overrides),
// refused as the flag of the same name would be.
func presetKnob(name string) func(c *sim.Config, v Value) error {
	return func(c *sim.Config, v Value) error {
		var o sim.Overrides
		if err := o.Set(name, v.Text); err != nil {
			return err
		}
		return o.Apply(c)
	}
}

// LookupKnob finds a knob by name.
func LookupKnob(name string) (Knob, error) {
	var names []string
	for _, k := range Knobs() {
		if k.Name == name {
			return k, nil
		}
		names = append(names, k.Name)
	}
	return Knob{}, fmt.Errorf("vary: %q is not a knob (valid: %s)", name, strings.Join(names, ", "))
}

// MaxPoints bounds the values of one sweep.
const MaxPoints = 1000

// ParseVary reads -vary's "knob=values": a comma-separated list
// (rate=1,2,4,8), or a range from..to/points, evenly spaced with both ends
// (rate=1..20/20); a whole knob's range may leave out /points to take
// every whole number (clients=1..32). Values come back in the order given,
// without repeats.
func ParseVary(s string) (Knob, []Value, error) {
	name, list, ok := strings.Cut(s, "=")
	if !ok || list == "" {
		return Knob{}, nil, fmt.Errorf("vary: %q is not knob=values (e.g. rate=1,2,4,8 or rate=1..20/20)", s)
	}
	k, err := LookupKnob(strings.TrimSpace(name))
	if err != nil {
		return Knob{}, nil, err
	}
	var texts []string
	if from, rest, isRange := strings.Cut(list, ".."); isRange && !k.Named {
		texts, err = k.spread(from, rest)
		if err != nil {
			return Knob{}, nil, err
		}
	} else {
		texts = strings.Split(list, ",")
	}
	var values []Value
	seen := map[string]bool{}
	for i, t := range texts {
		v, err := k.value(strings.TrimSpace(t), i)
		if err != nil {
			return Knob{}, nil, err
		}
		if seen[v.Text] {
			continue
		}
		seen[v.Text] = true
		values = append(values, v)
	}
	if k.Named {
		for i := range values {
			values[i].X = float64(i) // positions along the axis, repeats gone
		}
	}
	if len(values) > MaxPoints {
		return Knob{}, nil, fmt.Errorf("vary: %d values, more than the %d a sweep takes", len(values), MaxPoints)
	}
	return k, values, nil
}

// spread expands a range's ends and point count into values.
func (k Knob) spread(from, rest string) ([]string, error) {
	to, count, hasCount := strings.Cut(rest, "/")
	lo, err := k.number(from)
	if err != nil {
		return nil, err
	}
	hi, err := k.number(to)
	if err != nil {
		return nil, err
	}
	if hi < lo {
		return nil, fmt.Errorf("vary: %s range %s..%s runs backwards", k.Name, from, to)
	}
	n := 0
	switch {
	case hasCount:
		n, err = strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 2 || n > MaxPoints {
			return nil, fmt.Errorf("vary: %q is not a number of points from 2 to %d", count, MaxPoints)
		}
	case k.Whole:
		if hi-lo+1 > MaxPoints {
			return nil, fmt.Errorf("vary: %s..%s is %g values, more than the %d a sweep takes", from, to, hi-lo+1, MaxPoints)
		}
		n = int(hi-lo) + 1
	default:
		return nil, fmt.Errorf("vary: a %s range needs its number of points, e.g. %s..%s/10", k.Name, from, to)
	}
	texts := make([]string, n)
	for i := range n {
		x := lo
		if n > 1 {
			x = lo + (hi-lo)*float64(i)/float64(n-1)
		}
		if k.Whole {
			x = math.Round(x)
		}
		texts[i] = formatNumber(x)
	}
	return texts, nil
}

func (k Knob) number(t string) (float64, error) {
	t = strings.TrimSpace(t)
	x, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		return 0, fmt.Errorf("vary: %s %q is not a number", k.Name, t)
	case k.Whole && x != math.Trunc(x):
		return 0, fmt.Errorf("vary: %s %q is not a whole number", k.Name, t)
	case x < k.min || x > k.max:
		return 0, fmt.Errorf("vary: %s %s is out of range (%g to %g)", k.Name, t, k.min, k.max)
	}
	return x, nil
}

// value reads the i-th value as given.
func (k Knob) value(t string, i int) (Value, error) {
	if t == "" {
		return Value{}, fmt.Errorf("vary: an empty %s value", k.Name)
	}
	if k.Named {
		return Value{Text: t, X: float64(i)}, nil
	}
	x, err := k.number(t)
	if err != nil {
		return Value{}, err
	}
	return Value{Text: formatNumber(x), X: x}, nil
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
