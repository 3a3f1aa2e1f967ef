package score

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// Params are the scoring constants. Start from [DefaultParams].
type Params struct {
	// WeightAvailability is the reward for a valid wallet proof (0.4).
	WeightAvailability float64
	// WeightClaims scales the claims share (0.6).
	WeightClaims float64
	// Alpha is the weight of the new reward in the moving average (0.1).
	Alpha float64
}

// DefaultParams returns the constants of drain.md §6.3–§6.4.
func DefaultParams() Params {
	return Params{WeightAvailability: 0.4, WeightClaims: 0.6, Alpha: 0.1}
}

// Reason says why a UID got the reward it got.
type Reason string

// Reasons, one per row of drain.md §6.3.
const (
	ReasonScored          Reason = "scored"           // valid proof: 0.4 + 0.6·share
	ReasonNoResponse      Reason = "no_response"      // not queried, failed or timed out
	ReasonNoWallet        Reason = "no_wallet"        // answered without a wallet
	ReasonInvalidProof    Reason = "invalid_proof"    // proof does not recover to the wallet
	ReasonDuplicateWallet Reason = "duplicate_wallet" // an earlier registered UID proved the same wallet
)

// Errors returned by [Step].
var (
	// ErrUIDs means Round.Miners does not hold each UID 0..n−1 exactly once.
	ErrUIDs = errors.New("score: miners must hold each UID 0..n-1 exactly once")
	// ErrNegativeClaims means a claims total is negative.
	ErrNegativeClaims = errors.New("score: negative claims total")
	// ErrParams means Params are out of range.
	ErrParams = errors.New("score: invalid params")
)

// Miner is what the validator learned about one UID this round.
type Miner struct {
	// UID is the metagraph position.
	UID uint16 `json:"uid"`
	// Hotkey is the SS58 hotkey the metagraph holds for UID (never the one
	// a response claims); a change from the stored one resets the score.
	Hotkey string `json:"hotkey"`
	// RegisteredAt is the UID's registration block; the earliest
	// registration keeps a wallet several UIDs prove.
	RegisteredAt uint64 `json:"registered_at"`
	// Responded reports a successful ProviderCheck answer this round.
	Responded bool `json:"responded"`
	// ProofValid reports that the wallet proof recovered to Wallet over
	// this UID's metagraph hotkey.
	ProofValid bool `json:"proof_valid"`
	// Wallet is the polygon_wallet the UID answered; zero when none.
	Wallet common.Address `json:"wallet"`
}

// Round is one round's input.
type Round struct {
	// Miners holds every UID of the metagraph exactly once, in any order.
	Miners []Miner
	// Claims is the scanned claims total per provider address, in USDC
	// base units, non-miners included (they count towards max_claims).
	// Nil values count as zero.
	Claims map[common.Address]*big.Int
}

// State is the validator's persistent scoring state, indexed by UID. It
// JSON-encodes; float32 values round-trip exactly through encoding/json.
type State struct {
	// Step counts completed rounds.
	Step uint64 `json:"step"`
	// Scores is the moving average per UID.
	Scores []float32 `json:"scores"`
	// Hotkeys is the metagraph hotkey per UID when Scores was computed.
	Hotkeys []string `json:"hotkeys"`
}

// MinerResult is one UID's outcome.
type MinerResult struct {
	UID    uint16         `json:"uid"`
	Hotkey string         `json:"hotkey"`
	Wallet common.Address `json:"wallet"`
	// Claims is the wallet's claims total (zero when unscored).
	Claims *big.Int `json:"claims"`
	Reason Reason   `json:"reason"`
	Reward float64  `json:"reward"`
	// Score is the moving average after this round.
	Score float32 `json:"score"`
	// Weight is Score normalised by the sum of all scores.
	Weight float64 `json:"weight"`
}

// Result is a round's outcome.
type Result struct {
	// MaxClaims is the normaliser used, reported so anyone can recompute
	// the rewards.
	MaxClaims *big.Int `json:"max_claims"`
	// Miners is ordered by UID.
	Miners []MinerResult `json:"miners"`
	// Weights maps UID to normalised weight for the UIDs with a non-zero
	// weight; it is empty when every score is zero (set no weights then).
	Weights map[uint16]float64 `json:"weights"`
}

// MaxClaims returns the largest total in claims, or 1 when claims is empty
// or every total is zero (drain.md §1 #2). The result is a new value.
func MaxClaims(claims map[common.Address]*big.Int) *big.Int {
	m := new(big.Int)
	for _, c := range claims {
		if c != nil && c.Cmp(m) > 0 {
			m.Set(c)
		}
	}
	if m.Sign() == 0 {
		m.SetInt64(1)
	}
	return m
}

