package minilm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/viterin/vek/vek32"
)

// MaxSeqLen is sentence-transformers' max_seq_length for all-MiniLM-L6-v2:
// inputs are truncated to 256 tokens including [CLS] and [SEP].
const MaxSeqLen = 256

// Config is the part of a BERT config.json the forward pass needs.
type Config struct {
	HiddenSize        int     `json:"hidden_size"`
	NumLayers         int     `json:"num_hidden_layers"`
	NumHeads          int     `json:"num_attention_heads"`
	IntermediateSize  int     `json:"intermediate_size"`
	HiddenAct         string  `json:"hidden_act"`
	LayerNormEps      float64 `json:"layer_norm_eps"`
	MaxPositions      int     `json:"max_position_embeddings"`
	VocabSize         int     `json:"vocab_size"`
	TypeVocabSize     int     `json:"type_vocab_size"`
	PositionEmbedType string  `json:"position_embedding_type"`
}

// Options tunes a Model.
type Options struct {
	// Workers bounds how many texts are embedded in parallel (default
	// GOMAXPROCS).
	Workers int
	// ModelName is reported by Info (default "all-MiniLM-L6-v2").
	ModelName string
}

type linear struct {
	w    []float32 // out × in, row-major (PyTorch layout)
	b    []float32
	in   int
	outN int
}

type layerNorm struct{ g, b []float32 }

type layer struct {
	q, k, v, attnOut, inter, out linear
	ln1, ln2                     layerNorm
}

// Model is a BERT encoder with mean pooling and L2 normalisation: the
// all-MiniLM-L6-v2 sentence-embedding pipeline in pure Go. It implements
// embed.Embedder and is safe for concurrent use.
type Model struct {
	cfg    Config
	opts   Options
	tok    *Tokenizer
	word   []float32 // vocab × hidden
	pos    []float32 // positions × hidden
	typ    []float32 // token type 0 row
	embLN  layerNorm
	layers []layer
	sem    chan struct{}
}

var _ embed.Embedder = (*Model)(nil)

// Load reads config.json, tokenizer.json and model.safetensors from dir.
// Tensor names may carry a "bert." or "0.auto_model." prefix. Only
// absolute-position BERT encoders with GELU are accepted.
func Load(dir string, opts Options) (*Model, error) {
	cb, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("minilm: %w (run \"engram model pull --dir %s\" on a connected machine)", err, dir)
	}
	var cfg Config
	if err := json.Unmarshal(cb, &cfg); err != nil {
		return nil, fmt.Errorf("minilm: config.json: %w", err)
	}
	if cfg.LayerNormEps == 0 {
		cfg.LayerNormEps = 1e-12
	}
	switch {
	case cfg.HiddenSize <= 0 || cfg.NumHeads <= 0 || cfg.HiddenSize%cfg.NumHeads != 0:
		return nil, fmt.Errorf("minilm: hidden_size %d is not divisible into %d heads", cfg.HiddenSize, cfg.NumHeads)
	case cfg.HiddenAct != "gelu":
		return nil, fmt.Errorf("minilm: hidden_act %q not supported (want gelu)", cfg.HiddenAct)
	case cfg.PositionEmbedType != "" && cfg.PositionEmbedType != "absolute":
		return nil, fmt.Errorf("minilm: position_embedding_type %q not supported", cfg.PositionEmbedType)
	}
	tok, err := LoadTokenizer(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return nil, err
	}
	wb, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		return nil, fmt.Errorf("minilm: %w", err)
	}
	ts, err := parseSafetensors(wb)
	if err != nil {
		return nil, err
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.ModelName == "" {
		opts.ModelName = "all-MiniLM-L6-v2"
	}
	m := &Model{cfg: cfg, opts: opts, tok: tok, sem: make(chan struct{}, opts.Workers)}
	get := func(name string, shape ...int) ([]float32, error) {
		for _, p := range []string{"", "bert.", "0.auto_model."} {
			if t, ok := ts[p+name]; ok {
				if !sameShape(t.shape, shape) {
					return nil, fmt.Errorf("minilm: tensor %s has shape %v, want %v", name, t.shape, shape)
				}
				return t.data, nil
			}
		}
		// Older checkpoints name LayerNorm parameters gamma and beta.
		alt := strings.NewReplacer("LayerNorm.weight", "LayerNorm.gamma", "LayerNorm.bias", "LayerNorm.beta").Replace(name)
		if alt != name {
			for _, p := range []string{"", "bert.", "0.auto_model."} {
				if t, ok := ts[p+alt]; ok && sameShape(t.shape, shape) {
					return t.data, nil
				}
			}
		}
		return nil, fmt.Errorf("minilm: model.safetensors lacks tensor %s", name)
	}
	h, in := cfg.HiddenSize, cfg.IntermediateSize
	var errs []error
	must := func(name string, shape ...int) []float32 {
		d, err := get(name, shape...)
		if err != nil {
			errs = append(errs, err)
		}
		return d
	}
	lin := func(prefix string, out, inN int) linear {
		return linear{w: must(prefix+".weight", out, inN), b: must(prefix+".bias", out), in: inN, outN: out}
	}
	ln := func(prefix string) layerNorm {
		return layerNorm{g: must(prefix+".weight", h), b: must(prefix+".bias", h)}
	}
	m.word = must("embeddings.word_embeddings.weight", cfg.VocabSize, h)
	m.pos = must("embeddings.position_embeddings.weight", cfg.MaxPositions, h)
	typ := must("embeddings.token_type_embeddings.weight", max(cfg.TypeVocabSize, 1), h)
	if len(typ) >= h {
		m.typ = typ[:h]
	}
	m.embLN = ln("embeddings.LayerNorm")
	for i := range cfg.NumLayers {
		p := fmt.Sprintf("encoder.layer.%d.", i)
		m.layers = append(m.layers, layer{
			q: lin(p+"attention.self.query", h, h), k: lin(p+"attention.self.key", h, h),
			v: lin(p+"attention.self.value", h, h), attnOut: lin(p+"attention.output.dense", h, h),
			ln1: ln(p + "attention.output.LayerNorm"), inter: lin(p+"intermediate.dense", in, h),
			out: lin(p+"output.dense", h, in), ln2: ln(p + "output.LayerNorm"),
		})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("minilm: tokenizer has %d tokens but the model only %d", tok.VocabSize(), cfg.VocabSize)
	}
	return m, nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Info describes the model.
func (m *Model) Info() embed.Info {
	return embed.Info{Name: "minilm", Model: m.opts.ModelName, Dim: m.cfg.HiddenSize, Semantic: true}
}

// Embed embeds each text (in parallel across texts, up to Options.Workers).
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for _, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, embed.ErrEmptyText
		}
	}
	out := make([][]float32, len(texts))
	var wg sync.WaitGroup
	for i, t := range texts {
		select {
		case m.sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-m.sem }()
			out[i] = m.EmbedIDs(m.tok.Encode(t, min(MaxSeqLen, m.cfg.MaxPositions)))
		})
	}
	wg.Wait()
	return out, ctx.Err()
}

