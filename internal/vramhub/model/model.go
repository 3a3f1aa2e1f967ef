package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Tensor names one parameter tensor inside the flat parameter vector.
type Tensor struct {
	// Name is the tensor's stable name, such as "wte" or "h.0.attn.wqkv".
	Name string
	// Offset is the index of the tensor's first element in the flat vector.
	Offset int
	// Shape is the tensor's shape, row-major; matrices of linear maps are
	// [out, in].
	Shape []int
}

// Len returns the number of elements of t.
func (t Tensor) Len() int {
	n := 1
	for _, s := range t.Shape {
		n *= s
	}
	return n
}

// layerView slices one block's tensors out of a flat vector.
type layerView struct {
	ln1g, ln1b []float32 // [D]
	wqkv       []float32 // [3D][D]: rows 0..D-1 query, D..2D-1 key, 2D..3D-1 value
	bqkv       []float32 // [3D]
	wo, bo     []float32 // [D][D], [D]
	ln2g, ln2b []float32 // [D]
	w1, b1     []float32 // [H][D], [H]
	w2, b2     []float32 // [D][H], [D]
}

// view slices a whole flat vector (parameters or gradient) into tensors.
type view struct {
	wte    []float32 // [V][D], also the output head (tied)
	wpe    []float32 // [T][D]
	layers []layerView
	lnfg   []float32 // [D]
	lnfb   []float32 // [D]
}

// layout lists the tensors of c in flat order. c must be defaulted and valid.
func layout(c Config) []Tensor {
	d, h := c.Width, c.hidden()
	var ts []Tensor
	off := 0
	add := func(name string, shape ...int) {
		t := Tensor{Name: name, Offset: off, Shape: shape}
		ts = append(ts, t)
		off += t.Len()
	}
	add("wte", c.Vocab, d)
	add("wpe", c.Context, d)
	for l := range c.Layers {
		p := fmt.Sprintf("h.%d.", l)
		add(p+"ln1.g", d)
		add(p+"ln1.b", d)
		add(p+"attn.wqkv", 3*d, d)
		add(p+"attn.bqkv", 3*d)
		add(p+"attn.wo", d, d)
		add(p+"attn.bo", d)
		add(p+"ln2.g", d)
		add(p+"ln2.b", d)
		add(p+"mlp.w1", h, d)
		add(p+"mlp.b1", h)
		add(p+"mlp.w2", d, h)
		add(p+"mlp.b2", d)
	}
	add("lnf.g", d)
	add("lnf.b", d)
	return ts
}

// newView slices flat, which must have length c.numParams(), following
// layout(c).
func newView(c Config, flat []float32) view {
	d, h := c.Width, c.hidden()
	off := 0
	take := func(n int) []float32 {
		s := flat[off : off+n : off+n]
		off += n
		return s
	}
	var v view
	v.wte = take(c.Vocab * d)
	v.wpe = take(c.Context * d)
	v.layers = make([]layerView, c.Layers)
	for l := range v.layers {
		lv := &v.layers[l]
		lv.ln1g, lv.ln1b = take(d), take(d)
		lv.wqkv, lv.bqkv = take(3*d*d), take(3*d)
		lv.wo, lv.bo = take(d*d), take(d)
		lv.ln2g, lv.ln2b = take(d), take(d)
		lv.w1, lv.b1 = take(h*d), take(h)
		lv.w2, lv.b2 = take(d*h), take(d)
	}
	v.lnfg, v.lnfb = take(d), take(d)
	if off != len(flat) {
		panic("model: layout does not cover the parameter vector")
	}
	return v
}

// Model is a decoder-only transformer language model: token and learned
// position embeddings, Layers pre-LayerNorm blocks (causal multi-head
// self-attention, then a GELU MLP, each added to the residual stream), a
// final LayerNorm and an output head tied to the token embedding.
//
// Every parameter lives in one flat []float32 in the order [Model.Tensors]
// lists, so a gradient is one flat vector of the same length and layout.
//
// A Model keeps scratch buffers between calls and is not safe for
// concurrent use; give each goroutine its own [Model.Clone].
type Model struct {
	cfg    Config
	params []float32
	w      view
	ws     workspace
}

