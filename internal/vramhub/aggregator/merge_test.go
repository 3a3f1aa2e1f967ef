package aggregator

import (
	"math"
	"testing"
)

func TestMergeClipsToMedian(t *testing.T) {
	// Norms 1, 2 and 100: median 2, so the outlier is scaled to norm 2 and
	// the unit gradient is kept as is.
	grads := [][]float32{{1, 0}, {0, 2}, {100, 0}}
	got := Merge(grads)
	want := []float64{(1 + 2) / 3.0, 2 / 3.0}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1e-6 {
			t.Fatalf("Merge = %v, want %v", got, want)
		}
	}
	// Even count: median is the mean of the two middle norms (3, 5 → 4).
	got = Merge([][]float32{{3}, {5}, {1}, {100}})
	wantEven := (3 + 4 + 1 + 4) / 4.0
	if math.Abs(float64(got[0])-wantEven) > 1e-6 {
		t.Fatalf("Merge(even) = %v, want %v", got[0], wantEven)
	}
}
