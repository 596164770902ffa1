package main

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"inferplay/sim"
)

// shapeFlags are the flags that shape generated traffic beyond its size and
// rate: the gamma pattern's burstiness and each class's token counts.
type shapeFlags struct {
	arrivalCV float64
	lengths   [2][2]string // [class][prompt, output]
	clients   int
	thinkMs   float64
	system    sim.SystemPrompts
	turns     int
}

// lengthFlag names the flag for a class's prompt or output lengths.
func lengthFlag(cl sim.Class, output bool) string {
	if output {
		return cl.String() + "-output"
	}
	return cl.String() + "-prompt"
}

func (s *shapeFlags) define(fs *flagSet) {
	fs.realVar(&s.arrivalCV, "arrival-cv", 0, "gamma arrivals: the CV of the gaps between arrivals (1 is Poisson, above 1 burstier, below 1 steadier); implies -pattern gamma",
		"the CV of the gaps", sim.MinArrivalCV, sim.MaxArrivalCV)
	fs.wholeVar(&s.clients, "clients", 0, "closed loop: this many users, each sending its next request -think-ms after its last answer, until -requests are sent (0: open loop, arrivals by -rate and -pattern)",
		"closed-loop users", 1, sim.MaxClients)
	fs.realVar(&s.thinkMs, "think-ms", 0, "closed loop: a user's mean pause between an answer and its next request, in ms (exponentially distributed; 0: at once)",
		"milliseconds", 0, float64(sim.MaxThinkTime/time.Millisecond))
	fs.wholeVar(&s.system.Count, "system-prompts", 0, "shared system prompts: how many different ones (each request that has one picks one, all equally likely)",
		"system prompts", 1, sim.MaxSystemPrompts)
	fs.wholeVar(&s.system.Tokens, "system-prompt-tokens", 0, "shared system prompts: tokens of each, put before the request's own prompt",
		"tokens", 1, sim.MaxSystemPromptTokens)
	fs.wholeVar(&s.turns, "turns", 1, "closed loop: turns of each user's conversations; every turn resends the conversation so far (prompts and answers) with a new message (needs -clients)",
		"turns", 1, sim.MaxTurns)
	fs.realVar(&s.system.Share, "system-prompt-share", 0, "shared system prompts: the fraction of requests that start with one (needs -system-prompts and -system-prompt-tokens)",
		"a fraction", 0, 1)
	for _, cl := range sim.Classes {
		for i, part := range []string{"prompt", "output"} {
			fs.StringVar(&s.lengths[cl][i], lengthFlag(cl, i == 1), "",
				fmt.Sprintf("%s tokens of %s requests, overriding the scenario's: %s, or empirical:FILE to resample a trace's %s column",
					part, cl, sim.LengthsSyntax, map[bool]string{false: "input_tokens", true: "output_tokens"}[i == 1]))
		}
	}
}

// shapeFlagNames are the flags shapeFlags defines, which a trace overrides.
func shapeFlagNames() []string {
	names := []string{"arrival-cv", "clients", "think-ms", "turns", "system-prompts", "system-prompt-tokens", "system-prompt-share"}
	for _, cl := range sim.Classes {
		names = append(names, lengthFlag(cl, false), lengthFlag(cl, true))
	}
	return names
}

// apply sets what was given on the command line.
func (s *shapeFlags) apply(cfg *sim.Config, set map[string]bool) error {
	w := &cfg.Workload
	if set["clients"] {
		for _, f := range []string{"rate", "pattern", "arrival-cv"} {
			if set[f] {
				return fmt.Errorf("%s: cannot be combined with -clients: the users' answers pace a closed loop's arrivals", f)
			}
		}
		w.Clients = s.clients
	}
	if set["think-ms"] {
		if !set["clients"] && w.Clients == 0 {
			return fmt.Errorf("think-ms: only closed-loop users think; give -clients too")
		}
		w.ThinkTime = time.Duration(math.Round(s.thinkMs * float64(time.Millisecond)))
	}
	if set["turns"] {
		if !set["clients"] && w.Clients == 0 {
			return fmt.Errorf("turns: conversations need users to hold them; give -clients too")
		}
		w.Turns = s.turns
	}
	if set["system-prompts"] || set["system-prompt-tokens"] || set["system-prompt-share"] {
		sys := &w.System
		if set["system-prompts"] {
			sys.Count = s.system.Count
		}
		if set["system-prompt-tokens"] {
			sys.Tokens = s.system.Tokens
		}
		sys.Share = 1 // every request, unless told a share
		if set["system-prompt-share"] {
			sys.Share = s.system.Share
		}
		if sys.Count == 0 {
			sys.Count = 1 // one system prompt, unless told how many
		}
		if sys.Tokens == 0 {
			return fmt.Errorf("system-prompts: give -system-prompt-tokens too (how long each is)")
		}
	}
	if set["arrival-cv"] {
		if !set["pattern"] {
			w.Pattern = sim.Gamma
		} else if w.Pattern != sim.Gamma {
			return fmt.Errorf("arrival-cv: cannot be combined with -pattern %s: only gamma arrivals have a CV (Poisson's is 1)", w.Pattern)
		}
		w.ArrivalCV = s.arrivalCV
	}
	traces := map[string][]sim.Spec{} // a file named by several flags is read once
	for _, cl := range sim.Classes {
		for i := range 2 {
			name, v := lengthFlag(cl, i == 1), s.lengths[cl][i]
			if !set[name] {
				continue
			}
			l, err := parseLengthsFlag(v, cl, i == 1, traces)
			if err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
			shape := &w.Interactive
			if cl == sim.Batch {
				shape = &w.Batch
			}
			if i == 1 {
				shape.Output = l
			} else {
				shape.Prompt = l
			}
		}
	}
	return nil
}

// parseLengthsFlag reads a distribution as sim.ParseLengths does, and
// empirical:FILE by resampling the trace file's column for the class.
func parseLengthsFlag(v string, cl sim.Class, output bool, traces map[string][]sim.Spec) (sim.Lengths, error) {
	kind, path, named := strings.Cut(strings.TrimSpace(v), ":")
	if !named || strings.TrimSpace(kind) != sim.Empirical {
		l, err := sim.ParseLengths(v)
		if err != nil {
			return l, fmt.Errorf("%v, or empirical:FILE", err)
		}
		return l, nil
	}
	path = strings.TrimSpace(path)
	if path == "" {
		return sim.Lengths{}, fmt.Errorf("%q names no trace file (empirical:FILE)", v)
	}
	specs, ok := traces[path]
	if !ok {
		f, err := os.Open(path)
		if err != nil {
			return sim.Lengths{}, fileError(err)
		}
		specs, err = sim.ParseTrace(f)
		f.Close()
		if err != nil {
			return sim.Lengths{}, fmt.Errorf("%s: %v", location(path, 0), err)
		}
		traces[path] = specs
	}
	return sim.TraceLengths(specs, cl, output, path)
}
