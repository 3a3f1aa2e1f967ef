package minilm

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type tinyModel struct {
	cfg     Config
	tensors map[string][]float64
	shapes  map[string][]int
}

// newTiny builds a random BERT with the real layout at a small size.
func newTiny(seed uint64) *tinyModel {
	cfg := Config{HiddenSize: 32, NumLayers: 2, NumHeads: 4, IntermediateSize: 64, HiddenAct: "gelu",
		LayerNormEps: 1e-12, MaxPositions: 64, VocabSize: 40, TypeVocabSize: 2}
	r := rand.New(rand.NewPCG(seed, 1))
	tm := &tinyModel{cfg: cfg, tensors: map[string][]float64{}, shapes: map[string][]int{}}
	add := func(name string, scale, centre float64, shape ...int) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = centre + scale*r.NormFloat64()
		}
		tm.tensors[name], tm.shapes[name] = v, shape
	}
	h, in := cfg.HiddenSize, cfg.IntermediateSize
	add("embeddings.word_embeddings.weight", 0.5, 0, cfg.VocabSize, h)
	add("embeddings.position_embeddings.weight", 0.1, 0, cfg.MaxPositions, h)
	add("embeddings.token_type_embeddings.weight", 0.1, 0, 2, h)
	add("embeddings.LayerNorm.weight", 0.1, 1, h)
	add("embeddings.LayerNorm.bias", 0.1, 0, h)
	for l := range cfg.NumLayers {
		p := fmt.Sprintf("encoder.layer.%d.", l)
		for _, n := range []string{"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"} {
			add(p+n+".weight", 0.2, 0, h, h)
			add(p+n+".bias", 0.05, 0, h)
		}
		add(p+"intermediate.dense.weight", 0.2, 0, in, h)
		add(p+"intermediate.dense.bias", 0.05, 0, in)
		add(p+"output.dense.weight", 0.2, 0, h, in)
		add(p+"output.dense.bias", 0.05, 0, h)
		for _, n := range []string{"attention.output.LayerNorm", "output.LayerNorm"} {
			add(p+n+".weight", 0.1, 1, h)
			add(p+n+".bias", 0.1, 0, h)
		}
	}
	return tm
}

