// Package score is the Engram validator's deterministic scoring core: it
// turns one round's measurements (recall@10, validator-measured latency,
// storage-proof outcomes) into composite scores, moving averages and
// normalised weights, exactly as engram.md §7 specifies.
//
// It is pure: values in, values out, no I/O, clock, randomness, logging or
// goroutines. The validator shell owns the [State], feeds it challenge
// outcomes and round evaluations, persists it after every call that changes
// it (state is a plain value that JSON-encodes), and only then sets weights.
// A State is not safe for concurrent use.
package score

import (
	"math"
	"slices"
)

// Params are the scoring constants. The zero value is not useful; start
// from [DefaultParams].
type Params struct {
	Alpha, Beta, Gamma float64 // composite weights: recall, latency, proof
	LatencyTargetMS    float64 // latency at or below which the score is 1
	LatencyBaselineMS  float64 // latency at or above which the score is 0
	SlashThreshold     float64 // proof rate below which a miner is slashed
	MinChallenges      int     // challenges in the window before slashing applies
	ProofWindow        int     // rolling window of challenges per miner
	EMAAlpha           float64 // weight of the new score in the moving average
	RecallK            int     // K of recall@K
}

// DefaultParams returns the constants of engram.md §3.
func DefaultParams() Params {
	return Params{
		Alpha: 0.50, Beta: 0.30, Gamma: 0.20,
		LatencyTargetMS: 100, LatencyBaselineMS: 500,
		SlashThreshold: 0.50, MinChallenges: 5, ProofWindow: 100,
		EMAAlpha: 0.1, RecallK: 10,
	}
}

// RecallAtK is |topK(returned) ∩ topK(truth)| / min(K, |truth|); empty
// truth gives 0. returned is in response order; duplicates count once.
func RecallAtK(returned, truth []string, k int) float64 {
	if len(truth) == 0 || k <= 0 {
		return 0
	}
	truth = truth[:min(k, len(truth))]
	returned = returned[:min(k, len(returned))]
	want := make(map[string]bool, len(truth))
	for _, c := range truth {
		want[c] = true
	}
	hits := 0
	for _, c := range returned {
		if want[c] {
			hits++
			want[c] = false
		}
	}
	return float64(hits) / float64(len(truth))
}

// LatencyScore maps a validator-measured round trip to [0, 1]: 1 at or below
// the target, 0 at or above the baseline, linear between. Unknown latency
// (no successful query) scores 0.
func LatencyScore(ms float64, known bool, p Params) float64 {
	switch {
	case !known || math.IsNaN(ms):
		return 0
	case ms <= p.LatencyTargetMS:
		return 1
	case ms >= p.LatencyBaselineMS:
		return 0
	}
	return 1 - (ms-p.LatencyTargetMS)/(p.LatencyBaselineMS-p.LatencyTargetMS)
}

// Eval is one miner's measurements for a round.
type Eval struct {
	// UID and Hotkey identify the miner; a changed hotkey on a UID resets
	// its history.
	UID    uint16
	Hotkey string
	// Recall is the mean recall@K over the round's sampled queries, failed
	// queries counting 0.
	Recall float64
	// LatencyMS is the mean validator-measured round trip of the successful
	// queries; LatencyKnown is false when none succeeded.
	LatencyMS    float64
	LatencyKnown bool
}

// MinerState is the per-UID history the State keeps.
type MinerState struct {
	Hotkey string `json:"hotkey"`
	// Proofs holds the outcomes of the last ProofWindow challenges, oldest first.
	Proofs []bool `json:"proofs"`
	// Avg is the moving average of the composite score; HasAvg is false
	// before the first round.
	Avg    float64 `json:"avg"`
	HasAvg bool    `json:"has_avg"`
}

// State is the validator's scoring memory across rounds.
type State struct {
	Miners map[uint16]*MinerState `json:"miners"`
}

// NewState returns an empty State.
func NewState() *State { return &State{Miners: map[uint16]*MinerState{}} }

func (s *State) miner(uid uint16, hotkey string) *MinerState {
	if s.Miners == nil {
		s.Miners = map[uint16]*MinerState{}
	}
	m := s.Miners[uid]
	if m == nil || m.Hotkey != hotkey {
		m = &MinerState{Hotkey: hotkey}
		s.Miners[uid] = m
	}
	return m
}

// RecordChallenge appends one challenge outcome to the miner's rolling
// window (resetting the miner's history if the UID's hotkey changed).
func (s *State) RecordChallenge(uid uint16, hotkey string, passed bool, p Params) {
	m := s.miner(uid, hotkey)
	m.Proofs = append(m.Proofs, passed)
	if over := len(m.Proofs) - p.ProofWindow; over > 0 {
		m.Proofs = slices.Delete(m.Proofs, 0, over)
	}
}

