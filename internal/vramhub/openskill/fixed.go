package openskill

import "math"

// FixedScale is the fixed-point scale of [Fixed] (10^9).
const FixedScale = 1_000_000_000

// Fixed is the ledger's integer form of a rating: μ and σ scaled by 10^9 and
// rounded half to even.
type Fixed struct {
	Mu    int64
	Sigma int64
}

// ToFixed converts r with roundHalfEven(x·10^9). Values beyond the int64
// range saturate; NaN becomes 0.
func ToFixed(r Rating) Fixed { return Fixed{Mu: toFP(r.Mu), Sigma: toFP(r.Sigma)} }

// Rating converts back with float64(v)/10^9.
func (f Fixed) Rating() Rating {
	return Rating{Mu: float64(f.Mu) / FixedScale, Sigma: float64(f.Sigma) / FixedScale}
}

// Ordinal returns μ_fp − 3·σ_fp exactly (wrapping only if the inputs are
// near the int64 limits, far beyond any reachable rating).
func (f Fixed) Ordinal() int64 { return f.Mu - 3*f.Sigma }

// NewFixed returns the initial rating in fixed point: μ_fp = 25·10^9,
// σ_fp = roundHalfEven(25/3·10^9).
func NewFixed() Fixed { return ToFixed(Options{}.NewRating()) }

func toFP(x float64) int64 {
	v := math.RoundToEven(x * FixedScale)
	switch {
	case math.IsNaN(v):
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(v)
}
