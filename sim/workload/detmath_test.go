package workload

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The platform-independent log and exp stay within a few ulp of the
// standard library's over the whole range the workload uses.
func TestDetLogExpAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ulps := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
	}
	for i := range 200_000 {
		x := math.Ldexp(1+rng.Float64(), rng.IntN(2000)-1000)
		if i < 10 {
			x = []float64{1, 2, 0.5, math.E, 1e-300, 1e300, 2.2250738585072014e-308, math.MaxFloat64, 3, 0.999999}[i]
		}
		if u := ulps(detLog(x), math.Log(x)); u > 4 && math.Abs(detLog(x)) > 1e-300 {
			t.Fatalf("detLog(%g) = %g, math.Log %g: %.1f ulp", x, detLog(x), math.Log(x), u)
		}
		y := 1400*rng.Float64() - 700
		if u := ulps(detExp(y), math.Exp(y)); u > 4 {
			t.Fatalf("detExp(%g) = %g, math.Exp %g: %.1f ulp", y, detExp(y), math.Exp(y), u)
		}
	}
	// Subnormals too (amd64's math.Log gets this one wrong: -709.09).
	if got := detLog(math.SmallestNonzeroFloat64); math.Abs(got+744.4400719213812) > 1e-12 {
		t.Errorf("detLog(smallest subnormal) = %v", got)
	}
	if !math.IsInf(detLog(0), -1) || !math.IsNaN(detLog(-1)) || !math.IsInf(detExp(1000), 1) || detExp(-1000) != 0 {
		t.Error("edge cases")
	}
}

// Gamma gaps have mean 1 and the asked-for coefficient of variation.
func TestGammaUnitMoments(t *testing.T) {
	for _, cv := range []float64{0.1, 0.5, 1, 2, 4} {
		rng := rand.New(rand.NewPCG(7, uint64(cv*100)))
		k := 1 / (cv * cv)
		const n = 400_000
		var sum, sq float64
		for range n {
			x := gammaUnit(rng, k)
			if !(x >= 0) || math.IsInf(x, 0) {
				t.Fatalf("cv %g: draw %g", cv, x)
			}
			sum += x
			sq += x * x
		}
		mean := sum / n
		sd := math.Sqrt(sq/n - mean*mean)
		// Standard error of the mean is cv/√n; of the CV somewhat more for
		// heavy tails: 5 % is many standard errors at these n.
		if math.Abs(mean-1) > 6*cv/math.Sqrt(n) || math.Abs(sd/mean-cv)/cv > 0.05 {
			t.Errorf("cv %g: mean %.4f, cv %.4f", cv, mean, sd/mean)
		}
	}
}

func TestNormalMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 400_000
	var sum, sq float64
	beyond := 0
	for range n {
		z := normal(rng)
		sum += z
		sq += z * z
		if z > z99 {
			beyond++
		}
	}
	if mean, v := sum/n, sq/n; math.Abs(mean) > 0.01 || math.Abs(v-1) > 0.01 {
		t.Errorf("mean %.4f, variance %.4f", mean, v)
	}
	if share := float64(beyond) / n; math.Abs(share-0.01) > 0.001 {
		t.Errorf("%.4f above the 99th percentile", share)
	}
}
