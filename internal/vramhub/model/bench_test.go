package model

import (
	"math/rand/v2"
	"testing"
)

// benchBatch returns rows×(length) random tokens below vocab.
func benchBatch(rows, length, vocab int) [][]int32 {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([][]int32, rows)
	for r := range b {
		b[r] = make([]int32, length)
		for j := range b[r] {
			b[r][j] = int32(rng.IntN(vocab))
		}
	}
	return b
}

// The demo batch: 8 rows of 65 tokens (64 inputs and targets each) on the
// Small configuration.
func smallBench(b *testing.B) (*Model, [][]int32) {
	m, err := New(Small(), 1)
	if err != nil {
		b.Fatal(err)
	}
	return m, benchBatch(8, Small().Context+1, Small().Vocab)
}

func BenchmarkLossSmall(b *testing.B) {
	m, batch := smallBench(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Loss(batch); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLossAndGradSmall(b *testing.B) {
	m, batch := smallBench(b)
	grad := make([]float32, m.NumParams())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.LossAndGrad(batch, grad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdamWStepSmall(b *testing.B) {
	m, _ := smallBench(b)
	o, err := NewAdamW(m.NumParams(), AdamWConfig{})
	if err != nil {
		b.Fatal(err)
	}
	grad := make([]float32, m.NumParams())
	for i := range grad {
		grad[i] = 1e-3
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := o.Step(m.Params(), grad); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLossAndGradSeed10M is one step of the 10M-parameter shape on 4
// rows of 257 tokens.
func BenchmarkLossAndGradSeed10M(b *testing.B) {
	if testing.Short() {
		b.Skip("slow")
	}
	m, err := New(Seed10M(), 1)
	if err != nil {
		b.Fatal(err)
	}
	batch := benchBatch(4, Seed10M().Context+1, Seed10M().Vocab)
	grad := make([]float32, m.NumParams())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.LossAndGrad(batch, grad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGemmNT(b *testing.B) {
	for _, s := range []struct{ m, n, k int }{{512, 192, 64}, {512, 256, 64}, {64, 64, 512}} {
		a := make([]float32, s.m*s.k)
		bb := make([]float32, s.n*s.k)
		c := make([]float32, s.m*s.n)
		b.Run(fmtShape(s.m, s.n, s.k), func(b *testing.B) {
			b.SetBytes(int64(2 * s.m * s.n * s.k)) // reported MB/s = MFLOP/s
			for b.Loop() {
				gemmNT(c, a, bb, s.m, s.n, s.k)
			}
		})
	}
}

func fmtShape(m, n, k int) string {
	return "m=" + itoa(m) + "/n=" + itoa(n) + "/k=" + itoa(k)
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}
