// Package duel runs one traffic under two settings side by side: the same
// requests, arriving at the same times, and two engines kept within one
// iteration of each other on one simulated clock (not one iteration count:
// on the roofline model the two sides' iterations last differently).
package duel

import (
	"fmt"
	"strconv"
	"strings"

	"inferplay/sim"
)

// Side is one half of a duel: what it changes, and the configuration it
// runs.
type Side struct {
	Label  string // as given: "srpt", "gpu=a100"
	Config sim.Config
}

// ParseSides reads -duel's "A,B": each side a scheduler's name, or one
// setting as key=value (gpu=h100, tp=2, preemption=recompute,
// timing=classic, max-batch-tokens=8192, ...), applied over base.
func ParseSides(base sim.Config, spec string) ([2]Side, error) {
	var sides [2]Side
	parts := strings.Split(spec, ",")
	if len(parts) != 2 {
		return sides, fmt.Errorf("duel: %q is not two sides, A,B (e.g. fcfs,srpt or gpu=h100,gpu=a100)", spec)
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		c := base
		if err := apply(&c, p); err != nil {
			return sides, fmt.Errorf("duel: %w", err)
		}
		if err := c.Validate(); err != nil {
			return sides, fmt.Errorf("duel: %s: %w", p, err)
		}
		sides[i] = Side{Label: p, Config: c}
	}
	return sides, nil
}

// Apply sets one side's setting on c, a scheduler's name or key=value as
// ParseSides reads it, and checks the result: for comparisons of more
// than two runs (infersim -compare).
func Apply(c *sim.Config, side string) error {
	side = strings.TrimSpace(side)
	if err := apply(c, side); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("%s: %w", side, err)
	}
	return nil
}

// apply sets one side's setting.
func apply(c *sim.Config, s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok {
		key, value = "scheduler", s
	}
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if value == "" {
		return fmt.Errorf("%q has no value", s)
	}
	whole := func(set func(int), lo, hi int) error {
		n, err := strconv.Atoi(value)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%s %q is not a whole number from %d to %d", key, value, lo, hi)
		}
		set(n)
		return nil
	}
	switch key {
	case "max-batch-tokens":
		return whole(func(n int) { c.MaxBatchTokens = n }, 1, sim.MaxBatchTokensLimit)
	case "max-running":
		return whole(func(n int) { c.MaxRunning = n }, 1, sim.MaxRunningLimit)
	case "chunked-prefill":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("chunked-prefill %q is not true or false", value)
		}
		c.WholePrompts = !b
		return nil
	case "prefix-caching":
		switch value {
		case "on", "true":
			c.NoPrefixCaching = false
		case "off", "false":
			c.NoPrefixCaching = true
		default:
			return fmt.Errorf("prefix-caching %q is not on or off", value)
		}
		return nil
	case "seed":
		return fmt.Errorf("seed: both sides run the same traffic; a duel compares settings, not workloads")
	}
	if !sim.IsPresetSetting(key) {
		return fmt.Errorf("%q is not a scheduler or a setting (a scheduler's name, or key=value with key one of model, gpu, precision, scheduler, timing, preemption, tp, batcher, max-batch-tokens, max-running, chunked-prefill, prefix-caching)", s)
	}
	var o sim.Overrides
	if err := o.Set(key, value); err != nil {
		return err
	}
	return o.Apply(c)
}