// EmbedIDs runs the encoder on one token sequence and returns the
// mean-pooled, L2-normalised embedding.
func (m *Model) EmbedIDs(ids []int32) []float32 {
	h, T := m.cfg.HiddenSize, len(ids)
	x := make([]float32, T*h)
	for t, id := range ids {
		row := x[t*h : (t+1)*h]
		copy(row, m.word[int(id)*h:(int(id)+1)*h])
		vek32.Add_Inplace(row, m.pos[t*h:(t+1)*h])
		vek32.Add_Inplace(row, m.typ)
		m.embLN.apply(row, m.cfg.LayerNormEps)
	}
	for i := range m.layers {
		x = m.layers[i].forward(x, T, m.cfg)
	}
	pooled := make([]float32, h)
	for t := range T {
		vek32.Add_Inplace(pooled, x[t*h:(t+1)*h])
	}
	var n float64
	for i := range pooled {
		pooled[i] /= float32(T)
		n += float64(pooled[i]) * float64(pooled[i])
	}
	n = max(math.Sqrt(n), 1e-12)
	for i := range pooled {
		pooled[i] = float32(float64(pooled[i]) / n)
	}
	return pooled
}

// apply computes y = x·Wᵀ + b for T rows of x.
func (l *linear) apply(x []float32, T int) []float32 {
	y := make([]float32, T*l.outN)
	for t := range T {
		xr := x[t*l.in : (t+1)*l.in]
		yr := y[t*l.outN : (t+1)*l.outN]
		for o := range l.outN {
			yr[o] = vek32.Dot(xr, l.w[o*l.in:(o+1)*l.in]) + l.b[o]
		}
	}
	return y
}

func (ln *layerNorm) apply(x []float32, eps float64) {
	var mean, v float64
	for _, a := range x {
		mean += float64(a)
	}
	mean /= float64(len(x))
	for _, a := range x {
		d := float64(a) - mean
		v += d * d
	}
	inv := 1 / math.Sqrt(v/float64(len(x))+eps)
	for i, a := range x {
		x[i] = float32((float64(a)-mean)*inv)*ln.g[i] + ln.b[i]
	}
}

func (l *layer) forward(x []float32, T int, cfg Config) []float32 {
	h, heads := cfg.HiddenSize, cfg.NumHeads
	dh := h / heads
	q, k, v := l.q.apply(x, T), l.k.apply(x, T), l.v.apply(x, T)
	ctx := make([]float32, T*h)
	scale := float32(1 / math.Sqrt(float64(dh)))
	scores := make([]float32, T)
	for hd := range heads {
		off := hd * dh
		for i := range T {
			qi := q[i*h+off : i*h+off+dh]
			maxS := float32(math.Inf(-1))
			for j := range T {
				s := vek32.Dot(qi, k[j*h+off:j*h+off+dh]) * scale
				scores[j] = s
				maxS = max(maxS, s)
			}
			var sum float64
			for j := range T {
				e := math.Exp(float64(scores[j] - maxS))
				scores[j] = float32(e)
				sum += e
			}
			ci := ctx[i*h+off : i*h+off+dh]
			for j := range T {
				p := float32(float64(scores[j]) / sum)
				vj := v[j*h+off : j*h+off+dh]
				for d := range dh {
					ci[d] += p * vj[d]
				}
			}
		}
	}
	a := l.attnOut.apply(ctx, T)
	vek32.Add_Inplace(a, x)
	for t := range T {
		l.ln1.apply(a[t*h:(t+1)*h], cfg.LayerNormEps)
	}
	inter := l.inter.apply(a, T)
	for i, z := range inter {
		inter[i] = float32(0.5 * float64(z) * (1 + math.Erf(float64(z)/math.Sqrt2)))
	}
	o := l.out.apply(inter, T)
	vek32.Add_Inplace(o, a)
	for t := range T {
		l.ln2.apply(o[t*h:(t+1)*h], cfg.LayerNormEps)
	}
	return o
}
