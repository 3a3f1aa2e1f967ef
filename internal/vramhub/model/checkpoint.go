package model

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
)

// Saved-model header; the layout is drawn in the package documentation.
const (
	fileMagic   = "VHTM"
	fileVersion = 1
	headerSize  = 40
)

// Save writes the model in the saved-model format (see the package
// documentation): a 40-byte header with the configuration and parameter
// count, then every parameter as f32 little-endian in flat order. It
// returns the first write error.
func (m *Model) Save(w io.Writer) error {
	var h [headerSize]byte
	copy(h[0:4], fileMagic)
	binary.LittleEndian.PutUint16(h[4:], fileVersion)
	c := m.cfg
	for i, v := range []int{c.Vocab, c.Context, c.Layers, c.Width, c.Heads, c.MLPRatio} {
		binary.LittleEndian.PutUint32(h[8+4*i:], uint32(v))
	}
	binary.LittleEndian.PutUint64(h[32:], uint64(len(m.params)))
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("write model header: %w", err)
	}
	const piece = 16 << 10 // parameters per write
	buf := make([]byte, 4*min(piece, len(m.params)))
	for p := m.params; len(p) > 0; {
		k := min(piece, len(p))
		encodeF32(buf[:4*k], p[:k])
		if _, err := w.Write(buf[:4*k]); err != nil {
			return fmt.Errorf("write model parameters: %w", err)
		}
		p = p[k:]
	}
	return nil
}

// Load reads one model in the format [Model.Save] writes. It reads exactly
// the header and the parameters the header announces, nothing after them.
// It returns an error wrapping [ErrFormat] for a bad magic, version,
// reserved field or parameter count, or a truncated body, and one wrapping
// [ErrConfig] for an invalid configuration; other errors come from r.
func Load(r io.Reader) (*Model, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("%w: read header: %w", ErrFormat, err)
	}
	if string(h[0:4]) != fileMagic {
		return nil, fmt.Errorf("%w: magic %q, want %q", ErrFormat, h[0:4], fileMagic)
	}
	if v := binary.LittleEndian.Uint16(h[4:]); v != fileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, fileVersion)
	}
	if v := binary.LittleEndian.Uint16(h[6:]); v != 0 {
		return nil, fmt.Errorf("%w: reserved field %d, want 0", ErrFormat, v)
	}
	var f [6]int
	for i := range f {
		v := binary.LittleEndian.Uint32(h[8+4*i:])
		if v == 0 || v > math.MaxInt32 {
			return nil, fmt.Errorf("%w: config field %d is %d", ErrConfig, i, v)
		}
		f[i] = int(v)
	}
	cfg := Config{Vocab: f[0], Context: f[1], Layers: f[2], Width: f[3], Heads: f[4], MLPRatio: f[5]}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	want := cfg.numParams()
	if n := binary.LittleEndian.Uint64(h[32:]); n != uint64(want) {
		return nil, fmt.Errorf("%w: %d parameters, config needs %d", ErrFormat, n, want)
	}
	// Read the body in bounded pieces before allocating the model, so a
	// short input claiming a huge model costs little.
	const piece = 1 << 20
	body := make([]byte, 0, min(4*want, piece))
	for len(body) < 4*want {
		k := min(4*want-len(body), piece)
		body = slices.Grow(body, k)[:len(body)+k]
		if _, err := io.ReadFull(r, body[len(body)-k:]); err != nil {
			return nil, fmt.Errorf("%w: read parameters: %w", ErrFormat, err)
		}
	}
	m := newZero(cfg)
	decodeF32(m.params, body)
	return m, nil
}

// Hash returns the SHA-256 of the bytes [Model.Save] writes: the model's
// checkpoint hash.
func (m *Model) Hash() [32]byte {
	h := sha256.New()
	if err := m.Save(h); err != nil {
		panic("model: hash write failed: " + err.Error()) // hash.Hash writes never fail
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// CheckpointBody returns the parameters as NumParams() f32 little-endian
// values in flat order: the body of a VRAM HUB checkpoint.
func (m *Model) CheckpointBody() []byte {
	b := make([]byte, 4*len(m.params))
	encodeF32(b, m.params)
	return b
}

// LoadCheckpointBody sets the parameters from a body in the
// [Model.CheckpointBody] layout. It returns an error wrapping [ErrLength],
// and changes nothing, if len(b) != 4·NumParams().
func (m *Model) LoadCheckpointBody(b []byte) error {
	if len(b) != 4*len(m.params) {
		return fmt.Errorf("%w: body of %d bytes, want %d", ErrLength, len(b), 4*len(m.params))
	}
	decodeF32(m.params, b)
	return nil
}

func decodeF32(dst []float32, b []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func encodeF32(b []byte, src []float32) {
	for i, p := range src {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(p))
	}
}
