package model

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math"
	"slices"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"zero is small", Config{}, nil},
		{"small", Small(), nil},
		{"seed10m", Seed10M(), nil},
		{"negative vocab", Config{Vocab: -1}, ErrConfig},
		{"heads do not divide width", Config{Width: 64, Heads: 5}, ErrConfig},
		{"too many layers", Config{Layers: maxLayers + 1}, ErrConfig},
		{"too many params", Config{Vocab: maxVocab, Width: 1024}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate(%+v) = %v, want %v", tt.cfg, err, tt.want)
			}
		})
	}
}

func TestNumParams(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want int
	}{
		// 256·64 + 64·64 + 2·(2·64 + 3·64·64+3·64 + 64·64+64 + 2·64 + 256·64+256 + 64·256+64) + 2·64
		{"small", Small(), 120_576},
		{"zero", Config{}, 120_576},
		// 256·384 + 256·384 + 6·1,774,464 + 768
		{"seed10m", Seed10M(), 10_844_160},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.NumParams(); got != tt.want {
				t.Errorf("NumParams(%+v) = %d, want %d", tt.cfg, got, tt.want)
			}
		})
	}
}

func TestTensorsCoverParams(t *testing.T) {
	m, err := New(gradCheckConfig, 1)
	if err != nil {
		t.Fatal(err)
	}
	off := 0
	for _, ts := range m.Tensors() {
		if ts.Offset != off {
			t.Errorf("tensor %s at offset %d, want %d", ts.Name, ts.Offset, off)
		}
		off += ts.Len()
		s, ok := m.Tensor(ts.Name)
		if !ok || len(s) != ts.Len() || &s[0] != &m.Params()[ts.Offset] {
			t.Errorf("Tensor(%q) does not alias Params()[%d:%d]", ts.Name, ts.Offset, ts.Offset+ts.Len())
		}
	}
	if off != m.NumParams() {
		t.Errorf("tensors cover %d parameters, want %d", off, m.NumParams())
	}
	if _, ok := m.Tensor("nope"); ok {
		t.Errorf("Tensor(%q) found, want not found", "nope")
	}
	if got, want := m.ID(), "gpt-v11-c6-l2-w8-h2-m2"; got != want {
		t.Errorf("ID() = %q, want %q", got, want)
	}
}

func TestInit(t *testing.T) {
	m, err := New(Small(), 42)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := m.Tensor("h.1.ln2.g")
	b, _ := m.Tensor("h.1.mlp.b1")
	w, _ := m.Tensor("wte")
	if g[0] != 1 || b[0] != 0 {
		t.Errorf("LayerNorm gain %v and bias %v, want 1 and 0", g[0], b[0])
	}
	var ss float64
	for _, v := range w {
		ss += float64(v) * float64(v)
	}
	if std := math.Sqrt(ss / float64(len(w))); math.Abs(std-initStd) > 0.001 {
		t.Errorf("wte standard deviation %v, want %v", std, initStd)
	}
	// A fresh model predicts nearly uniformly over the vocabulary.
	l := mustLoss(t, m, [][]int32{{1, 2, 3, 4, 5, 6, 7, 8}})
	if want := math.Log(256); math.Abs(l-want) > 0.05 {
		t.Errorf("initial Loss = %v, want about ln 256 = %v", l, want)
	}
}

