package compress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDCTMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 64, 100, 257, 1000, 1024} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			want := dctDirect(x)
			got := append([]float64(nil), x...)
			p := newDCTPlan(n)
			p.forward(got)
			for k := range n {
				if d := math.Abs(got[k] - want[k]); d > 1e-9 {
					t.Fatalf("forward(x)[%d] = %v, want %v (diff %g)", k, got[k], want[k], d)
				}
			}
			wantInv := idctDirect(want)
			p.inverse(got)
			for i := range n {
				if d := math.Abs(got[i] - x[i]); d > 1e-9 {
					t.Fatalf("inverse(forward(x))[%d] = %v, want %v", i, got[i], x[i])
				}
				if d := math.Abs(wantInv[i] - x[i]); d > 1e-9 {
					t.Fatalf("idctDirect(dctDirect(x))[%d] = %v, want %v", i, wantInv[i], x[i])
				}
			}
		})
	}
}

func TestDCTLargeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{4096, 3000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		y := append([]float64(nil), x...)
		p := newDCTPlan(n)
		p.forward(y)
		// Spot-check a few coefficients against the definition.
		for _, k := range []int{0, 1, n / 3, n - 1} {
			var s float64
			for i, v := range x {
				s += v * math.Cos(math.Pi*float64((2*i+1)*k)/float64(2*n))
			}
			a := math.Sqrt(2 / float64(n))
			if k == 0 {
				a = math.Sqrt(1 / float64(n))
			}
			if d := math.Abs(a*s - y[k]); d > 1e-9 {
				t.Errorf("n=%d forward[%d] = %v, want %v", n, k, y[k], a*s)
			}
		}
		p.inverse(y)
		for i := range n {
			if d := math.Abs(y[i] - x[i]); d > 1e-9 {
				t.Fatalf("n=%d inverse(forward(x))[%d] = %v, want %v", n, i, y[i], x[i])
			}
		}
	}
}
