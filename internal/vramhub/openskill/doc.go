// Package openskill implements the Weng-Lin Bayesian rating update with the
// Plackett-Luce model, computing exactly what openskill.py's
// PlackettLuce().rate computes for one-player teams with the default options
// (no margin, no balance, no weights, no sigma limit).
//
// Defaults: μ0 = 25, σ0 = 25/3, β = 25/6, τ = 25/300, κ = 0.0001. For n ≥ 2
// players with ratings (μ_i, σ_i) and ranks r_i (0 = best, r_i = number of
// players strictly better, so ties share a rank):
//
//	σ̃_i = √(σ_i² + τ²)
//	c    = √(Σ_i (σ̃_i² + β²))
//	e_i  = exp(μ_i / c);  S_q = Σ_{i: r_i ≥ r_q} e_i;  A_q = #{j: r_j = r_q}
//	for every q with r_q ≤ r_i, p = e_i/S_q:
//	    Ω_i += (1 − p)/A_q if q = i, else Ω_i −= p/A_q;  Δ_i += p(1 − p)/A_q
//	Ω_i ← Ω_i·σ̃_i²/c;  Δ_i ← Δ_i·(σ̃_i²/c²)·γ_i with γ_i = σ̃_i/c
//	μ_i' = μ_i + Ω_i;  σ_i' = σ̃_i·√(max(1 − Δ_i, κ))
//
// Players are processed sorted by rank, equal ranks in input order, and
// every sum runs in that order, as openskill.py does after sorting teams by
// rank; with inputs in ascending uid order the floating-point operations are
// the same ones openskill.py performs. The [Ordinal] μ − 3σ is the
// conservative skill estimate used for reward weights; [Fixed] is the
// ledger's integer storage form.
//
// The package is pure and safe for concurrent use; Rate and RateRanks return
// newly allocated slices and never modify their arguments.
package openskill
