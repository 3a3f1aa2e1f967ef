package localnet

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestTwoRoundsSlashFaulty runs the whole network for two rounds and checks
// the acceptance line: honest miners share the weight, the faulty miner is
// slashed to 0.
func TestTwoRoundsSlashFaulty(t *testing.T) {
	var out bytes.Buffer
	res, err := Run(t.Context(), Config{Dir: t.TempDir(), Rounds: 2, JSON: true, Synthetic: 150, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var last Result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("last stdout line is not the JSON result: %v\n%s", err, out.String())
	}
	if last.WeightsBlock == 0 || len(last.Miners) != 4 || last.WeightsBlock != res.WeightsBlock {
		t.Fatalf("result = %+v", last)
	}
	var honest float64
	for _, m := range last.Miners {
		if m.Faulty {
			if m.Weight != 0 || m.ProofRate >= 0.5 {
				t.Errorf("faulty miner %d: weight %v proof rate %v, want 0 and < 0.5", m.UID, m.Weight, m.ProofRate)
			}
			continue
		}
		if m.Recall != 1 || m.ProofRate != 1 || m.Weight < 0.3 {
			t.Errorf("honest miner %d = %+v, want recall 1, proofs 1, a third of the weight", m.UID, m)
		}
		honest += m.Weight
	}
	if honest < 0.999 {
		t.Errorf("honest miners hold %v of the weight, want all of it", honest)
	}
}
