package workload

import (
	"math"
	"math/rand/v2"
)

// The workload's distributions need logarithms and exponentials. Go's
// math.Log and math.Exp run in assembly on amd64 and arm64 (fused
// multiply-adds where the CPU has them) and in Go under WebAssembly, and
// they may differ in the last bit; one such bit can move an arrival by a
// nanosecond or a prompt by a token, and the same seed must give the same
// run everywhere. detLog and detExp use only IEEE basic operations, each
// product converted explicitly so that no compiler fuses it, and exact
// helpers (Frexp, Ldexp, Round, Sqrt): the same bits on every platform, to
// within about 2 ulp of the true value.

// detLog is the natural logarithm of x > 0.
func detLog(x float64) float64 {
	switch {
	case x < 0 || math.IsNaN(x):
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	m, e := math.Frexp(x) // x = m · 2^e, m in [½, 1)
	if m < math.Sqrt2/2 {
		m, e = m*2, e-1 // m in [√½, √2): the series below converges fast
	}
	// log m = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + …) with s = (m−1)/(m+1),
	// |s| < 0.172; fourteen terms leave an error below 1e-22.
	s := (m - 1) / (m + 1)
	s2 := float64(s * s)
	sum, power := s, s
	for k := 3.0; k <= 29; k += 2 {
		power = float64(power * s2)
		sum = float64(sum + float64(power/k))
	}
	return float64(2*sum) + float64(float64(e)*math.Ln2)
}

// detExp is e to the power x.
func detExp(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 709.78:
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	// x = k·ln2 + r with |r| ≤ ln2/2, so e^x = 2^k · e^r, and e^r by its
	// Taylor series, 22 terms leaving an error below 1e-25.
	// ln 2 is split in two (Cody and Waite) so that k·ln2Hi is exact and
	// r keeps its precision however large k is.
	const ln2Hi, ln2Lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
	k := math.Round(x / math.Ln2)
	r := float64(float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo))
	sum := 1.0
	for n := 22.0; n >= 1; n-- {
		sum = float64(1 + float64(float64(r*sum)/n))
	}
	return math.Ldexp(sum, int(k))
}

// normal draws from the standard normal distribution by Marsaglia's polar
// method: only a logarithm and a square root, both exact to the bit here.
func normal(rng *rand.Rand) float64 {
	for {
		u := float64(2*rng.Float64()) - 1
		v := float64(2*rng.Float64()) - 1
		s := float64(u*u) + float64(v*v)
		if s > 0 && s < 1 {
			return float64(u * math.Sqrt(float64(-2*detLog(s))/s))
		}
	}
}

// gammaUnit draws from the gamma distribution with shape k and mean 1
// (scale 1/k), whose coefficient of variation is 1/√k, by Marsaglia and
// Tsang's method; a shape below 1 draws shape k+1 and scales by U^(1/k).
// Each round accepts with probability above 95 %.
func gammaUnit(rng *rand.Rand, k float64) float64 {
	shape, boost := k, 1.0
	if k < 1 {
		u := 1 - rng.Float64() // (0, 1]
		boost = detExp(detLog(u) / k)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(float64(9*d))
	for {
		z := normal(rng)
		t := float64(1 + float64(c*z))
		if t <= 0 {
			continue
		}
		v := float64(float64(t*t) * t)
		u := 1 - rng.Float64()
		// Accept when log u < z²/2 + d − d·v + d·log v.
		bound := float64(float64(float64(z*z)/2)+d) - float64(d*v) + float64(d*detLog(v))
		if detLog(u) < bound {
			return float64(float64(d*v)*boost) / k
		}
	}
}
