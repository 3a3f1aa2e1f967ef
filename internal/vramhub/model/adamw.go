package model

import (
	"fmt"
	"math"
)

// AdamWConfig holds the AdamW hyperparameters. A zero field means its
// default.
type AdamWConfig struct {
	// LR is the learning rate. Default 3e-4.
	LR float64
	// Beta1 is the first-moment decay. Default 0.9.
	Beta1 float64
	// Beta2 is the second-moment decay. Default 0.999.
	Beta2 float64
	// Eps is added to the root of the second moment. Default 1e-8.
	Eps float64
	// WeightDecay is the decoupled weight decay, applied to every parameter
	// as p ← p − LR·WeightDecay·p. Default 0 (none).
	WeightDecay float64
}

func (c AdamWConfig) withDefaults() AdamWConfig {
	if c.LR == 0 {
		c.LR = 3e-4
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-8
	}
	return c
}

// Validate reports whether c, after defaults, is usable: LR > 0, betas in
// [0, 1), Eps > 0 and WeightDecay >= 0, all finite. It returns an error
// wrapping [ErrConfig] otherwise.
func (c AdamWConfig) Validate() error {
	c = c.withDefaults()
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !ok(c.LR) || c.LR <= 0:
		return fmt.Errorf("%w: learning rate %v", ErrConfig, c.LR)
	case !ok(c.Beta1) || c.Beta1 < 0 || c.Beta1 >= 1:
		return fmt.Errorf("%w: beta1 %v", ErrConfig, c.Beta1)
	case !ok(c.Beta2) || c.Beta2 < 0 || c.Beta2 >= 1:
		return fmt.Errorf("%w: beta2 %v", ErrConfig, c.Beta2)
	case !ok(c.Eps) || c.Eps <= 0:
		return fmt.Errorf("%w: eps %v", ErrConfig, c.Eps)
	case !ok(c.WeightDecay) || c.WeightDecay < 0:
		return fmt.Errorf("%w: weight decay %v", ErrConfig, c.WeightDecay)
	}
	return nil
}

// AdamW is the AdamW optimizer (Loshchilov & Hutter) over one flat parameter
// vector, with bias-corrected moments as PyTorch computes them. It is not
// safe for concurrent use.
type AdamW struct {
	cfg  AdamWConfig
	m, v []float32 // first and second moments
	t    int       // steps taken
}

// NewAdamW returns an optimizer for n parameters with zero moments. It
// returns an error wrapping [ErrConfig] if cfg is invalid or n < 1.
func NewAdamW(n int, cfg AdamWConfig) (*AdamW, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: %d parameters", ErrConfig, n)
	}
	return &AdamW{cfg: cfg.withDefaults(), m: make([]float32, n), v: make([]float32, n)}, nil
}

// Config returns the optimizer's hyperparameters with defaults filled in.
func (o *AdamW) Config() AdamWConfig { return o.cfg }

// Steps returns the number of steps taken since creation or [AdamW.Reset].
func (o *AdamW) Steps() int { return o.t }

// Reset zeroes the moments and the step count.
func (o *AdamW) Reset() {
	clear(o.m)
	clear(o.v)
	o.t = 0
}

// Step updates params in place from grad, element by element:
//
//	p ← p − lr·wd·p
//	m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
//	p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
//
// It returns an error wrapping [ErrLength], and changes nothing, unless
// params and grad both have the optimizer's length.
func (o *AdamW) Step(params, grad []float32) error {
	if len(params) != len(o.m) || len(grad) != len(o.m) {
		return fmt.Errorf("%w: %d parameters and %d gradients, want %d", ErrLength, len(params), len(grad), len(o.m))
	}
	o.t++
	c := o.cfg
	bc1 := 1 - math.Pow(c.Beta1, float64(o.t))
	bc2 := 1 - math.Pow(c.Beta2, float64(o.t))
	decay := 1 - float64(c.LR*c.WeightDecay)
	stepSize := c.LR / bc1
	invSqrtBC2 := 1 / math.Sqrt(bc2)
	b1, b2 := c.Beta1, c.Beta2
	m, v := o.m[:len(params)], o.v[:len(params)]
	grad = grad[:len(params)]
	for i, p := range params {
		g := float64(grad[i])
		mi := float64(b1*float64(m[i])) + float64((1-b1)*g)
		vi := float64(b2*float64(v[i])) + float64((1-b2)*float64(g*g))
		m[i], v[i] = float32(mi), float32(vi)
		den := float64(math.Sqrt(vi)*invSqrtBC2) + c.Eps
		params[i] = float32(float64(float64(p)*decay) - float64(stepSize*mi)/den)
	}
	return nil
}
