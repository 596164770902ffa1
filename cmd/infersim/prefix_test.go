package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Shared system prompts and conversations from the command line: the
// cache's figures in the table's header and in JSON, and caching off
// spares nothing.
func TestPrefixFlags(t *testing.T) {
	code, out, errs := runCLI(t, "-scenario", "chatbot", "-timing", "roofline", "-system-prompt-tokens", "2000", "-requests", "100")
	if code != 0 || errs != "" || !strings.Contains(out, "one system prompt of 2000 tokens, prefix caching on") || !strings.Contains(out, "Prefix cache: 198000 prompt tokens") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	code, out, _ = runCLI(t, "-scenario", "chatbot", "-system-prompt-tokens", "2000", "-requests", "100", "-prefix-caching", "off")
	if code != 0 || strings.Contains(out, "Prefix cache:") {
		t.Fatalf("caching off: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "-scenario", "chatbot", "-timing", "roofline", "-clients", "8", "-turns", "4", "-requests", "80", "-format", "json")
	var rep struct {
		Config struct {
			PrefixCaching bool `json:"prefix_caching"`
			Workload      struct {
				Turns int `json:"turns"`
			} `json:"workload"`
		} `json:"config"`
		Summary struct {
			Cached  int     `json:"cached_prompt_tokens"`
			HitRate float64 `json:"cache_hit_rate"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if !rep.Config.PrefixCaching || rep.Config.Workload.Turns != 4 || rep.Summary.Cached == 0 || !(rep.Summary.HitRate > 0.3 && rep.Summary.HitRate < 1) {
		t.Fatalf("report %+v", rep)
	}
}

// Each bad combination is one line naming its flag, exit status 2.
func TestBadPrefixFlags(t *testing.T) {
	refusedInOneLine(t, map[string]string{
		"-system-prompt-share 2":  "system-prompt-share",
		"-system-prompts 3":       "system-prompt-tokens",
		"-system-prompt-tokens 0": "system-prompt-tokens",
		"-turns 3":                "turns: conversations need users",
		"-clients 4 -turns 0":     "turns",
		"-prefix-caching maybe":   "prefix-caching",
		"-cpu-cache-gb 8":         "continuous batcher",
		"-timing roofline -batcher static -cpu-cache-gb 8":     "static batcher",
		"-timing roofline -prefix-caching off -cpu-cache-gb 8": "prefix caching on",
		"-cpu-cache-gb -1":                           "cpu-cache-gb",
		"-cpu-cache-gb NaN":                          "cpu-cache-gb",
		"-trace testdata/none.csv -system-prompts 2": "",
	})
}

// -compare takes settings too, a row each: caching off and on, with a
// column of the cache's hit rate.
func TestCompareSettings(t *testing.T) {
	code, out, errs := runCLI(t, "-scenario", "assistant", "-timing", "roofline", "-compare", "prefix-caching=off,prefix-caching=on")
	if code != 0 || errs != "" || !strings.Contains(out, "prefix-caching=off") || !strings.Contains(out, "prefix-caching=on") || !strings.Contains(out, " run ") ||
		!strings.Contains(out, "  cached") || !strings.Contains(out, `"cached" is the share`) {
		t.Fatalf("exit %d, %q:\n%s", code, errs, out)
	}
	code, _, errs = runCLI(t, "-compare", "prefix-caching=maybe,fcfs")
	if code != 2 || !strings.HasPrefix(errs, "infersim: compare: ") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("exit %d, %q", code, errs)
	}
}

// A CPU tier from the command line: the header names it, the cache line
// says what came back from it, and JSON has its figures (TestBadPrefixFlags
// has the batchers that refuse one).
func TestCPUCacheFlag(t *testing.T) {
	args := []string{"-scenario", "chatbot", "-timing", "roofline", "-gpu", "l4", "-clients", "64", "-turns", "6", "-think-ms", "20000", "-requests", "200"}
	code, out, errs := runCLI(t, append(args, "-cpu-cache-gb", "32")...)
	if code != 0 || errs != "" || !strings.Contains(out, "for cached prefix blocks VRAM gives up: 32 GB") || !strings.Contains(out, "copied back from CPU memory for") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errs, out)
	}
	code, out, _ = runCLI(t, append(args, "-cpu-cache-gb", "32", "-format", "json")...)
	var rep struct {
		Config struct {
			CPUCacheBytes int64 `json:"cpu_cache_bytes"`
		} `json:"config"`
		Summary struct {
			Cached    int   `json:"cached_prompt_tokens"`
			Hits      int   `json:"cpu_cache_hits"`
			CPUTokens int   `json:"cpu_cached_tokens"`
			Stored    int64 `json:"cpu_cache_store_bytes"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if s := rep.Summary; rep.Config.CPUCacheBytes != 32e9 || s.Hits == 0 || s.CPUTokens == 0 || s.CPUTokens > s.Cached || s.Stored == 0 {
		t.Fatalf("report %+v", rep)
	}
}

// refusedInOneLine checks that each command line (flags separated by
// spaces) is refused with exit status 2 and one line naming want.
func refusedInOneLine(t *testing.T, cases map[string]string) {
	t.Helper()
	for args, want := range cases {
		code, _, errs := runCLI(t, strings.Fields(args)...)
		if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, %q", args, code, errs)
		}
	}
}
