package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Token-count distributions.
const (
	Uniform   = "uniform"   // every count in MIN..MAX equally likely
	Lognormal = "lognormal" // a long right tail, as real prompts and answers have
	Empirical = "empirical" // resampled from the counts of a trace file
)

var lengthDists = []string{Uniform, Lognormal, Empirical}

// Lengths is how one class's prompt or answer token counts are drawn. Every
// Draw lies in Min..Max; a fixed count is a uniform one with Min = Max.
type Lengths struct {
	Dist     string // Uniform (also when empty), Lognormal or Empirical
	Min, Max int
	// Mu and Sigma are the mean and standard deviation of the natural
	// logarithm of a lognormal count. Draws outside Min..Max are clamped
	// to it, which keeps the bounds hard at the price of a little mass
	// piled on them.
	Mu, Sigma float64
	// Values are an empirical distribution's counts, each row of the
	// source equally likely; Source names the file they came from.
	Values []int
	Source string
}

// Between is the uniform distribution over min..max tokens.
func Between(min, max int) Lengths { return Lengths{Dist: Uniform, Min: min, Max: max} }

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

// LognormalMeanP99 is the lognormal distribution with the given mean and
// 99th percentile, clamped to min..max. Of the two lognormals that fit, it
// takes the one with the smaller sigma; the p99 can then be at most
// e^(z²/2) ≈ 14.97 times the mean, and a heavier tail is given by mu and
// sigma instead.
func LognormalMeanP99(mean, p99 float64, min, max int) (Lengths, error) {
	if !(mean >= 1 && mean <= MaxTokens) || !(p99 > mean && p99 <= MaxTokens) {
		return Lengths{}, fmt.Errorf("mean %g, p99 %g: need 1 <= mean < p99 <= %d", mean, p99, MaxTokens)
	}
	// mean = e^(μ+σ²/2) and p99 = e^(μ+zσ) give σ²/2 − zσ + ln(p99/mean) = 0.
	gap := detLog(p99) - detLog(mean)
	disc := float64(z99*z99) - float64(2*gap)
	if disc < 0 {
		return Lengths{}, fmt.Errorf("mean %g, p99 %g: a lognormal's p99 is at most %.2f× its mean; give mu and sigma for a heavier tail",
			mean, p99, detExp(float64(z99*z99)/2))
	}
	sigma := z99 - math.Sqrt(disc)
	mu := detLog(mean) - float64(sigma*sigma)/2
	l := Lengths{Dist: Lognormal, Min: min, Max: max, Mu: mu, Sigma: sigma}
	return l, l.check()
}

// LognormalMuSigma is the lognormal distribution whose logarithm has mean
// mu and standard deviation sigma, clamped to min..max.
func LognormalMuSigma(mu, sigma float64, min, max int) (Lengths, error) {
	l := Lengths{Dist: Lognormal, Min: min, Max: max, Mu: mu, Sigma: sigma}
	return l, l.check()
}

// EmpiricalLengths resamples the given counts; source names where they
// came from.
func EmpiricalLengths(values []int, source string) (Lengths, error) {
	if len(values) == 0 {
		return Lengths{}, fmt.Errorf("%s: has no token counts to resample", source)
	}
	l := Lengths{Dist: Empirical, Values: slices.Clone(values), Source: source,
		Min: slices.Min(values), Max: slices.Max(values)}
	return l, l.check()
}

// TraceLengths resamples one column of a trace: the prompt or the answer
// lengths of the class's rows, or of every row when the trace has none of
// that class.
func TraceLengths(specs []Spec, cl Class, output bool, source string) (Lengths, error) {
	var all, ofClass []int
	for _, s := range specs {
		n := s.Input
		if output {
			n = s.Output
		}
		all = append(all, n)
		if s.Class == cl {
			ofClass = append(ofClass, n)
		}
	}
	if len(ofClass) > 0 {
		all = ofClass
	}
	return EmpiricalLengths(all, source)
}

// check says what is wrong with the distribution, if anything.
func (l Lengths) check() error {
	if l.Min < 1 || l.Max < l.Min || l.Max > MaxTokens {
		return fmt.Errorf("%d..%d: need 1 <= min <= max <= %d", l.Min, l.Max, MaxTokens)
	}
	switch l.Dist {
	case "", Uniform:
	case Lognormal:
		if !(l.Mu >= 0 && l.Mu <= 20) || !(l.Sigma >= 0 && l.Sigma <= 5) {
			return fmt.Errorf("mu %g, sigma %g: need 0 <= mu <= 20 and 0 <= sigma <= 5 (natural log of tokens)", l.Mu, l.Sigma)
		}
	case Empirical:
		if len(l.Values) == 0 || len(l.Values) > MaxRequests {
			return fmt.Errorf("%d values: need 1..%d", len(l.Values), MaxRequests)
		}
		for _, v := range l.Values {
			if v < l.Min || v > l.Max {
				return fmt.Errorf("value %d is outside %d..%d", v, l.Min, l.Max)
			}
		}
	default:
		return fmt.Errorf("%q is not a distribution (valid: %s)", l.Dist, strings.Join(lengthDists, ", "))
	}
	return nil
}

// Draw takes one count from the distribution.
func (l Lengths) Draw(rng *rand.Rand) int {
	switch l.Dist {
	case Lognormal:
		x := math.Round(detExp(float64(l.Mu + float64(l.Sigma*normal(rng)))))
		return int(min(max(x, float64(l.Min)), float64(l.Max)))
	case Empirical:
		return l.Values[rng.IntN(len(l.Values))]
	}
	return l.Min + rng.IntN(l.Max-l.Min+1)
}

