package sim

import (
	"sync"

	"inferplay/assets"
)

// Scenario is a named starting configuration with a story.
type Scenario struct {
	ID          string
	Title       string
	Description string
	Model       string
	GPU         string
	Precision   string
	Scheduler   string
	Workload    Workload
	// SLO overrides DefaultSLOs for a class when its targets are set.
	SLO [2]SLO
}

// DefaultSeed is the seed runs use unless told otherwise.
const DefaultSeed = 42

// DefaultScenario is what a bare run shows.
const DefaultScenario = "mixed"

// builtinScenarios are the scenario files built into the programs
// (assets/scenarios), read once on first use: the files name schedulers,
// which register themselves in init functions, after the package's
// variables are set.
var builtinScenarios = sync.OnceValue(func() catalog[Scenario] {
	list, err := LoadScenarios(assets.Scenarios)
	if err != nil {
		// The files are part of the source; a test reads every one.
		panic("sim: built-in scenario: " + err.Error())
	}
	return catalog[Scenario]{Field: "scenario", Items: list, ID: func(s Scenario) string { return s.ID }}
})

// Scenarios returns every built-in scenario sorted by ID.
func Scenarios() []Scenario { return builtinScenarios().All() }

// LookupScenario finds a built-in scenario by ID.
func LookupScenario(id string) (Scenario, error) { return builtinScenarios().Lookup(id) }

// Config returns the scenario's configuration with the default seed, block
// size and timing model.
func (s Scenario) Config() Config {
	c := Config{
		Scenario:  s.ID,
		Scheduler: s.Scheduler,
		Timing:    "classic",
		BlockSize: DefaultBlockSize,
		Seed:      DefaultSeed,
		Workload:  s.Workload,

		TP:             1,
		MaxBatchTokens: DefaultMaxBatchTokens,
		MaxRunning:     DefaultMaxRunning,
		Preemption:     PreemptSwap,
		SLO:            DefaultSLOs,
	}
	for cl, slo := range s.SLO {
		if slo != (SLO{}) {
			c.SLO[cl] = slo
		}
	}
	// ParseScenario accepts only preset IDs that resolve, so the errors
	// here cannot happen for a scenario read from a file.
	_ = c.SetModel(s.Model)
	_ = c.SetGPU(s.GPU)
	_ = c.SetPrecision(s.Precision)
	return c
}

// ScenarioConfig looks a built-in scenario up and returns its
// configuration.
func ScenarioConfig(id string) (Config, error) {
	s, err := LookupScenario(id)
	if err != nil {
		return Config{}, err
	}
	return s.Config(), nil
}
