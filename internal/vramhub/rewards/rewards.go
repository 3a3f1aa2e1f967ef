package rewards

import (
	"errors"
	"math/big"
	"math/bits"
)

// Amount constants in base units.
const (
	// Unit is one VRAM in base units (9 decimals).
	Unit uint64 = 1_000_000_000
	// HalvingAt is the cumulative mining issuance at which emission halves.
	HalvingAt = 7_000_000 * Unit
	// MiningCap is the most that mining emission will ever issue.
	MiningCap = 10_500_000 * Unit
	// HardCap is the maximum total supply.
	HardCap = 21_000_000 * Unit
	// GenesisRate is the emission per funded window before the halving.
	GenesisRate = 70 * Unit
	// HalvedRate is the emission per funded window after the halving.
	HalvedRate = 35 * Unit
	// PPB is the sum of every weight vector: one billion parts per billion.
	PPB uint64 = 1_000_000_000
	// BpsDenominator is the sum of a valid [Split].
	BpsDenominator uint64 = 10_000
)

// ErrBadSplit reports basis points that do not sum to [BpsDenominator].
var ErrBadSplit = errors.New("rewards: split does not sum to 10000 bps")

// Rate returns the emission per funded window when issued base units have
// already been mined: [GenesisRate] below [HalvingAt], [HalvedRate] below
// [MiningCap], and 0 from then on.
func Rate(issued uint64) uint64 {
	switch {
	case issued < HalvingAt:
		return GenesisRate
	case issued < MiningCap:
		return HalvedRate
	default:
		return 0
	}
}

// Emission returns what one funded window emits after issued base units:
// min(Rate(issued), MiningCap − issued), so issuance stops exactly at the
// cap.
func Emission(issued uint64) uint64 {
	if issued >= MiningCap {
		return 0
	}
	return min(Rate(issued), MiningCap-issued)
}

// Split divides a window's emission between miners, validators and the
// treasury, in basis points.
type Split struct {
	MinerBps     uint64 `json:"miner_bps"`
	ValidatorBps uint64 `json:"validator_bps"`
	TreasuryBps  uint64 `json:"treasury_bps"`
}

// DefaultSplit is 7,143 / 2,857 / 0 bps.
var DefaultSplit = Split{MinerBps: 7143, ValidatorBps: 2857, TreasuryBps: 0}

// Validate returns [ErrBadSplit] unless the three parts sum to 10,000.
func (s Split) Validate() error {
	if s.MinerBps > BpsDenominator || s.ValidatorBps > BpsDenominator || s.TreasuryBps > BpsDenominator ||
		s.MinerBps+s.ValidatorBps+s.TreasuryBps != BpsDenominator {
		return ErrBadSplit
	}
	return nil
}

// Divide splits emission e into the miner pool floor(e·m/10^4), the
// treasury floor(e·t/10^4) and the validator pool, which absorbs rounding:
// the three always sum to e. s must be valid.
func (s Split) Divide(e uint64) (miners, validators, treasury uint64) {
	treasury = mulDiv(e, s.TreasuryBps, BpsDenominator)
	miners = mulDiv(e, s.MinerBps, BpsDenominator)
	return miners, e - miners - treasury, treasury
}

// mulDiv returns floor(a·b/d) with a 128-bit product. The quotient must fit
// in 64 bits (b ≤ d guarantees it).
func mulDiv(a, b, d uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, d)
	return q
}

// Normalize turns non-negative values into parts per billion summing to
// exactly [PPB]: w_i = floor(v_i·10^9 / Σv), or floor(10^9/n) each when
// Σv = 0; the remainder goes to the largest w_i, ties to the lowest index.
// It returns nil for an empty input and panics on a negative value.
func Normalize(values []*big.Int) []uint64 {
	n := len(values)
	if n == 0 {
		return nil
	}
	total := new(big.Int)
	for _, v := range values {
		if v.Sign() < 0 {
			panic("rewards: negative value in Normalize")
		}
		total.Add(total, v)
	}
	w := make([]uint64, n)
	if total.Sign() == 0 {
		for i := range w {
			w[i] = PPB / uint64(n)
		}
	} else {
		ppb := new(big.Int).SetUint64(PPB)
		q := new(big.Int)
		for i, v := range values {
			q.Mul(v, ppb)
			q.Quo(q, total)
			w[i] = q.Uint64()
		}
	}
	var sum uint64
	best := 0
	for i, x := range w {
		sum += x
		if x > w[best] {
			best = i
		}
	}
	w[best] += PPB - sum
	return w
}

// MinerWeights returns the miner weights of one window from the players'
// ordinals (fp, any order the caller fixes; ties resolve to the lower
// index): d_i = ord_i − min ord, weight ∝ d_i². The lowest ordinal gets 0
// unless every d is 0, when all share equally.
func MinerWeights(ordinals []int64) []uint64 {
	if len(ordinals) == 0 {
		return nil
	}
	lo := ordinals[0]
	for _, o := range ordinals {
		lo = min(lo, o)
	}
	minB := big.NewInt(lo)
	sq := make([]*big.Int, len(ordinals))
	for i, o := range ordinals {
		d := new(big.Int).Sub(big.NewInt(o), minB)
		sq[i] = d.Mul(d, d)
	}
	return Normalize(sq)
}

// Stake is one validator's locked stake and the number of pairs it
// submitted in a window.
type Stake struct {
	Stake uint64
	Pairs uint64
}

// ValidatorWeights returns weights proportional to stake × pairs, ties to
// the lower index.
func ValidatorWeights(vs []Stake) []uint64 {
	u := make([]*big.Int, len(vs))
	for i, v := range vs {
		u[i] = new(big.Int).Mul(new(big.Int).SetUint64(v.Stake), new(big.Int).SetUint64(v.Pairs))
	}
	return Normalize(u)
}

// Payout splits pool by weights (which must sum to [PPB]):
// pay_i = floor(pool·w_i/10^9), and the dust pool − Σ pay goes to the
// largest weight, ties to the lowest index, so the result sums to pool
// exactly. It returns nil for no weights and panics when the weights do not
// sum to PPB.
func Payout(pool uint64, weights []uint64) []uint64 {
	if len(weights) == 0 {
		return nil
	}
	var wsum uint64
	best := 0
	for i, w := range weights {
		if w > PPB || wsum+w > PPB {
			panic("rewards: weights exceed 1e9 ppb")
		}
		wsum += w
		if w > weights[best] {
			best = i
		}
	}
	if wsum != PPB {
		panic("rewards: weights do not sum to 1e9 ppb")
	}
	pay := make([]uint64, len(weights))
	var paid uint64
	for i, w := range weights {
		pay[i] = mulDiv(pool, w, PPB)
		paid += pay[i]
	}
	pay[best] += pool - paid
	return pay
}