func TestDeterminism(t *testing.T) {
	batch := [][]int32{{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, {5, 8, 9, 7, 9}}
	run := func() ([]float32, float64, []float32) {
		m, err := New(Small(), 2026)
		if err != nil {
			t.Fatal(err)
		}
		l, g, err := m.Gradient(batch)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Clone(m.Params()), l, g
	}
	p1, l1, g1 := run()
	p2, l2, g2 := run()
	if !slices.Equal(p1, p2) {
		t.Error("New(Small(), 2026) gives different parameters on two calls")
	}
	if math.Float64bits(l1) != math.Float64bits(l2) {
		t.Errorf("Loss = %v then %v, want identical bits", l1, l2)
	}
	if !slices.Equal(g1, g2) {
		t.Error("Gradient differs between two identical models")
	}
	fresh, _ := New(Small(), 2026)
	if !slices.Equal(p1, fresh.Params()) {
		t.Error("Gradient changed the parameters")
	}
	other, err := New(Small(), 2027)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(p1, other.Params()) {
		t.Error("seeds 2026 and 2027 give the same parameters")
	}

	// Reusing one model (and its scratch buffers) across different batch
	// shapes changes nothing.
	m, _ := New(Small(), 2026)
	mustLoss(t, m, [][]int32{{1, 2}, {3, 4, 5}, {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}})
	g := make([]float32, m.NumParams())
	if _, err := m.LossAndGrad([][]int32{{9, 9, 9}}, g); err != nil {
		t.Fatal(err)
	}
	l3, err := m.LossAndGrad(batch, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Float64bits(l3) != math.Float64bits(l1) || !slices.Equal(g, g1) {
		t.Errorf("LossAndGrad after other batches = %v, want %v with the same gradient", l3, l1)
	}
	if l4 := mustLoss(t, m, batch); math.Float64bits(l4) != math.Float64bits(l1) {
		t.Errorf("Loss = %v, LossAndGrad gave %v; want identical bits", l4, l1)
	}
}

func TestCloneIsIndependent(t *testing.T) {
	m, _ := New(gradCheckConfig, 3)
	c := m.Clone()
	if !slices.Equal(m.Params(), c.Params()) || m.ID() != c.ID() {
		t.Fatal("Clone differs from the original")
	}
	c.Params()[0]++
	if m.Params()[0] == c.Params()[0] {
		t.Error("writing to the clone changed the original")
	}
}

func TestBatchErrors(t *testing.T) {
	m, err := New(gradCheckConfig, 1) // vocab 11, context 6
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		batch [][]int32
	}{
		{"no rows", nil},
		{"short row", [][]int32{{1, 2}, {3}}},
		{"long row", [][]int32{{1, 2, 3, 4, 5, 6, 7, 8}}},
		{"token too large", [][]int32{{1, 11}}},
		{"negative token", [][]int32{{-1, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := m.Loss(tt.batch); !errors.Is(err, ErrBatch) {
				t.Errorf("Loss(%v) error = %v, want %v", tt.batch, err, ErrBatch)
			}
			g := make([]float32, m.NumParams())
			g[0] = 5
			if _, err := m.LossAndGrad(tt.batch, g); !errors.Is(err, ErrBatch) || g[0] != 5 {
				t.Errorf("LossAndGrad(%v) error = %v, grad[0] = %v; want %v and unchanged 5", tt.batch, err, g[0], ErrBatch)
			}
		})
	}
	if _, err := m.LossAndGrad([][]int32{{1, 2}}, make([]float32, 3)); !errors.Is(err, ErrLength) {
		t.Errorf("LossAndGrad(short grad) error = %v, want %v", err, ErrLength)
	}
	// The longest legal row works.
	if _, err := m.Loss([][]int32{{1, 2, 3, 4, 5, 6, 7}}); err != nil {
		t.Errorf("Loss(row of Context+1) = %v, want nil", err)
	}
}

func TestSetParams(t *testing.T) {
	m, _ := New(gradCheckConfig, 1)
	if err := m.SetParams(make([]float32, m.NumParams()-1)); !errors.Is(err, ErrLength) {
		t.Errorf("SetParams(short) = %v, want %v", err, ErrLength)
	}
	p := make([]float32, m.NumParams())
	for i := range p {
		p[i] = float32(i)
	}
	if err := m.SetParams(p); err != nil {
		t.Fatal(err)
	}
	p[0] = -1
	if m.Params()[0] != 0 || m.Params()[5] != 5 {
		t.Error("SetParams did not copy its argument")
	}
}

// TestTrainingReducesLoss overfits one repeated sequence with AdamW.
func TestTrainingReducesLoss(t *testing.T) {
	m, err := New(Config{Vocab: 32, Context: 16, Layers: 2, Width: 32, Heads: 4}, 5)
	if err != nil {
		t.Fatal(err)
	}
	seq := []int32{1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 4, 8, 12, 16, 1}
	batch := [][]int32{seq, seq[4:], seq[8:]}
	opt, err := NewAdamW(m.NumParams(), AdamWConfig{LR: 1e-2, WeightDecay: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float32, m.NumParams())
	first, err := m.LossAndGrad(batch, grad)
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		if err := opt.Step(m.Params(), grad); err != nil {
			t.Fatal(err)
		}
		if _, err := m.LossAndGrad(batch, grad); err != nil {
			t.Fatal(err)
		}
	}
	last := mustLoss(t, m, batch)
	if last > first/4 {
		t.Errorf("loss after 40 AdamW steps = %v, want below a quarter of the initial %v", last, first)
	}
	if opt.Steps() != 40 {
		t.Errorf("Steps() = %d, want 40", opt.Steps())
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m, err := New(gradCheckConfig, 11)
	if err != nil {
		t.Fatal(err)
	}
	roughen(m, 12)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.Len(), headerSize+4*m.NumParams(); got != want {
		t.Fatalf("Save wrote %d bytes, want %d", got, want)
	}
	if got, want := m.Hash(), sha256.Sum256(buf.Bytes()); got != want {
		t.Errorf("Hash() = %x, want SHA-256 of the saved bytes %x", got, want)
	}
	if !bytes.Equal(buf.Bytes()[headerSize:], m.CheckpointBody()) {
		t.Error("saved parameters differ from CheckpointBody()")
	}
	saved := slices.Clone(buf.Bytes())
	l, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config() != m.Config() || !slices.Equal(l.Params(), m.Params()) {
		t.Fatal("Load(Save(m)) differs from m")
	}
	if l.Hash() != m.Hash() {
		t.Error("loaded model hashes differently")
	}
	batch := gradCheckBatch()
	if a, b := mustLoss(t, m, batch), mustLoss(t, l, batch); math.Float64bits(a) != math.Float64bits(b) {
		t.Errorf("Loss of loaded model = %v, want %v", b, a)
	}

	// Body round trip, and the hash follows the parameters.
	c, _ := New(gradCheckConfig, 99)
	if err := c.LoadCheckpointBody(m.CheckpointBody()); err != nil {
		t.Fatal(err)
	}
	if c.Hash() != m.Hash() {
		t.Error("LoadCheckpointBody(m.CheckpointBody()) hashes differently from m")
	}
	if err := c.LoadCheckpointBody(saved); !errors.Is(err, ErrLength) {
		t.Errorf("LoadCheckpointBody(wrong length) = %v, want %v", err, ErrLength)
	}
	c.Params()[3] += 1e-3
	if c.Hash() == m.Hash() {
		t.Error("Hash unchanged after a parameter changed")
	}
}

// TestHashGolden pins the saved bytes of a seeded Small model: a change to
// initialization, layout or format shows up here.
func TestHashGolden(t *testing.T) {
	m, err := New(Small(), 1)
	if err != nil {
		t.Fatal(err)
	}
	const want = "ae393408dceeb643d9e9f96a855132d878acb74bb638bc55165cfc3d0e896829"
	if got := hexString(m.Hash()); got != want {
		t.Errorf("New(Small(), 1).Hash() = %s, want %s", got, want)
	}
}

func hexString(b [32]byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 64)
	for i, v := range b {
		out[2*i], out[2*i+1] = digits[v>>4], digits[v&15]
	}
	return string(out)
}

func TestLoadErrors(t *testing.T) {
	m, _ := New(gradCheckConfig, 1)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	mutate := func(f func(b []byte) []byte) []byte { return f(slices.Clone(good)) }
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"short header", good[:10], ErrFormat},
		{"magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), ErrFormat},
		{"version", mutate(func(b []byte) []byte { b[4] = 2; return b }), ErrFormat},
		{"reserved", mutate(func(b []byte) []byte { b[6] = 1; return b }), ErrFormat},
		{"zero field", mutate(func(b []byte) []byte { clear(b[8:12]); return b }), ErrConfig},
		{"heads", mutate(func(b []byte) []byte { b[24] = 3; return b }), ErrConfig},
		{"count", mutate(func(b []byte) []byte { b[32]++; return b }), ErrFormat},
		{"truncated body", good[:len(good)-1], ErrFormat},
		{"huge model, short body", mutate(func(b []byte) []byte {
			b[20], b[21] = 0, 8 // width 2048
			n := Config{Vocab: 11, Context: 6, Layers: 2, Width: 2048, Heads: 2, MLPRatio: 2}.numParams()
			b[32], b[33], b[34], b[35] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
			return b
		}), ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(bytes.NewReader(tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("Load(%s) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	m, _ := New(Config{Vocab: 3, Context: 2, Layers: 1, Width: 2, Heads: 1, MLPRatio: 1}, 1)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("VHTM"))
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := Load(bytes.NewReader(in))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := l.Save(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), in[:out.Len()]) {
			t.Errorf("Save(Load(in)) differs from the bytes it was loaded from")
		}
	})
}

// TestSteadyStateAllocs checks that scratch buffers are reused: once a batch
// shape has been seen, Loss and LossAndGrad allocate nothing.
func TestSteadyStateAllocs(t *testing.T) {
	m, _ := New(gradCheckConfig, 1)
	batch := gradCheckBatch()
	grad := make([]float32, m.NumParams())
	if _, err := m.LossAndGrad(batch, grad); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"Loss", func() { _, _ = m.Loss(batch) }},
		{"LossAndGrad", func() { _, _ = m.LossAndGrad(batch, grad) }},
		{"smaller batch", func() { _, _ = m.LossAndGrad(batch[1:], grad) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(5, tt.f); n != 0 {
				t.Errorf("%s allocates %v times per call, want 0", tt.name, n)
			}
		})
	}
}
