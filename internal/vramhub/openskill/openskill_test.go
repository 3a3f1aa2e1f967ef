package openskill

import (
	"errors"
	"math"
	"testing"
)

// Hand computation at the defaults, all players starting at (25, 25/3):
//
//	σ̃² = (25/3)² + (25/300)² = 69.4444… + 0.0069444… = 69.4513888888889
//	σ̃  = 8.333749989583854
//	β² = (25/6)² = 17.361111…
//
// All μ are equal, so every e_i is one number e and S_q = (players ranked at
// or below q)·e, which makes each p a simple fraction.
//
// Two players, scores (10, 5): c² = 2·(σ̃² + β²) = 173.625, c = 13.176683953104439.
//
//	winner: q = self, S = 2e, p = 1/2 → Ω = 1/2, Δ = 1/4
//	loser:  q = winner, p = 1/2 → Ω = −1/2, Δ = 1/4; q = self, p = 1 → +0, +0
//	Ω·σ̃²/c = ±0.5·69.4513888888889/13.176683953104439 = ±2.635389493140498
//	Δ·σ̃²/c²·(σ̃/c) = 0.25·0.4000080…·0.632468… = 0.06324745042767177
//	μ' = 27.635389493140497 / 22.364610506859503
//	σ' = σ̃·√(1 − 0.06324745042767177) = 8.06590141354368 (both)
//
// Two players tied: each sees both q with A = 2 and p = 1/2:
// Ω = (1 − ½)/2 − ½/2 = 0, Δ = 2·(¼/2) = 1/4 → μ' = 25, σ' = 8.06590141354368.
//
// Three players, scores (3, 2, 1): c² = 3·(σ̃² + β²) = 260.4375, c = 16.13807609351251.
//
//	first:  q=1st S=3e p=1/3: Ω = 2/3,               Δ = 2/9
//	second: q=1st p=1/3, q=self S=2e p=1/2: Ω = −1/3 + 1/2 = 1/6,  Δ = 2/9 + 1/4 = 17/36
//	third:  q=1st p=1/3, q=2nd p=1/2, q=self p=1: Ω = −1/3 − 1/2 = −5/6, Δ = 17/36
//	μ' = 25 + Ω·σ̃²/c = 27.869048680749426, 25.717262170187357, 21.413689149063217
//	σ' = σ̃·√(1 − Δ·σ̃²/c²·σ̃/c) = 8.205243377397993, 8.058224222802378, 8.058224222802378
var handCases = []struct {
	name   string
	scores []int64
	want   []Rating
}{
	{"two players", []int64{10, 5}, []Rating{
		{27.635389493140497, 8.06590141354368},
		{22.364610506859503, 8.06590141354368},
	}},
	{"two players reversed", []int64{-3, 7}, []Rating{
		{22.364610506859503, 8.06590141354368},
		{27.635389493140497, 8.06590141354368},
	}},
	{"two players tied", []int64{4, 4}, []Rating{
		{25, 8.06590141354368},
		{25, 8.06590141354368},
	}},
	{"three players", []int64{3, 2, 1}, []Rating{
		{27.869048680749426, 8.205243377397993},
		{25.717262170187357, 8.058224222802378},
		{21.413689149063217, 8.058224222802378},
	}},
	{"three players permuted", []int64{1, 3, 2}, []Rating{
		{21.413689149063217, 8.058224222802378},
		{27.869048680749426, 8.205243377397993},
		{25.717262170187357, 8.058224222802378},
	}},
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestRateHandComputed(t *testing.T) {
	for _, tt := range handCases {
		t.Run(tt.name, func(t *testing.T) {
			in := make([]Rating, len(tt.scores))
			for i := range in {
				in[i] = Options{}.NewRating()
			}
			got, err := Rate(in, tt.scores, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if !near(got[i].Mu, tt.want[i].Mu) || !near(got[i].Sigma, tt.want[i].Sigma) {
					t.Errorf("Rate(%v)[%d] = %+v, want %+v", tt.scores, i, got[i], tt.want[i])
				}
			}
			for i := range in {
				if in[i] != (Options{}.NewRating()) {
					t.Errorf("Rate modified its input: %+v", in[i])
				}
			}
		})
	}
}

func TestRateThreeWithTie(t *testing.T) {
	// Scores (5, 5, 1): ranks 0, 0, 2. Hand computation with equal e:
	//	S_0 = S_1 = 3e, S_2 = e; A_0 = A_1 = 2, A_2 = 1.
	//	p0: q0 self p=1/3 → Ω += (2/3)/2, Δ += (2/9)/2; q1 p=1/3 → Ω −= (1/3)/2, Δ += (2/9)/2
	//	    Ω = 1/6, Δ = 2/9 (p1 symmetric)
	//	p2: q0, q1 p=1/3 each → Ω = −1/3, Δ = 2/9; q2 self p=1 → +0
	// so Ω = (1/6, 1/6, −1/3), summing to 0, and every Δ = 2/9.
	c := math.Sqrt(3 * (69.4513888888889 + 17.36111111111111))
	s2 := 69.4513888888889
	wantMu := []float64{25 + s2/c/6, 25 + s2/c/6, 25 - s2/c/3}
	d := 2.0 / 9 * s2 / (c * c) * math.Sqrt(s2) / c
	wantSigma := math.Sqrt(s2) * math.Sqrt(1-d)
	in := []Rating{{25, DefaultSigma}, {25, DefaultSigma}, {25, DefaultSigma}}
	got, err := Rate(in, []float64{5, 5, 1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i].Mu-wantMu[i]) > 1e-9 || math.Abs(got[i].Sigma-wantSigma) > 1e-9 {
			t.Errorf("Rate([5 5 1])[%d] = %+v, want {%v %v}", i, got[i], wantMu[i], wantSigma)
		}
	}
	// Ranks give the same answer as scores.
	byRank, err := RateRanks(in, []int{1, 1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != byRank[i] {
			t.Errorf("RateRanks[%d] = %+v, Rate %+v", i, byRank[i], got[i])
		}
	}
}

func TestRateProperties(t *testing.T) {
	in := []Rating{{30, 5}, {20, 7}, {25, 2}, {28, 8}, {22, 1}}
	scores := []int64{100, 100, -5, 7, 0}
	got, err := Rate(in, scores, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		st := math.Sqrt(in[i].Sigma*in[i].Sigma + DefaultTau*DefaultTau)
		if !(got[i].Sigma < st) {
			t.Errorf("σ'[%d] = %v, want < σ̃ = %v", i, got[i].Sigma, st)
		}
	}
	// The unique last (score −5) loses μ, a top scorer gains.
	if got[2].Mu >= in[2].Mu {
		t.Errorf("last μ' = %v, want < %v", got[2].Mu, in[2].Mu)
	}
	if got[1].Mu <= in[1].Mu {
		t.Errorf("top μ' = %v, want > %v", got[1].Mu, in[1].Mu)
	}
	// Equal σ̃ ⇒ μ changes sum to zero.
	eq := []Rating{{25, 3}, {27, 3}, {21, 3}, {30, 3}}
	out, _ := Rate(eq, []float64{1, 4, 2, 3}, Options{})
	var sum float64
	for i := range eq {
		sum += out[i].Mu - eq[i].Mu
	}
	if math.Abs(sum) > 1e-12 {
		t.Errorf("Σ μ changes = %g, want 0", sum)
	}
}

func TestKappaFloor(t *testing.T) {
	// The last of ten equal-μ players collects Δ = Σ_{k=2..10} (1/k)(1 − 1/k)
	// ≈ 1.38 before scaling; with its σ dominating c the scale factor is ≈ 1,
	// so 1 − Δ < κ and σ' = σ̃·√κ.
	in := make([]Rating, 10)
	scores := make([]int, 10)
	for i := range in {
		in[i] = Rating{25, 1e-3}
		scores[i] = 10 - i
	}
	in[9].Sigma = 1e4
	got, err := Rate(in, scores, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := math.Sqrt(1e8 + DefaultTau*DefaultTau)
	want := st * math.Sqrt(DefaultKappa)
	if math.Abs(got[9].Sigma-want) > 1e-9*want {
		t.Errorf("σ'[9] = %v, want σ̃·√κ = %v", got[9].Sigma, want)
	}
}

func TestRateErrors(t *testing.T) {
	one := []Rating{{25, 8}}
	two := []Rating{{25, 8}, {25, 8}}
	if _, err := Rate(one, []int{1}, Options{}); !errors.Is(err, ErrTooFewPlayers) {
		t.Errorf("Rate(1 player) = %v, want %v", err, ErrTooFewPlayers)
	}
	if _, err := Rate(two, []int{1}, Options{}); !errors.Is(err, ErrLength) {
		t.Errorf("Rate(len mismatch) = %v, want %v", err, ErrLength)
	}
	if _, err := RateRanks(two, []int{1, 2, 3}, Options{}); !errors.Is(err, ErrLength) {
		t.Errorf("RateRanks(len mismatch) = %v, want %v", err, ErrLength)
	}
	if _, err := Rate(two, []float64{1, math.NaN()}, Options{}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Rate(NaN score) = %v, want %v", err, ErrNonFinite)
	}
	if _, err := Rate([]Rating{{math.Inf(1), 8}, {25, 8}}, []int{1, 2}, Options{}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Rate(Inf μ) = %v, want %v", err, ErrNonFinite)
	}
	if _, err := Rate(two, []int{1, 2}, Options{Beta: math.NaN()}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Rate(NaN β) = %v, want %v", err, ErrNonFinite)
	}
}

func TestOrdinalAndFixed(t *testing.T) {
	r := Options{}.NewRating()
	if got := Ordinal(r); got != 0 {
		t.Errorf("Ordinal(default) = %v, want 0", got)
	}
	f := NewFixed()
	if f.Mu != 25_000_000_000 || f.Sigma != 8_333_333_333 {
		t.Errorf("NewFixed() = %+v, want {25000000000 8333333333}", f)
	}
	if got := f.Ordinal(); got != 1 {
		t.Errorf("NewFixed().Ordinal() = %d, want 1", got)
	}
	tests := []struct {
		in   float64
		want int64
	}{
		{0.5e-9, 0}, // x·1e9 is exactly 0.5, 1.5, 2.5 here: ties go to even
		{1.5e-9, 2},
		{2.5e-9, 2},
		{-1.25, -1_250_000_000},
		{math.NaN(), 0},
		{1e300, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := toFP(tt.in); got != tt.want {
			t.Errorf("toFP(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
	back := ToFixed(Rating{27.635389493140497, 8.06590141354368})
	if back != (Fixed{27_635_389_493, 8_065_901_414}) {
		t.Errorf("ToFixed = %+v", back)
	}
	if rr := back.Rating(); math.Abs(rr.Mu-27.635389493) > 1e-12 {
		t.Errorf("Fixed.Rating() = %+v", rr)
	}
}