// ProofRate returns passed/issued over the window and the window's size;
// a miner never challenged has rate 0.
func (m *MinerState) ProofRate() (rate float64, n int) {
	if m == nil || len(m.Proofs) == 0 {
		return 0, 0
	}
	passed := 0
	for _, ok := range m.Proofs {
		if ok {
			passed++
		}
	}
	return float64(passed) / float64(len(m.Proofs)), len(m.Proofs)
}

// MinerScore is one miner's row of a round's result.
type MinerScore struct {
	UID          uint16  `json:"uid"`
	Hotkey       string  `json:"hotkey"`
	Recall       float64 `json:"recall_at_10"`
	LatencyMS    float64 `json:"latency_ms"`
	LatencyKnown bool    `json:"latency_known"`
	LatencyScore float64 `json:"latency_score"`
	ProofRate    float64 `json:"proof_rate"`
	Challenges   int     `json:"challenges"`
	Composite    float64 `json:"score"`
	Slashed      bool    `json:"slashed"`
	Avg          float64 `json:"moving_average"`
	Weight       float64 `json:"weight"`
}

// Result is a round's outcome, ordered by UID.
type Result struct {
	Miners []MinerScore `json:"miners"`
	// Weights maps UID to normalised weight (sums to 1), or is empty when
	// every average is zero: then no weights should be set.
	Weights map[uint16]float64 `json:"weights"`
}

func clip01(x float64) float64 { return min(1, max(0, x)) }

// Round scores one round: composite per miner, slashing, moving average
// update, and normalised weights over every miner in the State's history
// that is still present in evals. Miners absent from evals are dropped from
// the State (deregistered or no longer serving).
func (s *State) Round(evals []Eval, p Params) Result {
	evals = slices.Clone(evals)
	slices.SortFunc(evals, func(a, b Eval) int { return int(a.UID) - int(b.UID) })
	present := map[uint16]bool{}
	res := Result{Weights: map[uint16]float64{}}
	var sum float64
	for _, e := range evals {
		present[e.UID] = true
		m := s.miner(e.UID, e.Hotkey)
		rate, n := m.ProofRate()
		ms := MinerScore{
			UID: e.UID, Hotkey: e.Hotkey,
			Recall: clip01(e.Recall), LatencyMS: e.LatencyMS, LatencyKnown: e.LatencyKnown,
			LatencyScore: clip01(LatencyScore(e.LatencyMS, e.LatencyKnown, p)),
			ProofRate:    clip01(rate), Challenges: n,
		}
		// Explicit float64 conversions stop the compiler fusing
		// multiply-adds, so every platform computes the same bits.
		ms.Composite = float64(p.Alpha*ms.Recall) + float64(p.Beta*ms.LatencyScore) + float64(p.Gamma*ms.ProofRate)
		ms.Slashed = n >= p.MinChallenges && rate < p.SlashThreshold
		switch {
		case ms.Slashed:
			m.Avg = 0
		case !m.HasAvg:
			m.Avg = ms.Composite
		default:
			m.Avg = float64(p.EMAAlpha*ms.Composite) + float64((1-p.EMAAlpha)*m.Avg)
		}
		m.HasAvg = true
		ms.Avg = m.Avg
		sum += m.Avg
		res.Miners = append(res.Miners, ms)
	}
	for uid := range s.Miners {
		if !present[uid] {
			delete(s.Miners, uid)
		}
	}
	if sum > 0 {
		for i := range res.Miners {
			w := res.Miners[i].Avg / sum
			res.Miners[i].Weight = w
			if w > 0 {
				res.Weights[res.Miners[i].UID] = w
			}
		}
	}
	return res
}

// RecallAtKTies is RecallAtK where a returned item also counts as a hit when
// it is in tied: items outside the exact top-K whose true score equals the
// K-th best within rounding. Miners rank in float32 and validators in
// float64, so near-ties at the K-th place may order either way; neither
// order is wrong. The denominator stays min(K, |truth|).
func RecallAtKTies(returned, truth, tied []string, k int) float64 {
	if len(truth) == 0 || k <= 0 {
		return 0
	}
	truth = truth[:min(k, len(truth))]
	want := make(map[string]bool, len(truth)+len(tied))
	for _, c := range truth {
		want[c] = true
	}
	for _, c := range tied {
		want[c] = true
	}
	hits := 0
	for _, c := range returned[:min(k, len(returned))] {
		if want[c] {
			hits++
			want[c] = false
		}
	}
	return min(1, float64(hits)/float64(len(truth)))
}