// Mean is the distribution's mean count before clamping (lognormal) or
// exactly (uniform, empirical).
func (l Lengths) Mean() float64 {
	switch l.Dist {
	case Lognormal:
		return detExp(float64(l.Mu + float64(l.Sigma*l.Sigma)/2))
	case Empirical:
		sum := 0
		for _, v := range l.Values {
			sum += v
		}
		return float64(sum) / float64(len(l.Values))
	}
	return float64(l.Min+l.Max) / 2
}

func (l Lengths) String() string {
	switch l.Dist {
	case Lognormal:
		s := fmt.Sprintf("lognormal mu %.3g sigma %.3g (mean %.0f)", l.Mu, l.Sigma, l.Mean())
		if l.Min != 1 || l.Max != MaxTokens {
			s += fmt.Sprintf(" in %d–%d", l.Min, l.Max)
		}
		return s
	case Empirical:
		return fmt.Sprintf("empirical, %d values from %s, %d–%d", len(l.Values), l.Source, l.Min, l.Max)
	}
	if l.Min == l.Max {
		return strconv.Itoa(l.Min)
	}
	return fmt.Sprintf("%d–%d", l.Min, l.Max)
}

// Spec is the distribution as ParseLengths reads it back (empirical ones
// name their source).
func (l Lengths) Spec() string {
	bounds := ""
	if l.Min != 1 || l.Max != MaxTokens {
		bounds = fmt.Sprintf(",min=%d,max=%d", l.Min, l.Max)
	}
	switch l.Dist {
	case Lognormal:
		return fmt.Sprintf("lognormal:mu=%s,sigma=%s%s", fmtFloat(l.Mu), fmtFloat(l.Sigma), bounds)
	case Empirical:
		return "empirical:" + l.Source
	}
	if l.Min == l.Max {
		return strconv.Itoa(l.Min)
	}
	return fmt.Sprintf("%d..%d", l.Min, l.Max)
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// LengthsSyntax says what ParseLengths reads, for help texts and errors.
const LengthsSyntax = "N, MIN..MAX, lognormal:mean=M,p99=P or lognormal:mu=MU,sigma=S (each with optional ,min=A,max=B)"

// ParseLengths reads a token-count distribution:
//
//	512                                   every request 512 tokens
//	100..500                              uniform
//	lognormal:mean=600,p99=4000           lognormal with that mean and p99
//	lognormal:mu=6.2,sigma=0.9,max=8192   lognormal given by its logarithm
//
// with optional min= and max= bounds (1 and MaxTokens by default) on a
// lognormal. Empirical distributions are read from files, by the programs,
// and made with TraceLengths.
func ParseLengths(v string) (Lengths, error) {
	v = strings.TrimSpace(v)
	kind, args, named := strings.Cut(v, ":")
	if !named {
		return parseRange(v)
	}
	switch strings.TrimSpace(kind) {
	case Uniform:
		return parseRange(args)
	case Lognormal:
		return parseLognormal(v, args)
	case Empirical:
		return Lengths{}, fmt.Errorf("%q: empirical lengths are resampled from a trace file, which only infersim's length flags can read", v)
	}
	return Lengths{}, fmt.Errorf("%q is not a token distribution (valid: %s)", v, LengthsSyntax)
}

func parseRange(v string) (Lengths, error) {
	lo, hi, isRange := strings.Cut(v, "..")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil {
		return Lengths{}, fmt.Errorf("%q is not a token count or range (valid: %s)", v, LengthsSyntax)
	}
	if a < 1 || b < a || b > MaxTokens {
		return Lengths{}, fmt.Errorf("%q is out of range (tokens, 1 <= MIN <= MAX <= %d)", v, MaxTokens)
	}
	return Between(a, b), nil
}

func parseLognormal(whole, args string) (Lengths, error) {
	params := map[string]float64{}
	for _, part := range strings.Split(args, ",") {
		k, val, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return Lengths{}, fmt.Errorf("%q: %q is not NAME=NUMBER (valid: %s)", whole, part, LengthsSyntax)
		}
		if !slices.Contains([]string{"mean", "p99", "mu", "sigma", "min", "max"}, k) {
			return Lengths{}, fmt.Errorf("%q: %q is not a lognormal parameter (mean, p99, mu, sigma, min, max)", whole, k)
		}
		if _, dup := params[k]; dup {
			return Lengths{}, fmt.Errorf("%q: %s is given twice", whole, k)
		}
		params[k] = f
	}
	lo, hi := 1.0, float64(MaxTokens)
	if f, ok := params["min"]; ok {
		lo = f
	}
	if f, ok := params["max"]; ok {
		hi = f
	}
	if lo != math.Trunc(lo) || hi != math.Trunc(hi) || !(lo >= 1 && hi >= lo && hi <= MaxTokens) {
		return Lengths{}, fmt.Errorf("%q: bounds %g..%g: need whole tokens, 1 <= min <= max <= %d", whole, lo, hi, MaxTokens)
	}
	_, mean := params["mean"]
	_, p99 := params["p99"]
	_, mu := params["mu"]
	_, sigma := params["sigma"]
	var l Lengths
	var err error
	switch {
	case mean && p99 && !mu && !sigma:
		l, err = LognormalMeanP99(params["mean"], params["p99"], int(lo), int(hi))
	case mu && sigma && !mean && !p99:
		l, err = LognormalMuSigma(params["mu"], params["sigma"], int(lo), int(hi))
	default:
		return Lengths{}, fmt.Errorf("%q: give mean and p99, or mu and sigma", whole)
	}
	if err != nil {
		return Lengths{}, fmt.Errorf("%q: %v", whole, err)
	}
	return l, nil
}
