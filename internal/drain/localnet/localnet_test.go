package localnet

import (
	"math"
	"testing"
)

func TestLocalnetScoresClaimsAndProofs(t *testing.T) {
	rounds, err := Run(t.Context(), Config{Rounds: 2, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 2 {
		t.Fatalf("%d rounds, want 2", len(rounds))
	}
	for _, r := range rounds {
		if !r.WeightsSet || len(r.Miners) != 3 {
			t.Fatalf("round %d: weights set %v, %d miners", r.Round, r.WeightsSet, len(r.Miners))
		}
		top, second, forged := r.Miners[0], r.Miners[1], r.Miners[2]
		// The agent pays provider 0 twice as often as provider 1, which
		// is paid twice as often as provider 2.
		if top.ClaimsUSDC != r.MaxClaimsUSDC || !(top.ClaimsUSDC > second.ClaimsUSDC && second.ClaimsUSDC > forged.ClaimsUSDC) {
			t.Errorf("round %d claims %v, %v, max %v", r.Round, top.ClaimsUSDC, second.ClaimsUSDC, r.MaxClaimsUSDC)
		}
		// Raw score: 0.4 + 0.6·claims/max.
		want := 0.4 + 0.6*second.ClaimsUSDC/r.MaxClaimsUSDC
		if !top.ProofValid || top.Score != 1 || !second.ProofValid || math.Abs(second.Score-want) > 1e-9 {
			t.Errorf("round %d honest miners = %+v, %+v (want score 1 and %v)", r.Round, top, second, want)
		}
		if forged.ProofValid || forged.Score != 0 || forged.Weight != 0 || forged.ClaimsUSDC == 0 {
			t.Errorf("round %d: miner with a foreign wallet = %+v, want proof invalid, score 0, its wallet's claims shown", r.Round, forged)
		}
		if s := top.Weight + second.Weight + forged.Weight; math.Abs(s-1) > 1e-9 {
			t.Errorf("round %d weights sum to %v", r.Round, s)
		}
	}
	if rounds[1].MaxClaimsUSDC <= rounds[0].MaxClaimsUSDC {
		t.Errorf("claims did not accumulate over the window: %v then %v", rounds[0].MaxClaimsUSDC, rounds[1].MaxClaimsUSDC)
	}
}
