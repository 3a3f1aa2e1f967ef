package compress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticGradient builds a gradient-like vector: per 8192-entry "tensor" a
// smooth low-frequency component, Gaussian noise with a heavy tail, and a
// per-tensor scale, all small in magnitude like real gradients.
func syntheticGradient(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	g := make([]float32, n)
	const tensor = 8192
	for start := 0; start < n; start += tensor {
		scale := 1e-3 * math.Exp(rng.NormFloat64())
		f1, f2 := rng.Float64()*8, rng.Float64()*40
		p1, p2 := rng.Float64()*math.Pi, rng.Float64()*math.Pi
		for i := start; i < min(start+tensor, n); i++ {
			x := float64(i-start) / tensor
			v := math.Sin(2*math.Pi*f1*x+p1) + 0.5*math.Sin(2*math.Pi*f2*x+p2)
			noise := rng.NormFloat64() * 0.3
			if rng.IntN(200) == 0 {
				noise *= 10
			}
			g[i] = float32(scale * (v + noise))
		}
	}
	return g
}

// BenchmarkCompress reports, for one stage-2 step on a fresh compressor,
// the compression ratio (dense f32 bytes / message bytes) and the relative
// L2 reconstruction error ‖g − decoded‖/‖g‖, alongside encode throughput.
func BenchmarkCompress(b *testing.B) {
	const n = 1 << 20
	dense := syntheticGradient(n, 1)
	sparse := Sparsify(dense)
	for _, bc := range []struct {
		input string
		g     []float32
		cfg   Config
	}{
		{"dense", dense, Config{}},
		{"dense", dense, Config{TopK: 256}},
		{"dense", dense, Config{DisableDCT: true}},
		{"stage1", sparse, Config{}},
		{"stage1", sparse, Config{DisableDCT: true}},
	} {
		name := fmt.Sprintf("input=%s/topk=%d/dct=%v", bc.input, max(bc.cfg.TopK, DefaultTopK), !bc.cfg.DisableDCT)
		b.Run(name, func(b *testing.B) {
			c, err := New(n, bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			first, err := c.Compress(bc.g)
			if err != nil {
				b.Fatal(err)
			}
			ratio := float64(4*n) / float64(len(first.Message))
			rel := relL2(bc.g, first.Sent)
			b.SetBytes(4 * n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Compress(bc.g); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(ratio, "ratio")
			b.ReportMetric(rel, "rel_l2_err")
		})
	}
}

// BenchmarkDecompress measures decoding a default stage-2 message.
func BenchmarkDecompress(b *testing.B) {
	const n = 1 << 20
	c, _ := New(n, Config{})
	res, err := c.Compress(syntheticGradient(n, 2))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 * n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decompress(res.Message, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDCT compares the fast transform with the direct definition.
func BenchmarkDCT(b *testing.B) {
	for _, n := range []int{4096, 4000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i))
		}
		b.Run(fmt.Sprintf("fast/n=%d", n), func(b *testing.B) {
			p := newDCTPlan(n)
			for b.Loop() {
				p.forward(x)
			}
		})
	}
	b.Run("direct/n=512", func(b *testing.B) {
		x := make([]float64, 512)
		for b.Loop() {
			dctDirect(x)
		}
	})
}
