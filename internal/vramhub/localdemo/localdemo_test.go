package localdemo

import (
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// tiny keeps the end-to-end runs fast under -race.
func tiny() Config {
	return Config{
		Windows: 3,
		Model:   model.Config{Vocab: data.ByteVocab, Context: 32, Layers: 1, Width: 32, Heads: 2, MLPRatio: 2},
		Rows:    4, RowLen: 33,
	}
}

func TestDemoRewardsHonestMinersAndRejectsForgery(t *testing.T) {
	cfg := tiny()
	cfg.Dir = t.TempDir()
	var seen []WindowResult
	cfg.OnWindow = func(w WindowResult) { seen = append(seen, w) }
	res, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.WindowsScored != 3 || len(seen) != 3 || len(res.EvalLossPerWindow) != 3 {
		t.Fatalf("scored %d windows (%d callbacks, %d losses), want 3", res.WindowsScored, len(seen), len(res.EvalLossPerWindow))
	}
	if !res.ForgedSubmissionRejected || res.RejectedHonestSubmissions != 0 {
		t.Fatalf("forged rejected %v, honest rejected %d", res.ForgedSubmissionRejected, res.RejectedHonestSubmissions)
	}
	for _, w := range seen {
		if w.Submissions != len(validatorStakes) {
			t.Errorf("window %d has %d submissions, want %d", w.Window, w.Submissions, len(validatorStakes))
		}
	}
	var honestMin, cheaterMu float64 = 1e9, 0
	for _, m := range res.Miners {
		if m.Cheater {
			cheaterMu = m.Mu
			if m.Weight != 0 || m.Tokens != 0 {
				t.Errorf("cheater %d has weight %v and %v tokens, want 0", m.UID, m.Weight, m.Tokens)
			}
			continue
		}
		honestMin = min(honestMin, m.Mu)
		if m.Score <= 0 {
			t.Errorf("honest miner %d scored %d, want a positive loss delta", m.UID, m.Score)
		}
	}
	if cheaterMu >= honestMin {
		t.Errorf("cheater mu %v not below every honest miner (min %v)", cheaterMu, honestMin)
	}
	// 70 VRAM per window, 71.43% to miners.
	if want := 3 * 70 * 0.7143; res.MinerTokensMinted < want-0.01 || res.MinerTokensMinted > want+0.01 {
		t.Errorf("miner tokens minted = %v, want %v", res.MinerTokensMinted, want)
	}
	if first, last := res.EvalLossPerWindow[0], res.EvalLossPerWindow[2]; !(last < first) {
		t.Errorf("eval loss went from %v to %v, want it to fall", first, last)
	}
	var vsum float64
	for _, v := range res.Validators {
		vsum += v.Weight
		if v.Tokens <= 0 {
			t.Errorf("validator %d earned nothing", v.UID)
		}
	}
	if vsum < 0.999 || vsum > 1.001 {
		t.Errorf("validator weights sum to %v", vsum)
	}
}

func TestDemoSimulated(t *testing.T) {
	cfg := tiny()
	cfg.Windows = 2
	cfg.Simulated = true
	res, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.WindowsScored != 2 || res.RejectedHonestSubmissions != 0 {
		t.Fatalf("simulated run: %d windows scored, %d rejected", res.WindowsScored, res.RejectedHonestSubmissions)
	}
}
