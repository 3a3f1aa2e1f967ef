package model

import (
	"errors"
	"fmt"
)

// Errors returned by this package. Callers branch on them with errors.Is;
// the wrapped message carries the details.
var (
	// ErrConfig reports a Config that Validate rejects.
	ErrConfig = errors.New("model: invalid config")
	// ErrBatch reports a token batch the model cannot evaluate: no rows, a
	// row shorter than two tokens or longer than Context+1, or a token
	// outside [0, Vocab).
	ErrBatch = errors.New("model: invalid batch")
	// ErrLength reports a parameter, gradient or checkpoint body whose length
	// is not the model's parameter count.
	ErrLength = errors.New("model: wrong length")
	// ErrFormat reports saved model bytes that do not decode.
	ErrFormat = errors.New("model: bad format")
)

// Limits that keep a Config (and so a decoded header) from asking for an
// absurd allocation.
const (
	maxVocab    = 1 << 20
	maxContext  = 1 << 14
	maxLayers   = 256
	maxWidth    = 1 << 14
	maxMLPRatio = 16
	maxParams   = 1 << 28 // 1 GiB of float32
)

// Config shapes a decoder-only transformer. The zero value of every field
// means its default; the defaults are the [Small] configuration.
type Config struct {
	// Vocab is the vocabulary size; tokens are in [0, Vocab). Default 256
	// (byte-level).
	Vocab int
	// Context is the longest input sequence, i.e. the number of learned
	// position embeddings. A batch row holds at most Context+1 tokens
	// (inputs plus the final target). Default 64.
	Context int
	// Layers is the number of transformer blocks. Default 2.
	Layers int
	// Width is the residual stream (embedding) width. Default 64.
	Width int
	// Heads is the number of attention heads; it must divide Width.
	// Default 4.
	Heads int
	// MLPRatio is the MLP hidden width as a multiple of Width. Default 4.
	MLPRatio int
}

// Small returns the demo configuration: byte-level vocabulary (256),
// context 64, 2 layers, width 64, 4 heads, MLP ratio 4 (about 120k
// parameters).
func Small() Config {
	return Config{Vocab: 256, Context: 64, Layers: 2, Width: 64, Heads: 4, MLPRatio: 4}
}

// Seed10M returns the nano-GPT configuration named by the VRAM HUB design:
// byte-level vocabulary (256), context 256, 6 layers, width 384, 6 heads,
// MLP ratio 4 (10,844,160 parameters with the tied head).
func Seed10M() Config {
	return Config{Vocab: 256, Context: 256, Layers: 6, Width: 384, Heads: 6, MLPRatio: 4}
}

// withDefaults returns c with every zero field replaced by its default.
func (c Config) withDefaults() Config {
	d := Small()
	if c.Vocab == 0 {
		c.Vocab = d.Vocab
	}
	if c.Context == 0 {
		c.Context = d.Context
	}
	if c.Layers == 0 {
		c.Layers = d.Layers
	}
	if c.Width == 0 {
		c.Width = d.Width
	}
	if c.Heads == 0 {
		c.Heads = d.Heads
	}
	if c.MLPRatio == 0 {
		c.MLPRatio = d.MLPRatio
	}
	return c
}

// Validate reports whether c, after defaults, describes a model this package
// can build. It returns an error wrapping [ErrConfig] for negative or
// oversized fields, a head count that does not divide the width, or a
// parameter count above 2^28.
func (c Config) Validate() error {
	c = c.withDefaults()
	for _, f := range []struct {
		name  string
		v, hi int
	}{
		{"vocab", c.Vocab, maxVocab},
		{"context", c.Context, maxContext},
		{"layers", c.Layers, maxLayers},
		{"width", c.Width, maxWidth},
		{"heads", c.Heads, maxWidth},
		{"mlp ratio", c.MLPRatio, maxMLPRatio},
	} {
		if f.v < 1 || f.v > f.hi {
			return fmt.Errorf("%w: %s %d not in [1, %d]", ErrConfig, f.name, f.v, f.hi)
		}
	}
	if c.Width%c.Heads != 0 {
		return fmt.Errorf("%w: width %d not divisible by heads %d", ErrConfig, c.Width, c.Heads)
	}
	if n := c.numParams(); n > maxParams {
		return fmt.Errorf("%w: %d parameters exceed %d", ErrConfig, n, maxParams)
	}
	return nil
}

// hidden is the MLP hidden width.
func (c Config) hidden() int { return c.MLPRatio * c.Width }

// layerParams is the parameter count of one block.
func (c Config) layerParams() int {
	d, h := c.Width, c.hidden()
	return 2*d + // ln1
		3*d*d + 3*d + // qkv
		d*d + d + // attention output projection
		2*d + // ln2
		h*d + h + // mlp up
		d*h + d // mlp down
}

// numParams is the total parameter count of a defaulted, in-range c.
func (c Config) numParams() int {
	return c.Vocab*c.Width + c.Context*c.Width + c.Layers*c.layerParams() + 2*c.Width
}

// NumParams returns the parameter count of the model c describes, after
// defaults. The result is meaningless for a Config that Validate rejects.
func (c Config) NumParams() int { return c.withDefaults().numParams() }
