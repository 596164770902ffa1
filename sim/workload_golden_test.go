package sim

import "testing"

// The new distributions run through the engine like the uniform ones, and
// their runs are golden (and so checked again under WebAssembly).
func TestGoldenWorkloadShapes(t *testing.T) {
	mustLengths := func(v string) Lengths {
		l, err := ParseLengths(v)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, timing := range []string{"classic", "roofline"} {
		c, err := ScenarioConfig("mixed")
		if err != nil {
			t.Fatal(err)
		}
		c.Timing = timing
		w := &c.Workload
		w.Requests, w.Pattern, w.ArrivalCV = 120, Gamma, 3
		w.Interactive = Shape{Prompt: mustLengths("lognormal:mean=300,p99=2000"), Output: mustLengths("lognormal:mu=4.5,sigma=0.8,max=1000")}
		w.Batch = Shape{Prompt: mustLengths("lognormal:mean=4000,p99=30000,min=500"), Output: mustLengths("256")}
		checkGolden(t, c, "mixed_gamma_lognormal_"+timing)
	}
}
