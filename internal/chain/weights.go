package chain

import (
	"errors"
	"math"
	"sort"
)

// ErrNegativeWeight is returned by [WeightsToU16] for a negative or
// non-finite weight.
var ErrNegativeWeight = errors.New("weights must be finite and non-negative")

// WeightsToU16 converts per-UID weights to the u16 vectors set_weights takes,
// following the Bittensor client convention: reject negatives, divide by the
// maximum, round half to even onto 0..65535 and drop zero entries. A zero sum
// gives empty vectors. UIDs come out ascending.
func WeightsToU16(w map[uint16]float64) (uids, values []uint16, err error) {
	var maxW float64
	for _, v := range w {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, ErrNegativeWeight
		}
		maxW = max(maxW, v)
	}
	if maxW == 0 {
		return nil, nil, nil
	}
	keys := make([]uint16, 0, len(w))
	for uid := range w {
		keys = append(keys, uid)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, uid := range keys {
		q := math.RoundToEven(w[uid] / maxW * 65535)
		if q == 0 {
			continue
		}
		uids = append(uids, uid)
		values = append(values, uint16(q))
	}
	return uids, values, nil
}
