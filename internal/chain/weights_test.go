package chain

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestWeightsToU16(t *testing.T) {
	tests := []struct {
		name       string
		in         map[uint16]float64
		uids, vals []uint16
		err        error
	}{
		{"max becomes 65535", map[uint16]float64{3: 0.5, 1: 0.25}, []uint16{1, 3}, []uint16{32768, 65535}, nil},
		{"half to even", map[uint16]float64{0: 1, 1: 0.5 / 65535}, []uint16{0}, []uint16{65535}, nil}, // 0.5 rounds to 0 and is dropped
		{"zeros dropped", map[uint16]float64{0: 0, 5: 2}, []uint16{5}, []uint16{65535}, nil},
		{"all zero sends nothing", map[uint16]float64{0: 0, 1: 0}, nil, nil, nil},
		{"empty", nil, nil, nil, nil},
		{"negative refused", map[uint16]float64{0: -1}, nil, nil, ErrNegativeWeight},
		{"NaN refused", map[uint16]float64{0: math.NaN()}, nil, nil, ErrNegativeWeight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uids, vals, err := WeightsToU16(tt.in)
			if !errors.Is(err, tt.err) || !slices.Equal(uids, tt.uids) || !slices.Equal(vals, tt.vals) {
				t.Errorf("WeightsToU16(%v) = %v, %v, %v; want %v, %v, %v", tt.in, uids, vals, err, tt.uids, tt.vals, tt.err)
			}
		})
	}
}
