package rewards

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"testing"
)

func TestEmission(t *testing.T) {
	tests := []struct {
		name   string
		issued uint64
		rate   uint64
		want   uint64
	}{
		{"genesis", 0, 70_000_000_000, 70_000_000_000},
		{"one window in", 70_000_000_000, 70_000_000_000, 70_000_000_000},
		{"just below halving", HalvingAt - 1, 70_000_000_000, 70_000_000_000},
		{"last genesis window", HalvingAt - 70_000_000_000, 70_000_000_000, 70_000_000_000},
		{"halving boundary", HalvingAt, 35_000_000_000, 35_000_000_000},
		{"just past halving", HalvingAt + 1, 35_000_000_000, 35_000_000_000},
		{"last full window", MiningCap - 35_000_000_000, 35_000_000_000, 35_000_000_000},
		{"partial before cap", MiningCap - 10_000_000_000, 35_000_000_000, 10_000_000_000},
		{"one base unit left", MiningCap - 1, 35_000_000_000, 1},
		{"cap boundary", MiningCap, 0, 0},
		{"past cap", MiningCap + 1, 0, 0},
		{"max", math.MaxUint64, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rate(tt.issued); got != tt.rate {
				t.Errorf("Rate(%d) = %d, want %d", tt.issued, got, tt.rate)
			}
			if got := Emission(tt.issued); got != tt.want {
				t.Errorf("Emission(%d) = %d, want %d", tt.issued, got, tt.want)
			}
		})
	}
}

func TestEmissionPhases(t *testing.T) {
	var issued uint64
	var phase1, phase2 int
	for {
		e := Emission(issued)
		if e == 0 {
			break
		}
		if issued < HalvingAt {
			phase1++
		} else {
			phase2++
		}
		issued += e
	}
	if phase1 != 100_000 || phase2 != 100_000 || issued != MiningCap {
		t.Errorf("funded windows = %d + %d issuing %d, want 100000 + 100000 issuing %d", phase1, phase2, issued, MiningCap)
	}
}

func TestSplitDivide(t *testing.T) {
	tests := []struct {
		name                 string
		split                Split
		e                    uint64
		miners, vals, treasy uint64
	}{
		{"genesis", DefaultSplit, 70_000_000_000, 50_001_000_000, 19_999_000_000, 0},
		{"halved", DefaultSplit, 35_000_000_000, 25_000_500_000, 9_999_500_000, 0},
		{"dust", DefaultSplit, 1, 0, 1, 0},
		{"treasury", Split{5000, 3000, 2000}, 35_000_000_001, 17_500_000_000, 10_500_000_001, 7_000_000_000},
		{"all miners", Split{10000, 0, 0}, 70_000_000_000, 70_000_000_000, 0, 0},
		{"max", Split{3333, 3333, 3334}, math.MaxUint64, 6148299799767393553, 6148299799767393554, 6150144474174764508},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, v, tr := tt.split.Divide(tt.e)
			if m != tt.miners || v != tt.vals || tr != tt.treasy {
				t.Errorf("Divide(%d) = %d, %d, %d, want %d, %d, %d", tt.e, m, v, tr, tt.miners, tt.vals, tt.treasy)
			}
			if m+v+tr != tt.e {
				t.Errorf("Divide(%d) sums to %d", tt.e, m+v+tr)
			}
		})
	}
}

func TestSplitValidate(t *testing.T) {
	tests := []struct {
		split Split
		want  error
	}{
		{DefaultSplit, nil},
		{Split{10000, 0, 0}, nil},
		{Split{7143, 2856, 0}, ErrBadSplit},
		{Split{7143, 2857, 1}, ErrBadSplit},
		{Split{math.MaxUint64, 10001, 0}, ErrBadSplit},
	}
	for _, tt := range tests {
		if got := tt.split.Validate(); !errors.Is(got, tt.want) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.split, got, tt.want)
		}
	}
}

func sum(w []uint64) uint64 {
	var s uint64
	for _, x := range w {
		s += x
	}
	return s
}

