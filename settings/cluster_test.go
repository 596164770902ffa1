package settings

import (
	"io"
	"strings"
	"testing"
)

// The playground's cluster mode from flags or an address: the mode asked
// for, or one line that says what is wrong.
func TestClusterFlags(t *testing.T) {
	for args, want := range map[string]Cluster{
		"":                                  {Replicas: 1, Router: "round-robin", Interconnect: "ib400"},
		"-replicas 4 -router least-kv":      {Replicas: 4, Router: "least-kv", Interconnect: "ib400"},
		"-pd 2:2 -interconnect roce100":     {Prefill: 2, Decode: 2, Router: "round-robin", Interconnect: "roce100"},
		"-pd 1:3 -router prefix-affinity":   {Prefill: 1, Decode: 3, Router: "prefix-affinity", Interconnect: "ib400"},
		"-replicas 16 -router power-of-two": {Replicas: 16, Router: "power-of-two", Interconnect: "ib400"},
	} {
		o, _, _, err := ParseFlags(strings.Fields(args), io.Discard)
		if err != nil || o.Cluster != want {
			t.Errorf("%q: %+v, %v; want %+v", args, o.Cluster, err, want)
		}
	}
	if o, err := ParseQuery("?pd=2:2&router=least-requests"); err != nil || o.Cluster.Prefill != 2 || o.Cluster.Router != "least-requests" || !o.Cluster.On() {
		t.Fatalf("?pd=2:2: %+v, %v", o.Cluster, err)
	}
	for args, want := range map[string]string{
		"-replicas 0":                      "replicas: 0 is not valid",
		"-replicas 300":                    "replicas: 300 is not valid",
		"-pd 2:0":                          `pd: "2:0" is not`,
		"-pd 2:2 -replicas 3":              "leave out -replicas",
		"-replicas 2 -router nearest":      `"nearest" is not a router`,
		"-pd 1:1 -interconnect smoke":      `"smoke" is not one of`,
		"-router least-kv":                 "need -replicas N (above 1) or -pd",
		"-replicas 2 -interconnect nvlink": "needs -pd",
		"-replicas 2 -duel fcfs,srpt":      "not both",
	} {
		_, _, _, err := ParseFlags(strings.Fields(args), io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v; want one line with %q", args, err, want)
		}
	}
}
