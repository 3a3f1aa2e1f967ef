package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGemmNTMatchesNaive checks the blocked kernel against a plain triple
// loop with the same summation order; the results must be bit-identical,
// including the edge rows and columns the blocking leaves over.
func TestGemmNTMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range []struct{ m, n, k int }{{1, 1, 1}, {2, 4, 3}, {3, 5, 7}, {5, 9, 16}, {8, 8, 1}, {0, 3, 2}} {
		t.Run(fmt.Sprintf("m=%d/n=%d/k=%d", s.m, s.n, s.k), func(t *testing.T) {
			a := randSlice(rng, s.m*s.k)
			b := randSlice(rng, s.n*s.k)
			c := randSlice(rng, s.m*s.n)
			want := slices.Clone(c)
			for i := range s.m {
				for j := range s.n {
					var sum float32
					for p := range s.k {
						sum += float32(a[i*s.k+p] * b[j*s.k+p])
					}
					want[i*s.n+j] += sum
				}
			}
			gemmNT(c, a, b, s.m, s.n, s.k)
			if !slices.Equal(c, want) {
				t.Errorf("gemmNT = %v, want %v", c, want)
			}
		})
	}
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// TestCausalAndRowIndependent checks that the logits at a position depend
// only on the tokens at or before it in the same row: a row's prefix, alone
// or beside other rows, yields bit-identical logits for its positions.
func TestCausalAndRowIndependent(t *testing.T) {
	m, err := New(gradCheckConfig, 21)
	if err != nil {
		t.Fatal(err)
	}
	roughen(m, 22)
	v := m.Config().Vocab
	logitsOf := func(batch [][]int32, start, n int) []float32 {
		if err := m.prepare(batch); err != nil {
			t.Fatal(err)
		}
		m.forward()
		return slices.Clone(m.ws.logits[start*v : (start+n)*v])
	}
	full := []int32{3, 1, 4, 1, 5, 9, 2}
	prefix := full[:4] // 3 input positions
	want := logitsOf([][]int32{prefix}, 0, 3)
	tests := []struct {
		name  string
		batch [][]int32
		start int // flat position of the row's first input
	}{
		{"longer row", [][]int32{full}, 0},
		{"other suffix", [][]int32{{3, 1, 4, 8, 8, 8, 8}}, 0},
		{"after another row", [][]int32{{7, 7, 7, 7, 7}, full}, 4},
		{"before another row", [][]int32{full, {2, 2}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := logitsOf(tt.batch, tt.start, 3); !slices.Equal(got, want) {
				t.Errorf("logits of the first 3 positions differ from the prefix alone")
			}
		})
	}
}
