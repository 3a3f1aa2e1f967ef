package compress

import (
	"fmt"
	"math"
	"slices"
)

// Stage-2 defaults.
const (
	DefaultGamma     = 0.999
	DefaultEta       = 1.0
	DefaultChunkSize = 4096
	DefaultTopK      = 32
)

// Config sets the stage-2 parameters. The zero value means the defaults.
type Config struct {
	// Gamma is the momentum decay γ in e ← γ·e + η·g; 0 means DefaultGamma.
	// Set DisableMomentum for γ = 0.
	Gamma float64
	// DisableMomentum forces γ = 0, so each message carries only the current
	// gradient (the residual is discarded every step).
	DisableMomentum bool
	// Eta is the gradient scale η; 0 means DefaultEta.
	Eta float64
	// ChunkSize is the DCT chunk length before clamping to N; 0 means
	// DefaultChunkSize.
	ChunkSize int
	// DisableDCT sends parameter-domain entries (wire chunk_size 0) and keeps
	// the TopK·ceil(N/C) largest |e| globally.
	DisableDCT bool
	// TopK is the number of coefficients kept per chunk before clamping to
	// C (topk_compression); 0 means DefaultTopK.
	TopK int
}

func (c Config) withDefaults() Config {
	if c.Gamma == 0 {
		c.Gamma = DefaultGamma
	}
	if c.DisableMomentum {
		c.Gamma = 0
	}
	if c.Eta == 0 {
		c.Eta = DefaultEta
	}
	if c.ChunkSize == 0 {
		c.ChunkSize = DefaultChunkSize
	}
	if c.TopK == 0 {
		c.TopK = DefaultTopK
	}
	return c
}

// Validate reports an error wrapping ErrConfig for negative or non-finite
// parameters.
func (c Config) Validate() error {
	switch {
	case math.IsNaN(c.Gamma) || math.IsInf(c.Gamma, 0) || c.Gamma < 0:
		return fmt.Errorf("%w: gamma %v", ErrConfig, c.Gamma)
	case math.IsNaN(c.Eta) || math.IsInf(c.Eta, 0) || c.Eta < 0:
		return fmt.Errorf("%w: eta %v", ErrConfig, c.Eta)
	case c.ChunkSize < 0:
		return fmt.Errorf("%w: chunk size %d", ErrConfig, c.ChunkSize)
	case c.TopK < 0:
		return fmt.Errorf("%w: topk %d", ErrConfig, c.TopK)
	}
	return nil
}

// Result is the outcome of one [Compressor.Compress] call.
type Result struct {
	// Message is the encoded v1 message, newly allocated.
	Message []byte
	// Sent is the dense reconstruction a validator decodes from Message,
	// length N, newly allocated.
	Sent []float32
	// NonFinite counts input entries that were NaN or ±Inf and were treated
	// as zero.
	NonFinite int
}

// Compressor is the stage-2 encoder with its error-feedback buffer. It is
// not safe for concurrent use.
type Compressor struct {
	cfg   Config
	n     int
	chunk int // C = min(ChunkSize, N)
	keep  int // K_c = min(TopK, C)
	e     []float32
	plan  *dctPlan
}

// New returns a Compressor for gradients of length n (1 ≤ n < 2^32) with a
// zeroed buffer. Errors wrap ErrConfig.
func New(n int, cfg Config) (*Compressor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if n <= 0 || int64(n) > math.MaxUint32 {
		return nil, fmt.Errorf("%w: length %d", ErrConfig, n)
	}
	cfg = cfg.withDefaults()
	c := &Compressor{cfg: cfg, n: n, e: make([]float32, n)}
	c.chunk = min(cfg.ChunkSize, n)
	c.keep = min(cfg.TopK, c.chunk)
	if uint64(c.padded()) > 1<<32 {
		return nil, fmt.Errorf("%w: padded length %d exceeds 2^32", ErrConfig, c.padded())
	}
	if !cfg.DisableDCT {
		c.plan = newDCTPlan(c.chunk)
	}
	return c, nil
}

// Len returns N.
func (c *Compressor) Len() int { return c.n }

// Config returns the effective configuration, defaults applied.
func (c *Compressor) Config() Config { return c.cfg }

// Reset zeroes the error-feedback buffer (on a uid or model change).
func (c *Compressor) Reset() { clear(c.e) }

// Residual returns a copy of the error-feedback buffer.
func (c *Compressor) Residual() []float32 { return slices.Clone(c.e) }

func (c *Compressor) padded() int {
	return (c.n + c.chunk - 1) / c.chunk * c.chunk
}

// Compress folds g into the buffer, selects and quantises the largest
// coefficients, encodes them, and subtracts what was sent from the buffer.
// g must have length [Compressor.Len] (else ErrGradientLen) and is not
// modified. An all-zero buffer yields a valid message with k = 0. If the
// message would exceed MaxMessageSize the error wraps ErrTooLarge and the
// gradient stays folded into the buffer.
func (c *Compressor) Compress(g []float32) (Result, error) {
	if len(g) != c.n {
		return Result{}, fmt.Errorf("%w: %d, want %d", ErrGradientLen, len(g), c.n)
	}
	var res Result
	gamma, eta := c.cfg.Gamma, c.cfg.Eta
	for i, v := range g {
		x := float64(v)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			res.NonFinite++
			x = 0
		}
		c.e[i] = float32(float64(gamma*float64(c.e[i])) + float64(eta*x))
	}

	msg := Message{TotalLen: uint32(c.n)}
	if c.plan == nil {
		count := c.keep * (c.padded() / c.chunk)
		for _, i := range topKIndices(c.n, count, func(i int) float64 { return float64(c.e[i]) }) {
			h := F16FromF32(c.e[i])
			if h&0x7FFF == 0 {
				continue
			}
			msg.Indices = append(msg.Indices, uint32(i))
			msg.Values = append(msg.Values, h)
		}
	} else {
		msg.ChunkSize = uint32(c.chunk)
		buf := make([]float64, c.chunk)
		for start := 0; start < c.n; start += c.chunk {
			clear(buf)
			end := min(start+c.chunk, c.n)
			for i := start; i < end; i++ {
				buf[i-start] = float64(c.e[i])
			}
			c.plan.forward(buf)
			for _, j := range topKIndices(c.chunk, c.keep, func(j int) float64 { return buf[j] }) {
				h := F16FromF32(float32(buf[j]))
				if h&0x7FFF == 0 {
					continue
				}
				msg.Indices = append(msg.Indices, uint32(start+j))
				msg.Values = append(msg.Values, h)
			}
		}
	}
	b, err := Encode(msg)
	if err != nil {
		// Only size can fail here (k above MaxEntries for a huge N with a
		// large TopK); the buffer keeps the folded gradient.
		return Result{}, err
	}
	res.Message = b
	res.Sent = msg.Dense()
	for i, t := range res.Sent {
		c.e[i] -= t
	}
	return res, nil
}
