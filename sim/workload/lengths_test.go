package workload

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseLengths(t *testing.T) {
	good := []struct {
		in   string
		want func(Lengths) bool
	}{
		{"512", func(l Lengths) bool { return reflect.DeepEqual(l, Between(512, 512)) }},
		{" 100..500 ", func(l Lengths) bool { return reflect.DeepEqual(l, Between(100, 500)) }},
		{"uniform:100..500", func(l Lengths) bool { return reflect.DeepEqual(l, Between(100, 500)) }},
		{"lognormal:mu=6,sigma=1", func(l Lengths) bool {
			return l.Dist == Lognormal && l.Mu == 6 && l.Sigma == 1 && l.Min == 1 && l.Max == MaxTokens
		}},
		{"lognormal:mean=600,p99=4000,max=8192", func(l Lengths) bool {
			return l.Dist == Lognormal && l.Max == 8192 && math.Abs(l.Mean()-600) < 1e-9
		}},
		{"lognormal: mean = 600 , p99 = 4000, min=16", func(l Lengths) bool { return l.Min == 16 }},
	}
	for _, tc := range good {
		l, err := ParseLengths(tc.in)
		if err != nil || !tc.want(l) {
			t.Errorf("%q: %+v, %v", tc.in, l, err)
			continue
		}
		// What Spec writes reads back as the same distribution.
		back, err := ParseLengths(l.Spec())
		if err != nil || !reflect.DeepEqual(back, l) {
			t.Errorf("%q: Spec %q reads back as %+v, %v", tc.in, l.Spec(), back, err)
		}
	}
	bad := []struct{ in, want string }{
		{"", "is not a token count or range"},
		{"0", "out of range"},
		{"500..100", "out of range"},
		{"1..20000000", "out of range"},
		{"abc", "is not a token count or range"},
		{"zipf:1", "is not a token distribution"},
		{"lognormal:mean=600", "give mean and p99, or mu and sigma"},
		{"lognormal:mean=600,p99=4000,mu=1", "give mean and p99, or mu and sigma"},
		{"lognormal:mean=600,p99=500", "need 1 <= mean < p99"},
		{"lognormal:mean=100,p99=2000", "at most 14.97× its mean"},
		{"lognormal:mu=6,sigma=9", "0 <= sigma <= 5"},
		{"lognormal:mu=6,sigma=NaN", "is not NAME=NUMBER"},
		{"lognormal:mu=6,sigma=1,max=0.5", "need whole tokens"},
		{"lognormal:mu=6,sigma=1,max=10.5", "need whole tokens"},
		{"lognormal:mu=6,sigma=1,mu=2", "given twice"},
		{"lognormal:mu=6,sigma=1,shape=2", "not a lognormal parameter"},
		{"empirical:x.csv", "resampled from a trace file"},
	}
	for _, tc := range bad {
		_, err := ParseLengths(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want one line with %q", tc.in, err, tc.want)
		}
	}
}

// A lognormal given by its mean and p99 draws counts with that mean and
// p99, within sampling error, and never outside its bounds.
func TestLognormalMeanAndP99(t *testing.T) {
	l, err := LognormalMeanP99(600, 4000, 1, MaxTokens)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	draws := make([]int, 400_000)
	sum := 0
	for i := range draws {
		draws[i] = l.Draw(rng)
		sum += draws[i]
	}
	slices.Sort(draws)
	mean := float64(sum) / float64(len(draws))
	p99 := float64(draws[len(draws)*99/100])
	if math.Abs(mean-600)/600 > 0.02 || math.Abs(p99-4000)/4000 > 0.03 {
		t.Errorf("mean %.1f (want 600), p99 %.0f (want 4000)", mean, p99)
	}
	bounded, _ := LognormalMuSigma(l.Mu, l.Sigma, 100, 2000)
	for range 100_000 {
		if n := bounded.Draw(rng); n < 100 || n > 2000 {
			t.Fatalf("draw %d outside 100..2000", n)
		}
	}
}

func TestTraceLengthsResamplesTheClassColumn(t *testing.T) {
	trace := []Spec{{Input: 10, Output: 1, Class: Batch}, {Input: 20, Output: 2, Class: Interactive}, {Input: 30, Output: 3, Class: Batch}}
	in, err := TraceLengths(trace, Batch, false, "t.csv")
	if err != nil || !reflect.DeepEqual(in.Values, []int{10, 30}) || in.Min != 10 || in.Max != 30 {
		t.Fatalf("batch prompts: %+v, %v", in, err)
	}
	out, _ := TraceLengths(trace[:1], Interactive, true, "t.csv") // no chats: every row
	if !reflect.DeepEqual(out.Values, []int{1}) {
		t.Fatalf("chat outputs from a trace without chats: %+v", out)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[int]int{}
	for range 10_000 {
		seen[in.Draw(rng)]++
	}
	if len(seen) != 2 || seen[10] < 4500 || seen[30] < 4500 {
		t.Errorf("draws %v", seen)
	}
	if _, err := TraceLengths(nil, Batch, false, "empty.csv"); err == nil {
		t.Error("an empty trace gave a distribution")
	}
	if s := in.String(); !strings.Contains(s, "2 values from t.csv") {
		t.Errorf("String %q", s)
	}
}

// Every arrival pattern keeps the mean rate; gamma's gaps have the asked-for
// CV, constant is an alias of fixed, and arrival-cv belongs to gamma alone.
func TestArrivalPatterns(t *testing.T) {
	base := Workload{Requests: 20_000, InteractiveShare: 0.5, Rate: 50,
		Interactive: Shape{Between(10, 20), Between(5, 10)}, Batch: Shape{Between(100, 200), Between(5, 10)}}
	for _, tc := range []struct {
		pattern string
		cv      float64
		wantCV  float64
	}{{Poisson, 0, 1}, {Gamma, 0, DefaultArrivalCV}, {Gamma, 0.3, 0.3}, {Gamma, 4, 4}, {Fixed, 0, 0}} {
		w := base
		w.Pattern, w.ArrivalCV = tc.pattern, tc.cv
		specs, err := w.Generate(5)
		if err != nil {
			t.Fatal(err)
		}
		var sum, sq float64
		for i := 1; i < len(specs); i++ {
			g := (specs[i].Arrival - specs[i-1].Arrival).Seconds()
			sum += g
			sq += g * g
		}
		n := float64(len(specs) - 1)
		mean := sum / n
		cv := math.Sqrt(max(0, sq/n-mean*mean)) / mean
		if math.Abs(mean*50-1) > 0.05+0.1*tc.wantCV || math.Abs(cv-tc.wantCV) > 0.1*tc.wantCV+0.01 {
			t.Errorf("%s cv %g: mean gap %.4f s (want 0.02), cv %.3f (want %g)", tc.pattern, tc.cv, mean, cv, tc.wantCV)
		}
	}
	if p, err := LookupPattern("constant"); err != nil || p != Fixed {
		t.Errorf("constant: %q, %v", p, err)
	}
	w := base
	w.Pattern, w.ArrivalCV = Poisson, 2
	if _, err := w.Generate(1); err == nil || !strings.Contains(err.Error(), "only the gamma pattern") {
		t.Errorf("arrival-cv with poisson: %v", err)
	}
	w.Pattern, w.ArrivalCV = Gamma, 50
	if _, err := w.Generate(1); err == nil || !strings.Contains(err.Error(), "0.01..10") {
		t.Errorf("arrival-cv 50: %v", err)
	}
}
