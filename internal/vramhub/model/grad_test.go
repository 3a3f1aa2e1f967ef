package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gradCheckConfig is small enough for many finite-difference evaluations and
// still has two blocks, several heads and an MLP wider than the stream.
var gradCheckConfig = Config{Vocab: 11, Context: 6, Layers: 2, Width: 8, Heads: 2, MLPRatio: 2}

// roughen replaces every parameter with a draw of standard deviation 0.4
// around its init (LayerNorm gains stay near 1, biases become nonzero), so
// gradients are far from the finite-difference noise floor and no path is
// trivially zero.
func roughen(m *Model, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range m.params {
		m.params[i] += float32(rng.NormFloat64() * 0.4)
	}
}

func gradCheckBatch() [][]int32 {
	return [][]int32{
		{1, 4, 9, 2, 10, 0, 3},
		{7, 7, 5, 1, 8},
		{2, 6},
	}
}

func mustLoss(t *testing.T, m *Model, b [][]int32) float64 {
	t.Helper()
	l, err := m.Loss(b)
	if err != nil {
		t.Fatalf("Loss: %v", err)
	}
	return l
}

// TestGradientFiniteDifference compares the analytic gradient with central
// differences: per element for a sample of every tensor, and along a random
// direction within every tensor (which sums many elements and so checks
// the tensor as a whole well above float32 noise).
func TestGradientFiniteDifference(t *testing.T) {
	m, err := New(gradCheckConfig, 7)
	if err != nil {
		t.Fatal(err)
	}
	roughen(m, 8)
	batch := gradCheckBatch()
	_, grad, err := m.Gradient(batch)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	const h = 1e-2
	// lossAt evaluates the loss with params[i] moved by delta and returns the
	// loss and the step actually taken in float32.
	lossAt := func(i int, delta float64) (float64, float64) {
		old := m.params[i]
		m.params[i] = float32(float64(old) + delta)
		step := float64(m.params[i]) - float64(old)
		l := mustLoss(t, m, batch)
		m.params[i] = old
		return l, step
	}
	for _, ts := range m.Tensors() {
		t.Run(ts.Name, func(t *testing.T) {
			// Element-wise on a sample.
			for range 6 {
				i := ts.Offset + rng.IntN(ts.Len())
				lp, sp := lossAt(i, h)
				lm, sm := lossAt(i, -h)
				num := (lp - lm) / (sp - sm)
				ana := float64(grad[i])
				tol := 1e-2*max(math.Abs(num), math.Abs(ana)) + 1e-5
				if math.Abs(num-ana) > tol {
					t.Errorf("grad[%d] = %.6g, finite difference %.6g (tolerance %.2g)", i, ana, num, tol)
				}
			}
			// Directional derivative over the whole tensor.
			const eps = 1e-2
			dir := make([]float64, ts.Len())
			var norm float64
			for j := range dir {
				dir[j] = rng.NormFloat64()
				norm += dir[j] * dir[j]
			}
			for j := range dir {
				dir[j] /= math.Sqrt(norm) // a unit step, so third-order terms stay small
			}
			seg := m.params[ts.Offset : ts.Offset+ts.Len()]
			old := append([]float32(nil), seg...)
			move := func(sign float64) (float64, []float64) {
				steps := make([]float64, len(seg))
				for j := range seg {
					seg[j] = float32(float64(old[j]) + sign*eps*dir[j])
					steps[j] = float64(seg[j]) - float64(old[j])
				}
				l := mustLoss(t, m, batch)
				copy(seg, old)
				return l, steps
			}
			lp, sp := move(1)
			lm, sm := move(-1)
			var pred float64
			for j := range seg {
				pred += float64(grad[ts.Offset+j]) * (sp[j] - sm[j])
			}
			diff := lp - lm
			if tol := 1e-2*max(math.Abs(diff), math.Abs(pred)) + 1e-6; math.Abs(diff-pred) > tol {
				t.Errorf("directional: loss change %.6g, gradient predicts %.6g (tolerance %.2g)", diff, pred, tol)
			}
		})
	}
}