func TestMinerWeights(t *testing.T) {
	tests := []struct {
		name string
		ords []int64
		want []uint64
	}{
		{"one player", []int64{5}, []uint64{1_000_000_000}},
		{"all equal", []int64{7, 7, 7}, []uint64{333_333_334, 333_333_333, 333_333_333}},
		{"two", []int64{-3_000_000_000, 1_000_000_000}, []uint64{0, 1_000_000_000}},
		{"squares", []int64{0, 1, 2}, []uint64{0, 200_000_000, 800_000_000}},
		{"remainder to largest", []int64{0, 1, 1, 1}, []uint64{0, 333_333_334, 333_333_333, 333_333_333}},
		{"extremes", []int64{math.MinInt64, math.MaxInt64, 0}, []uint64{0, 800_000_000, 200_000_000}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MinerWeights(tt.ords)
			if !slices.Equal(got, tt.want) {
				t.Errorf("MinerWeights(%v) = %v, want %v", tt.ords, got, tt.want)
			}
			if len(got) > 0 && sum(got) != PPB {
				t.Errorf("MinerWeights(%v) sums to %d, want %d", tt.ords, sum(got), PPB)
			}
		})
	}
}

func TestWeightsSumProperty(t *testing.T) {
	// A fixed LCG gives many shapes; every one must sum to exactly 1e9.
	s := uint64(1)
	next := func() uint64 {
		s = s*6364136223846793005 + 1442695040888963407
		return s >> 32
	}
	for n := 1; n <= 64; n++ {
		ords := make([]int64, n)
		vs := make([]Stake, n)
		for i := range ords {
			ords[i] = int64(next()) - 1<<31
			vs[i] = Stake{Stake: next()*1_000_003 + 1, Pairs: next()%256 + 1}
		}
		if got := sum(MinerWeights(ords)); got != PPB {
			t.Errorf("sum(MinerWeights(n=%d)) = %d, want %d", n, got, PPB)
		}
		if got := sum(ValidatorWeights(vs)); got != PPB {
			t.Errorf("sum(ValidatorWeights(n=%d)) = %d, want %d", n, got, PPB)
		}
		pay := Payout(GenesisRate+next(), MinerWeights(ords))
		if len(pay) != n {
			t.Fatalf("Payout len = %d, want %d", len(pay), n)
		}
	}
}

func TestValidatorWeights(t *testing.T) {
	tests := []struct {
		name string
		vs   []Stake
		want []uint64
	}{
		{"single", []Stake{{10, 3}}, []uint64{1_000_000_000}},
		{"stake x pairs", []Stake{{10 * Unit, 2}, {20 * Unit, 1}, {5 * Unit, 4}}, []uint64{333_333_334, 333_333_333, 333_333_333}},
		{"proportional", []Stake{{1, 1}, {3, 1}}, []uint64{250_000_000, 750_000_000}},
		{"huge", []Stake{{math.MaxUint64, 256}, {math.MaxUint64, 256}}, []uint64{500_000_000, 500_000_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidatorWeights(tt.vs); !slices.Equal(got, tt.want) {
				t.Errorf("ValidatorWeights(%v) = %v, want %v", tt.vs, got, tt.want)
			}
		})
	}
}

func TestPayout(t *testing.T) {
	tests := []struct {
		name    string
		pool    uint64
		weights []uint64
		want    []uint64
	}{
		{"genesis miners", 50_001_000_000, []uint64{0, 200_000_000, 800_000_000}, []uint64{0, 10_000_200_000, 40_000_800_000}},
		{"dust to largest", 10, []uint64{333_333_333, 333_333_334, 333_333_333}, []uint64{3, 4, 3}},
		{"dust tie lowest", 1, []uint64{500_000_000, 500_000_000}, []uint64{1, 0}},
		{"128-bit product", math.MaxUint64, []uint64{1, 999_999_999}, []uint64{18446744073, 18446744055262807542}},
		{"zero pool", 0, []uint64{1_000_000_000}, []uint64{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Payout(tt.pool, tt.weights)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Payout(%d, %v) = %v, want %v", tt.pool, tt.weights, got, tt.want)
			}
			if sum(got) != tt.pool {
				t.Errorf("Payout(%d, %v) sums to %d", tt.pool, tt.weights, sum(got))
			}
		})
	}
}

func TestPayoutPanicsOnBadWeights(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Payout with weights summing to 1 did not panic")
		}
	}()
	Payout(10, []uint64{1})
}

func TestNormalizeRejectsNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Normalize(-1) did not panic")
		}
	}()
	Normalize([]*big.Int{big.NewInt(-1)})
}