// write stores the model as config.json, model.safetensors (with a
// "bert." prefix, as some checkpoints have) and a small tokenizer.json.
func (tm *tinyModel) write(dir string) {
	cb, _ := json.Marshal(tm.cfg)
	os.WriteFile(filepath.Join(dir, "config.json"), cb, 0o644)
	names := make([]string, 0, len(tm.tensors))
	for n := range tm.tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var data []byte
	for _, n := range names {
		start := len(data)
		for _, f := range tm.tensors[n] {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(f)))
		}
		header["bert."+n] = map[string]any{"dtype": "F32", "shape": tm.shapes[n], "data_offsets": []int{start, len(data)}}
	}
	hb, _ := json.Marshal(header)
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(hb)))
	file = append(append(file, hb...), data...)
	os.WriteFile(filepath.Join(dir, "model.safetensors"), file, 0o644)
	vocab := map[string]int32{"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
	for i, w := range []string{"the", "cat", "sat", "on", "mat", "##s", "a", "dog", ",", "."} {
		vocab[w] = int32(4 + i)
	}
	tj := map[string]any{
		"normalizer":    map[string]any{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": nil, "lowercase": true},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"model":         map[string]any{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab},
	}
	tb, _ := json.Marshal(tj)
	os.WriteFile(filepath.Join(dir, "tokenizer.json"), tb, 0o644)
}

// reference is a straightforward float64 forward pass written from the
// BERT equations, independent of the optimised code.
func (tm *tinyModel) reference(ids []int32) []float64 {
	c := tm.cfg
	h := c.HiddenSize
	W := tm.tensors
	T := len(ids)
	ln := func(x []float64, g, b []float64) {
		var mean, v float64
		for _, a := range x {
			mean += a
		}
		mean /= float64(len(x))
		for _, a := range x {
			v += (a - mean) * (a - mean)
		}
		v /= float64(len(x))
		for i := range x {
			x[i] = (x[i]-mean)/math.Sqrt(v+c.LayerNormEps)*g[i] + b[i]
		}
	}
	lin := func(x [][]float64, name string, out int) [][]float64 {
		w, b := W[name+".weight"], W[name+".bias"]
		in := len(x[0])
		y := make([][]float64, len(x))
		for t := range x {
			y[t] = make([]float64, out)
			for o := range out {
				s := b[o]
				for i := range in {
					s += x[t][i] * w[o*in+i]
				}
				y[t][o] = s
			}
		}
		return y
	}
	x := make([][]float64, T)
	for t, id := range ids {
		x[t] = make([]float64, h)
		for i := range h {
			x[t][i] = W["embeddings.word_embeddings.weight"][int(id)*h+i] + W["embeddings.position_embeddings.weight"][t*h+i] + W["embeddings.token_type_embeddings.weight"][i]
		}
		ln(x[t], W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
	}
	dh := h / c.NumHeads
	for l := range c.NumLayers {
		p := fmt.Sprintf("encoder.layer.%d.", l)
		q, k, v := lin(x, p+"attention.self.query", h), lin(x, p+"attention.self.key", h), lin(x, p+"attention.self.value", h)
		ctx := make([][]float64, T)
		for i := range T {
			ctx[i] = make([]float64, h)
			for hd := range c.NumHeads {
				s := make([]float64, T)
				var mx = math.Inf(-1)
				for j := range T {
					for d := range dh {
						s[j] += q[i][hd*dh+d] * k[j][hd*dh+d]
					}
					s[j] /= math.Sqrt(float64(dh))
					mx = math.Max(mx, s[j])
				}
				var sum float64
				for j := range T {
					s[j] = math.Exp(s[j] - mx)
					sum += s[j]
				}
				for j := range T {
					for d := range dh {
						ctx[i][hd*dh+d] += s[j] / sum * v[j][hd*dh+d]
					}
				}
			}
		}
		a := lin(ctx, p+"attention.output.dense", h)
		for t := range T {
			for i := range h {
				a[t][i] += x[t][i]
			}
			ln(a[t], W[p+"attention.output.LayerNorm.weight"], W[p+"attention.output.LayerNorm.bias"])
		}
		in := lin(a, p+"intermediate.dense", c.IntermediateSize)
		for t := range in {
			for i, z := range in[t] {
				in[t][i] = 0.5 * z * (1 + math.Erf(z/math.Sqrt2))
			}
		}
		o := lin(in, p+"output.dense", h)
		for t := range T {
			for i := range h {
				o[t][i] += a[t][i]
			}
			ln(o[t], W[p+"output.LayerNorm.weight"], W[p+"output.LayerNorm.bias"])
		}
		x = o
	}
	pooled := make([]float64, h)
	for t := range T {
		for i := range h {
			pooled[i] += x[t][i] / float64(T)
		}
	}
	var n float64
	for _, a := range pooled {
		n += a * a
	}
	for i := range pooled {
		pooled[i] /= math.Sqrt(n)
	}
	return pooled
}

func TestForwardMatchesReference(t *testing.T) {
	tm := newTiny(7)
	dir := t.TempDir()
	tm.write(dir)
	m, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ids := range [][]int32{{2, 3}, {2, 4, 5, 6, 3}, {2, 4, 5, 6, 7, 4, 8, 9, 1, 12, 13, 3}} {
		got, want := m.EmbedIDs(ids), tm.reference(ids)
		var maxDiff float64
		for i := range got {
			maxDiff = math.Max(maxDiff, math.Abs(float64(got[i])-want[i]))
		}
		if maxDiff > 1e-5 {
			t.Errorf("ids %v: max abs diff %.2g from the float64 reference, want <= 1e-5", ids, maxDiff)
		}
	}
	vs, err := m.Embed(t.Context(), []string{"The cats sat on the mat.", "a dog"})
	if err != nil || len(vs) != 2 || len(vs[0]) != 32 {
		t.Fatalf("Embed = %d vectors, %v", len(vs), err)
	}
	if want := m.EmbedIDs(m.tok.Encode("The cats sat on the mat.", MaxSeqLen)); want[0] != vs[0][0] {
		t.Error("Embed and EmbedIDs disagree")
	}
	if got := m.tok.Encode("The cats sat", 256); len(got) != 6 || got[3] != 9 {
		t.Errorf("tiny tokenizer: %v", got)
	}
}

func TestLoadRejects(t *testing.T) {
	tm := newTiny(1)
	dir := t.TempDir()
	tm.write(dir)
	cfg := tm.cfg
	cfg.HiddenAct = "relu"
	cb, _ := json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "config.json"), cb, 0o644)
	if _, err := Load(dir, Options{}); err == nil {
		t.Error("relu model accepted")
	}
	cfg.HiddenAct, cfg.HiddenSize = "gelu", 48
	cb, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "config.json"), cb, 0o644)
	if _, err := Load(dir, Options{}); err == nil {
		t.Error("weights of the wrong shape accepted")
	}
	if _, err := Load(t.TempDir(), Options{}); err == nil {
		t.Error("empty directory accepted")
	}
}

func FuzzSafetensorsHeader(f *testing.F) {
	tm := newTiny(2)
	dir := f.TempDir()
	tm.write(dir)
	b, _ := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	f.Add(b[:min(len(b), 4096)])
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}'})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseSafetensors(b)
	})
}

func BenchmarkEmbed(b *testing.B) {
	tm := newTiny(3)
	dir := b.TempDir()
	tm.write(dir)
	m, _ := Load(dir, Options{Workers: 1})
	ids := make([]int32, 64)
	for i := range ids {
		ids[i] = int32(4 + i%10)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.EmbedIDs(ids)
	}
}

// BenchmarkEmbedFullSize runs the real architecture (6 × 384, 12 heads)
// from a model directory given in $MINILM_BENCH_DIR (for example one
// written by testdata/make_bert.py plus testdata/tokenizer.json).
func BenchmarkEmbedFullSize(b *testing.B) {
	dir := os.Getenv("MINILM_BENCH_DIR")
	if dir == "" {
		b.Skip("set MINILM_BENCH_DIR to a model directory")
	}
	m, err := Load(dir, Options{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		text string
	}{
		{"short", "The attention mechanism in transformers lets tokens talk."},
		{"max-256-tokens", strings.Repeat("a long document about vector databases and retrieval ", 60)},
	} {
		ids := m.tok.Encode(tc.text, MaxSeqLen)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.EmbedIDs(ids)
			}
		})
	}
}