// Init scales: GPT-2 style, with the residual-stream projections shrunk by
// the depth.
const initStd = 0.02

// New returns a model of cfg (after defaults) with parameters drawn
// deterministically from seed: LayerNorm gains 1, biases 0, every matrix
// and embedding uniform with standard deviation 0.02 (the attention output
// and MLP down projections 0.02/sqrt(2·Layers)). The draws use a PCG
// generator and only integer-to-float conversion and one multiplication
// per value, so the same seed gives the same bits on every platform. It
// returns an error wrapping [ErrConfig] if cfg is invalid.
func New(cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := newZero(cfg.withDefaults())
	rng := rand.New(rand.NewPCG(seed, 0x76686d6f64656c31)) // "vhmodel1"
	fill := func(s []float32, std float64) {
		a := std * math.Sqrt(3) // uniform on [-a, a) has standard deviation std
		for i := range s {
			u := float64(rng.Uint64()>>11) / (1 << 53) // [0, 1)
			s[i] = float32((2*u - 1) * a)
		}
	}
	resid := initStd / math.Sqrt(float64(2*cfg.withDefaults().Layers))
	fill(m.w.wte, initStd)
	fill(m.w.wpe, initStd)
	for _, lv := range m.w.layers {
		ones(lv.ln1g)
		fill(lv.wqkv, initStd)
		fill(lv.wo, resid)
		ones(lv.ln2g)
		fill(lv.w1, initStd)
		fill(lv.w2, resid)
	}
	ones(m.w.lnfg)
	return m, nil
}

func ones(s []float32) {
	for i := range s {
		s[i] = 1
	}
}

// newZero returns a model of the defaulted, valid cfg with all parameters 0.
func newZero(cfg Config) *Model {
	m := &Model{cfg: cfg, params: make([]float32, cfg.numParams())}
	m.w = newView(cfg, m.params)
	return m
}

// Config returns the model's configuration with defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// ID returns a stable identifier of the architecture and shape, such as
// "gpt-v256-c64-l2-w64-h4-m4". Models with equal IDs have interchangeable
// parameter vectors.
func (m *Model) ID() string {
	c := m.cfg
	return fmt.Sprintf("gpt-v%d-c%d-l%d-w%d-h%d-m%d", c.Vocab, c.Context, c.Layers, c.Width, c.Heads, c.MLPRatio)
}

// NumParams returns the number of parameters, the length of [Model.Params]
// and of every gradient.
func (m *Model) NumParams() int { return len(m.params) }

// Params returns the flat parameter vector. The slice aliases the model:
// writes to it change the model, and it stays valid for the model's life.
func (m *Model) Params() []float32 { return m.params }

// SetParams copies p into the model's parameters. It returns an error
// wrapping [ErrLength] if len(p) != NumParams().
func (m *Model) SetParams(p []float32) error {
	if len(p) != len(m.params) {
		return fmt.Errorf("%w: %d parameters, want %d", ErrLength, len(p), len(m.params))
	}
	copy(m.params, p)
	return nil
}

// Tensors returns the parameter tensors in flat order; together they cover
// the flat vector exactly. The caller owns the returned slice.
func (m *Model) Tensors() []Tensor { return layout(m.cfg) }

// Tensor returns the named parameter tensor as a slice of [Model.Params],
// or false if no tensor has that name.
func (m *Model) Tensor(name string) ([]float32, bool) {
	for _, t := range layout(m.cfg) {
		if t.Name == name {
			return m.params[t.Offset : t.Offset+t.Len() : t.Offset+t.Len()], true
		}
	}
	return nil, false
}

// Clone returns an independent copy of m with the same parameters and no
// shared state.
func (m *Model) Clone() *Model {
	c := newZero(m.cfg)
	copy(c.params, m.params)
	return c
}
