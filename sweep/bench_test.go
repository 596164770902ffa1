package sweep

import (
	"testing"
	"time"

	"inferplay/sim"
)

// BenchmarkSweepChatbot is the sweep the README shows: chatbot on the
// roofline model at 20 rates from 5 to 100 arrivals/s, every policy, 5
// seeds, each point a 60 s window of arrivals (600 runs), on every core.
func BenchmarkSweepChatbot(b *testing.B) {
	c, _ := sim.ScenarioConfig("chatbot")
	c.Timing = "roofline"
	k, values, err := ParseVary("rate=5..100/20")
	if err != nil {
		b.Fatal(err)
	}
	var policies []string
	for _, p := range sim.Policies() {
		policies = append(policies, p.Name)
	}
	p := Plan{Base: c, Knob: k, Values: values, Policies: policies, Seeds: 5, Window: 60 * time.Second}
	for range b.N {
		if _, err := Execute(p, 0); err != nil {
			b.Fatal(err)
		}
	}
}
