package compress

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// naiveTopK sorts all indices by (magnitude desc, index asc), NaN lowest.
func naiveTopK(v []float64, k int) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	mag := func(i int) float64 {
		m := math.Abs(v[i])
		if m != m {
			return -1
		}
		return m
	}
	sort.SliceStable(idx, func(a, b int) bool { return mag(idx[a]) > mag(idx[b]) })
	k = min(max(k, 0), len(v))
	out := slices.Clone(idx[:k])
	slices.Sort(out)
	return out
}

func TestTopKMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		n := 1 + rng.IntN(60)
		v := make([]float64, n)
		for i := range v {
			// Few distinct magnitudes and both signs force many ties.
			v[i] = float64(rng.IntN(5)-2) * 0.5
			if rng.IntN(20) == 0 {
				v[i] = math.NaN()
			}
		}
		k := rng.IntN(n + 2)
		got := topKIndices(n, k, func(i int) float64 { return v[i] })
		want := naiveTopK(v, k)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: topKIndices(%v, %d) = %v, want %v", trial, v, k, got, want)
		}
	}
}

func TestStage1Count(t *testing.T) {
	tests := []struct{ n, want int }{{0, 0}, {1, 1}, {999, 1}, {1000, 1}, {1999, 1}, {2000, 2}, {124_000_000, 124_000}}
	for _, tt := range tests {
		if got := Stage1Count(tt.n); got != tt.want {
			t.Errorf("Stage1Count(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestSparsify(t *testing.T) {
	g := make([]float32, 3000)
	g[10], g[20], g[30], g[2999] = -5, 5, 1, 7
	got := Sparsify(g) // keeps 3: 7 at 2999, then -5 at 10 and 5 at 20 (tie, both kept)
	want := make([]float32, 3000)
	want[10], want[20], want[2999] = -5, 5, 7
	if !slices.Equal(got, want) {
		t.Errorf("Sparsify kept %v", nonzero(got))
	}
	g2 := []float32{2, -2, 2, float32(math.NaN())}
	if got := SparsifyTopK(g2, 2); !slices.Equal(got, []float32{2, -2, 0, 0}) {
		t.Errorf("SparsifyTopK(%v, 2) = %v, want [2 -2 0 0]", g2, got)
	}
	if got := Sparsify([]float32{0.5}); !slices.Equal(got, []float32{0.5}) {
		t.Errorf("Sparsify([0.5]) = %v, want [0.5]", got)
	}
}

func nonzero(v []float32) map[int]float32 {
	m := map[int]float32{}
	for i, x := range v {
		if x != 0 {
			m[i] = x
		}
	}
	return m
}

func relL2(a, b []float32) float64 {
	var num, den float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		num += d * d
		den += float64(a[i]) * float64(a[i])
	}
	return math.Sqrt(num / den)
}

func TestCompressKeepAllIsQuantisationOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct{ n, chunk int }{{100, 4096}, {1000, 64}, {1000, 100}, {777, 0}} {
		t.Run(fmt.Sprintf("n=%d/chunk=%d", tc.n, tc.chunk), func(t *testing.T) {
			g := make([]float32, tc.n)
			for i := range g {
				g[i] = float32(rng.NormFloat64())
			}
			cfg := Config{DisableMomentum: true, ChunkSize: tc.chunk, TopK: 1 << 20}
			c, err := New(tc.n, cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Compress(g)
			if err != nil {
				t.Fatal(err)
			}
			// Orthonormal transform: ‖g − t‖ = ‖X − q(X)‖ ≤ 2^-11‖X‖ + f32 rounding.
			if e := relL2(g, res.Sent); e > 5.2e-4 {
				t.Errorf("relL2(g, Sent) = %g, want ≤ 5.2e-4", e)
			}
			for i := range g {
				if d := math.Abs(float64(g[i] - res.Sent[i])); d > 5e-3 {
					t.Errorf("|g - Sent|[%d] = %g, want ≤ 5e-3", i, d)
				}
			}
		})
	}
}

func TestCompressLowFrequencySignal(t *testing.T) {
	// Each chunk holds a sum of 3 DCT basis vectors, so K = 4 captures it.
	const n, chunk = 4096 + 1000, 1024
	g := make([]float32, n)
	for i := range g {
		pos := i % chunk
		for _, k := range []int{0, 3, 17} {
			g[i] += float32(0.01 * float64(k+1) * math.Cos(math.Pi*float64((2*pos+1)*k)/float64(2*chunk)))
		}
	}
	// The last chunk is zero-padded, so it is no longer exactly 3-sparse;
	// compare only the full chunks.
	c, err := New(n, Config{DisableMomentum: true, ChunkSize: chunk, TopK: 4})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Compress(g)
	if err != nil {
		t.Fatal(err)
	}
	full := 4 * chunk
	if e := relL2(g[:full], res.Sent[:full]); e > 1e-3 {
		t.Errorf("relL2 over full chunks = %g, want ≤ 1e-3", e)
	}
	m, _ := Decode(res.Message)
	if len(m.Indices) > 4*5 {
		t.Errorf("k = %d, want ≤ 20", len(m.Indices))
	}
	wantBytes := HeaderSize + 6*len(m.Indices)
	if len(res.Message) != wantBytes {
		t.Errorf("len(Message) = %d, want %d", len(res.Message), wantBytes)
	}
}

func TestCompressSentMatchesDecompress(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, cfg := range []Config{{}, {DisableDCT: true}, {ChunkSize: 100, TopK: 5}, {ChunkSize: 3, TopK: 3}} {
		t.Run(fmt.Sprintf("%+v", cfg), func(t *testing.T) {
			const n = 5000
			c, err := New(n, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for step := range 3 {
				g := make([]float32, n)
				for i := range g {
					g[i] = float32(rng.NormFloat64() * 1e-3)
				}
				before := c.Residual()
				res, err := c.Compress(g)
				if err != nil {
					t.Fatal(err)
				}
				d, err := Decompress(res.Message, n)
				if err != nil {
					t.Fatalf("step %d: Decompress error %v", step, err)
				}
				for i := range d {
					if math.Float32bits(d[i]) != math.Float32bits(res.Sent[i]) {
						t.Fatalf("step %d: Decompress[%d] = %v, Sent %v", step, i, d[i], res.Sent[i])
					}
				}
				after := c.Residual()
				gamma := float64(c.Config().Gamma)
				for i := range after {
					e := float32(float64(gamma*float64(before[i])) + float64(g[i]))
					if want := e - res.Sent[i]; after[i] != want {
						t.Fatalf("step %d: residual[%d] = %v, want %v", step, i, after[i], want)
					}
				}
				m, _ := Decode(res.Message)
				if cfg.DisableDCT && m.ChunkSize != 0 {
					t.Errorf("ChunkSize = %d, want 0 with DCT off", m.ChunkSize)
				}
			}
		})
	}
}

func TestErrorFeedbackConserves(t *testing.T) {
	// With γ = 1 nothing decays: Σ sent + residual = Σ g (up to f32 rounding).
	rng := rand.New(rand.NewPCG(13, 14))
	const n = 2000
	c, err := New(n, Config{Gamma: 1, ChunkSize: 256, TopK: 8})
	if err != nil {
		t.Fatal(err)
	}
	sumG := make([]float64, n)
	sumSent := make([]float64, n)
	for range 20 {
		g := make([]float32, n)
		for i := range g {
			g[i] = float32(rng.NormFloat64())
			sumG[i] += float64(g[i])
		}
		res, err := c.Compress(g)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range res.Sent {
			sumSent[i] += float64(v)
		}
	}
	r := c.Residual()
	for i := range n {
		if d := math.Abs(sumSent[i] + float64(r[i]) - sumG[i]); d > 1e-4 {
			t.Fatalf("Σsent+residual-Σg at %d = %g, want ≈ 0", i, d)
		}
	}
}

func TestCompressNonFiniteAndDeterminism(t *testing.T) {
	g := []float32{1, float32(math.NaN()), float32(math.Inf(1)), -2, 0.25}
	a, _ := New(len(g), Config{})
	b, _ := New(len(g), Config{})
	ra, err := a.Compress(g)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := b.Compress(g)
	if ra.NonFinite != 2 {
		t.Errorf("NonFinite = %d, want 2", ra.NonFinite)
	}
	if !bytes.Equal(ra.Message, rb.Message) {
		t.Errorf("Compress not deterministic: %x vs %x", ra.Message, rb.Message)
	}
	m, _ := Decode(ra.Message)
	if m.ChunkSize != 5 || m.TotalLen != 5 {
		t.Errorf("header N=%d C=%d, want N=5 C=5 (chunk clamped to N)", m.TotalLen, m.ChunkSize)
	}
	for i, v := range ra.Sent {
		if v != v {
			t.Errorf("Sent[%d] = NaN", i)
		}
	}
	a.Reset()
	if r := a.Residual(); slices.ContainsFunc(r, func(x float32) bool { return x != 0 }) {
		t.Errorf("Residual after Reset = %v, want zeros", r)
	}
}

func TestCompressZeroGradient(t *testing.T) {
	c, _ := New(10, Config{})
	res, err := c.Compress(make([]float32, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Message) != HeaderSize {
		t.Errorf("len(Message) = %d, want %d (k = 0)", len(res.Message), HeaderSize)
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		n    int
		cfg  Config
	}{
		{"zero length", 0, Config{}},
		{"negative gamma", 5, Config{Gamma: -1}},
		{"nan eta", 5, Config{Eta: math.NaN()}},
		{"negative chunk", 5, Config{ChunkSize: -1}},
		{"negative topk", 5, Config{TopK: -3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.n, tt.cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("New(%d, %+v) = %v, want %v", tt.n, tt.cfg, err, ErrConfig)
			}
		})
	}
	c, _ := New(4, Config{})
	if _, err := c.Compress(make([]float32, 3)); !errors.Is(err, ErrGradientLen) {
		t.Errorf("Compress(len 3) = %v, want %v", err, ErrGradientLen)
	}
}
