package score

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestRecallAtK(t *testing.T) {
	truth := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	tests := []struct {
		name     string
		returned []string
		truth    []string
		want     float64
	}{
		{"perfect", truth[:10], truth, 1},
		{"reversed order still counts", []string{"j", "i", "h", "g", "f", "e", "d", "c", "b", "a"}, truth, 1},
		{"half", []string{"a", "b", "c", "d", "e", "x", "y", "z", "w", "v"}, truth, 0.5},
		{"eleventh truth item is not in top10", []string{"k"}, truth, 0},
		{"only first 10 returned count", []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "a"}, truth, 0},
		{"duplicates count once", []string{"a", "a", "a"}, truth, 0.1},
		{"small truth", []string{"a", "z"}, []string{"a", "b"}, 0.5},
		{"empty truth", []string{"a"}, nil, 0},
		{"nothing returned", nil, truth, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RecallAtK(tt.returned, tt.truth, 10); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("RecallAtK(%v) = %v, want %v", tt.returned, got, tt.want)
			}
		})
	}
}

func TestLatencyScore(t *testing.T) {
	p := DefaultParams()
	tests := []struct {
		ms    float64
		known bool
		want  float64
	}{
		{0, true, 1}, {100, true, 1}, {100.5, true, 0.99875}, {300, true, 0.5},
		{499, true, 0.0025}, {500, true, 0}, {5000, true, 0}, {10, false, 0}, {math.NaN(), true, 0},
	}
	for _, tt := range tests {
		if got := LatencyScore(tt.ms, tt.known, p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("LatencyScore(%v, %v) = %v, want %v", tt.ms, tt.known, got, tt.want)
		}
	}
}

// TestRoundByHand checks one round against arithmetic done by hand.
func TestRoundByHand(t *testing.T) {
	p := DefaultParams()
	s := NewState()
	// uid 1: 10/10 proofs; uid 2: 2/10 proofs (slashed); uid 3: never challenged.
	for i := range 10 {
		s.RecordChallenge(1, "hk1", true, p)
		s.RecordChallenge(2, "hk2", i < 2, p)
	}
	res := s.Round([]Eval{
		{UID: 3, Hotkey: "hk3", Recall: 0.8, LatencyMS: 300, LatencyKnown: true},
		{UID: 1, Hotkey: "hk1", Recall: 1, LatencyMS: 50, LatencyKnown: true},
		{UID: 2, Hotkey: "hk2", Recall: 1, LatencyMS: 50, LatencyKnown: true},
	}, p)
	// uid1: 0.5*1 + 0.3*1 + 0.2*1 = 1.0
	// uid2: slashed (rate 0.2 < 0.5 with 10 >= 5 challenges) -> avg 0
	// uid3: 0.5*0.8 + 0.3*0.5 + 0.2*0 = 0.55
	want := map[uint16]struct{ comp, avg, w float64 }{
		1: {1.0, 1.0, 1.0 / 1.55},
		2: {0.84, 0, 0}, // composite 0.5 + 0.3 + 0.2*0.2, but slashed: avg and weight 0
		3: {0.55, 0.55, 0.55 / 1.55},
	}
	if len(res.Miners) != 3 || res.Miners[0].UID != 1 || res.Miners[2].UID != 3 {
		t.Fatalf("Round miners = %+v, want uids 1,2,3 in order", res.Miners)
	}
	for _, m := range res.Miners {
		w := want[m.UID]
		if math.Abs(m.Composite-w.comp) > 1e-12 || math.Abs(m.Avg-w.avg) > 1e-12 || math.Abs(m.Weight-w.w) > 1e-12 {
			t.Errorf("uid %d = composite %v avg %v weight %v, want %v %v %v", m.UID, m.Composite, m.Avg, m.Weight, w.comp, w.avg, w.w)
		}
	}
	if !res.Miners[1].Slashed || res.Miners[0].Slashed {
		t.Errorf("slash flags = %v %v, want false true", res.Miners[0].Slashed, res.Miners[1].Slashed)
	}
	if _, ok := res.Weights[2]; ok {
		t.Error("slashed miner has a weight entry")
	}
	// Second round: EMA 0.1*new + 0.9*old. uid3 now scores 0.3 (no recall, 100 ms).
	res = s.Round([]Eval{
		{UID: 1, Hotkey: "hk1", Recall: 1, LatencyMS: 50, LatencyKnown: true},
		{UID: 3, Hotkey: "hk3", Recall: 0, LatencyMS: 100, LatencyKnown: true},
	}, p)
	if got, want := res.Miners[1].Avg, 0.1*0.3+0.9*0.55; math.Abs(got-want) > 1e-12 {
		t.Errorf("uid 3 EMA = %v, want %v", got, want)
	}
	if _, ok := s.Miners[2]; ok {
		t.Error("uid 2 absent from the round but still in state")
	}
}