// Step scores one round from prev and returns the result and the next
// state. It resizes the state to len(r.Miners) and zeroes the score of a
// UID whose hotkey changed. It returns [ErrUIDs], [ErrNegativeClaims] or
// [ErrParams] (and no state change) for invalid input.
func Step(prev State, r Round, p Params) (Result, State, error) {
	if err := p.validate(); err != nil {
		return Result{}, prev, err
	}
	miners, err := sortedMiners(r.Miners)
	if err != nil {
		return Result{}, prev, err
	}
	for _, c := range r.Claims {
		if c != nil && c.Sign() < 0 {
			return Result{}, prev, ErrNegativeClaims
		}
	}
	maxClaims := MaxClaims(r.Claims)
	res := Result{MaxClaims: maxClaims, Miners: rewards(miners, r.Claims, maxClaims, p), Weights: map[uint16]float64{}}

	n := len(miners)
	next := State{Step: prev.Step + 1, Scores: make([]float32, n), Hotkeys: make([]string, n)}
	alpha, keep := float32(p.Alpha), float32(1-p.Alpha)
	var sum float64
	for i := range res.Miners {
		m := &res.Miners[i]
		var old float32
		if i < len(prev.Scores) && i < len(prev.Hotkeys) && prev.Hotkeys[i] == m.Hotkey {
			old = prev.Scores[i]
		}
		if isBad32(old) {
			old = 0
		}
		// float32 arithmetic as the reference's numpy arrays; explicit
		// conversions keep each product rounded before the add.
		s := float32(alpha*float32(m.Reward)) + float32(keep*old)
		if isBad32(s) || s < 0 {
			s = 0
		}
		m.Score = s
		next.Scores[i], next.Hotkeys[i] = s, m.Hotkey
		sum += float64(s)
	}
	if sum > 0 {
		for i := range res.Miners {
			m := &res.Miners[i]
			m.Weight = float64(m.Score) / sum
			if m.Weight > 0 {
				res.Weights[m.UID] = m.Weight
			}
		}
	}
	return res, next, nil
}

// Rewards returns each UID's reward for one round without touching any
// state: the §6.3 table with the one-wallet-one-UID rule. Results are
// ordered by UID; Score and Weight are zero.
func Rewards(r Round, p Params) ([]MinerResult, *big.Int, error) {
	if err := p.validate(); err != nil {
		return nil, nil, err
	}
	miners, err := sortedMiners(r.Miners)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range r.Claims {
		if c != nil && c.Sign() < 0 {
			return nil, nil, ErrNegativeClaims
		}
	}
	mc := MaxClaims(r.Claims)
	return rewards(miners, r.Claims, mc, p), mc, nil
}

func (p Params) validate() error {
	ok := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x >= 0 }
	if !ok(p.WeightAvailability) || !ok(p.WeightClaims) || !ok(p.Alpha) || p.Alpha > 1 {
		return fmt.Errorf("%w: %+v", ErrParams, p)
	}
	return nil
}

// sortedMiners returns a copy of ms ordered by UID, checking that the UIDs
// are exactly 0..n−1.
func sortedMiners(ms []Miner) ([]Miner, error) {
	if len(ms) > math.MaxUint16+1 {
		return nil, ErrUIDs
	}
	out := slices.Clone(ms)
	slices.SortFunc(out, func(a, b Miner) int { return cmp.Compare(a.UID, b.UID) })
	for i, m := range out {
		if int(m.UID) != i {
			return nil, fmt.Errorf("%w: position %d holds UID %d", ErrUIDs, i, m.UID)
		}
	}
	return out, nil
}

// rewards applies §6.3 to miners (sorted by UID).
func rewards(miners []Miner, claims map[common.Address]*big.Int, maxClaims *big.Int, p Params) []MinerResult {
	// The earliest registered UID (then the lowest UID) keeps each wallet.
	owner := map[common.Address]int{}
	for i, m := range miners {
		if !m.Responded || m.Wallet == (common.Address{}) || !m.ProofValid {
			continue
		}
		j, seen := owner[m.Wallet]
		if !seen || m.RegisteredAt < miners[j].RegisteredAt {
			owner[m.Wallet] = i // ties keep j: miners are in UID order
		}
	}
	out := make([]MinerResult, len(miners))
	for i, m := range miners {
		r := MinerResult{UID: m.UID, Hotkey: m.Hotkey, Wallet: m.Wallet, Claims: new(big.Int)}
		switch {
		case !m.Responded:
			r.Reason = ReasonNoResponse
		case m.Wallet == (common.Address{}):
			r.Reason = ReasonNoWallet
		case !m.ProofValid:
			r.Reason = ReasonInvalidProof
		case owner[m.Wallet] != i:
			r.Reason = ReasonDuplicateWallet
		default:
			r.Reason = ReasonScored
			if c := claims[m.Wallet]; c != nil {
				r.Claims.Set(c)
			}
			share, _ := new(big.Rat).SetFrac(r.Claims, maxClaims).Float64()
			r.Reward = p.WeightAvailability + float64(p.WeightClaims*share)
		}
		out[i] = r
	}
	return out
}

func isBad32(x float32) bool { return math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) }
