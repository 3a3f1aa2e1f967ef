package openskill

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Default model constants.
const (
	DefaultMu    = 25.0
	DefaultSigma = DefaultMu / 3
	DefaultBeta  = DefaultMu / 6
	DefaultTau   = DefaultMu / 300
	DefaultKappa = 0.0001
)

// Errors returned by Rate and RateRanks.
var (
	ErrTooFewPlayers = errors.New("openskill: need at least two players")
	ErrLength        = errors.New("openskill: ratings and outcomes differ in length")
	ErrNonFinite     = errors.New("openskill: non-finite input")
)

// Rating is one player's skill distribution: mean Mu, standard deviation
// Sigma.
type Rating struct {
	Mu    float64
	Sigma float64
}

// Ordinal returns the conservative estimate μ − 3σ.
func Ordinal(r Rating) float64 { return r.Mu - float64(3*r.Sigma) }

// Options are the model parameters. A zero field means its default.
type Options struct {
	// Mu is the initial mean for [Options.NewRating]; 0 means DefaultMu.
	Mu float64
	// Sigma is the initial deviation for [Options.NewRating]; 0 means
	// DefaultSigma.
	Sigma float64
	// Beta is the performance noise β; 0 means DefaultBeta.
	Beta float64
	// Tau is the additive dynamics τ applied before every update; 0 means
	// DefaultTau (as in openskill.py, where a falsy τ selects the default).
	Tau float64
	// Kappa is the floor κ under 1 − Δ; 0 means DefaultKappa.
	Kappa float64
}

func (o Options) withDefaults() Options {
	if o.Mu == 0 {
		o.Mu = DefaultMu
	}
	if o.Sigma == 0 {
		o.Sigma = DefaultSigma
	}
	if o.Beta == 0 {
		o.Beta = DefaultBeta
	}
	if o.Tau == 0 {
		o.Tau = DefaultTau
	}
	if o.Kappa == 0 {
		o.Kappa = DefaultKappa
	}
	return o
}

// NewRating returns the initial rating (μ0, σ0).
func (o Options) NewRating() Rating {
	o = o.withDefaults()
	return Rating{Mu: o.Mu, Sigma: o.Sigma}
}

// Rate updates one-player teams from scores, higher is better; equal scores
// tie. ratings[i] and scores[i] belong to the same player; pass players in
// ascending uid order to reproduce openskill.py bit for bit. Errors:
// ErrTooFewPlayers (n < 2), ErrLength, ErrNonFinite (a NaN score or a
// non-finite or negative-σ rating, or non-finite options).
func Rate[S cmp.Ordered](ratings []Rating, scores []S, opts Options) ([]Rating, error) {
	if len(scores) != len(ratings) {
		return nil, fmt.Errorf("%w: %d ratings, %d scores", ErrLength, len(ratings), len(scores))
	}
	for i, s := range scores {
		if s != s { // NaN
			return nil, fmt.Errorf("%w: score %d is NaN", ErrNonFinite, i)
		}
	}
	// r_i = #{j : x_j > x_i}
	ranks := make([]int, len(scores))
	for i := range scores {
		for j := range scores {
			if scores[j] > scores[i] {
				ranks[i]++
			}
		}
	}
	return rate(ratings, ranks, opts)
}

// RateRanks updates one-player teams from ranks, lower is better; equal
// ranks tie and only their order matters. Errors as for [Rate].
func RateRanks(ratings []Rating, ranks []int, opts Options) ([]Rating, error) {
	if len(ranks) != len(ratings) {
		return nil, fmt.Errorf("%w: %d ratings, %d ranks", ErrLength, len(ratings), len(ranks))
	}
	r := make([]int, len(ranks))
	for i := range ranks {
		for j := range ranks {
			if ranks[j] < ranks[i] {
				r[i]++
			}
		}
	}
	return rate(ratings, r, opts)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// rate runs the update for competition ranks r (0 = best).
func rate(ratings []Rating, r []int, opts Options) ([]Rating, error) {
	n := len(ratings)
	if n < 2 {
		return nil, fmt.Errorf("%w: %d", ErrTooFewPlayers, n)
	}
	o := opts.withDefaults()
	for _, v := range []float64{o.Beta, o.Tau, o.Kappa} {
		if !finite(v) {
			return nil, fmt.Errorf("%w: option %v", ErrNonFinite, v)
		}
	}
	for i, x := range ratings {
		if !finite(x.Mu) || !finite(x.Sigma) || x.Sigma < 0 {
			return nil, fmt.Errorf("%w: rating %d = %+v", ErrNonFinite, i, x)
		}
	}

	// Processing order: by rank, ties in input order.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(r[a], r[b]) })

	tau2 := o.Tau * o.Tau
	beta2 := o.Beta * o.Beta
	sig := make([]float64, n)  // σ̃ in processing order
	sig2 := make([]float64, n) // σ̃² (the one-player team variance)
	mu := make([]float64, n)
	rk := make([]int, n)
	for k, i := range order {
		s := math.Sqrt(float64(ratings[i].Sigma*ratings[i].Sigma) + tau2) // explicit rounding: no FMA
		sig[k] = s
		sig2[k] = s * s
		mu[k] = ratings[i].Mu
		rk[k] = r[i]
	}

	var sum float64
	for k := range n {
		sum += sig2[k] + beta2
	}
	c := math.Sqrt(sum)

	e := make([]float64, n)
	for k := range n {
		e[k] = math.Exp(mu[k] / c)
	}
	sumQ := make([]float64, n)
	count := make([]float64, n)
	for q := range n {
		for i := range n {
			if rk[i] >= rk[q] {
				sumQ[q] += e[i]
			}
			if rk[i] == rk[q] {
				count[q]++
			}
		}
	}

	out := make([]Rating, n)
	for i := range n {
		var omega, delta float64
		for q := range n {
			if rk[q] > rk[i] {
				continue
			}
			p := e[i] / sumQ[q]
			delta += p * (1 - p) / count[q]
			if q == i {
				omega += (1 - p) / count[q]
			} else {
				omega -= p / count[q]
			}
		}
		omega *= sig2[i] / c
		delta *= sig2[i] / (c * c)
		delta *= math.Sqrt(sig2[i]) / c // γ_i
		out[order[i]] = Rating{
			Mu:    mu[i] + omega,
			Sigma: sig[i] * math.Sqrt(max(1-delta, o.Kappa)),
		}
	}
	return out, nil
}