func TestSlashNeedsMinChallenges(t *testing.T) {
	p := DefaultParams()
	s := NewState()
	for range 4 {
		s.RecordChallenge(7, "hk", false, p)
	}
	res := s.Round([]Eval{{UID: 7, Hotkey: "hk", Recall: 1, LatencyMS: 10, LatencyKnown: true}}, p)
	if res.Miners[0].Slashed {
		t.Fatal("slashed after 4 challenges, want no slash below 5")
	}
	s.RecordChallenge(7, "hk", false, p)
	res = s.Round([]Eval{{UID: 7, Hotkey: "hk", Recall: 1, LatencyMS: 10, LatencyKnown: true}}, p)
	if !res.Miners[0].Slashed || res.Miners[0].Weight != 0 || len(res.Weights) != 0 {
		t.Fatalf("after 5 failed challenges: %+v, want slashed with weight 0 and no weights", res.Miners[0])
	}
}

func TestProofWindowRollsAndHotkeyResets(t *testing.T) {
	p := DefaultParams()
	s := NewState()
	for range 100 {
		s.RecordChallenge(1, "old", false, p)
	}
	for range 100 {
		s.RecordChallenge(1, "old", true, p)
	}
	if rate, n := s.Miners[1].ProofRate(); rate != 1 || n != 100 {
		t.Fatalf("ProofRate after window roll = %v, %d, want 1, 100", rate, n)
	}
	s.RecordChallenge(1, "new", false, p)
	if rate, n := s.Miners[1].ProofRate(); rate != 0 || n != 1 {
		t.Fatalf("ProofRate after hotkey change = %v, %d, want 0, 1", rate, n)
	}
}

// TestGolden replays a scripted multi-round scenario and compares the full
// results with testdata/golden_rounds.json (regenerate with -update and
// review the diff).
func TestGolden(t *testing.T) {
	p := DefaultParams()
	s := NewState()
	var out []Result
	for round := range 6 {
		for uid := range uint16(5) {
			// uid 4 fails most proofs; uid 0 flips its hotkey at round 3.
			passed := uid != 4 || round%4 == 0
			s.RecordChallenge(uid, hotkeyFor(uid, round), passed, p)
		}
		var evals []Eval
		for uid := range uint16(5) {
			evals = append(evals, Eval{
				UID: uid, Hotkey: hotkeyFor(uid, round),
				Recall:    float64((int(uid)*3+round)%11) / 10,
				LatencyMS: float64(40 + 60*int(uid) + 7*round), LatencyKnown: uid != 2 || round > 1,
			})
		}
		out = append(out, s.Round(evals, p))
	}
	got, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden_rounds.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("rounds differ from %s; run go test -run TestGolden -update and review the diff", path)
	}
}

func hotkeyFor(uid uint16, round int) string {
	if uid == 0 && round >= 3 {
		return "hk0-new"
	}
	return "hk" + string(rune('0'+uid))
}

func TestStateJSONRoundTrip(t *testing.T) {
	p := DefaultParams()
	s := NewState()
	s.RecordChallenge(3, "hk", true, p)
	s.Round([]Eval{{UID: 3, Hotkey: "hk", Recall: 0.5}}, p)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	r1 := s.Round([]Eval{{UID: 3, Hotkey: "hk", Recall: 1}}, p)
	r2 := back.Round([]Eval{{UID: 3, Hotkey: "hk", Recall: 1}}, p)
	if r1.Miners[0] != r2.Miners[0] {
		t.Errorf("restored state scores %+v, want %+v", r2.Miners[0], r1.Miners[0])
	}
}

func TestRecallAtKTies(t *testing.T) {
	truth := []string{"a", "b", "c"}
	if got := RecallAtKTies([]string{"a", "b", "x"}, truth, []string{"x"}, 3); got != 1 {
		t.Errorf("tied item at the boundary: recall = %v, want 1", got)
	}
	if got := RecallAtKTies([]string{"a", "b", "y"}, truth, []string{"x"}, 3); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("untied wrong item: recall = %v, want 2/3", got)
	}
	if got := RecallAtKTies([]string{"a", "a", "a"}, truth, nil, 3); math.Abs(got-1.0/3) > 1e-12 {
		t.Errorf("duplicates: recall = %v, want 1/3", got)
	}
}
