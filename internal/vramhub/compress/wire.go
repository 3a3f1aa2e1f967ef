package compress

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Wire-format constants (see the package documentation).
const (
	// Magic opens every message.
	Magic = "VHGD"
	// Version is the only wire version this package reads and writes.
	Version = 1
	// HeaderSize is the fixed header length in bytes.
	HeaderSize = 20
	// MaxMessageSize is MAX_GRADIENT_SIZE_BYTES, the largest message
	// accepted or produced (50 MiB).
	MaxMessageSize = 52_428_800
	// MaxEntries is the largest k that fits in MaxMessageSize.
	MaxEntries = (MaxMessageSize - HeaderSize) / 6
)

// Decode errors. Every rejection from [Decode] wraps exactly one of these.
var (
	ErrTooLarge    = errors.New("compress: message exceeds MaxMessageSize")
	ErrTruncated   = errors.New("compress: message shorter than header")
	ErrMagic       = errors.New("compress: bad magic")
	ErrVersion     = errors.New("compress: unknown version")
	ErrReserved    = errors.New("compress: reserved field not zero")
	ErrSize        = errors.New("compress: message size is not 20 + 6k")
	ErrEmpty       = errors.New("compress: total length is zero")
	ErrChunk       = errors.New("compress: chunk size exceeds total length")
	ErrBound       = errors.New("compress: padded length exceeds 2^32")
	ErrCount       = errors.New("compress: more entries than positions")
	ErrIndex       = errors.New("compress: index out of range")
	ErrOrder       = errors.New("compress: indices not strictly ascending")
	ErrValue       = errors.New("compress: value is Inf or NaN")
	ErrLength      = errors.New("compress: dense length mismatch")
	ErrMismatch    = errors.New("compress: indices and values differ in length")
	ErrConfig      = errors.New("compress: invalid config")
	ErrGradientLen = errors.New("compress: gradient length differs from compressor length")
)

// Message is a decoded v1 gradient message.
type Message struct {
	// TotalLen is N, the dense gradient length.
	TotalLen uint32
	// ChunkSize is C, the DCT chunk length; 0 means indices are parameter
	// positions.
	ChunkSize uint32
	// Indices are strictly ascending positions below [Message.Bound].
	Indices []uint32
	// Values are binary16 bit patterns, one per index, never Inf or NaN.
	Values []uint16
}

// Bound returns the exclusive upper limit on indices: N when C = 0, else
// ceil(N/C)·C. It is meaningful only for a message that passed [Message.Validate]
// or whose C ≤ N holds.
func (m *Message) Bound() uint64 {
	n, c := uint64(m.TotalLen), uint64(m.ChunkSize)
	if c == 0 {
		return n
	}
	return (n + c - 1) / c * c
}

// Validate checks every field rule of the wire format and returns an error
// wrapping one of the package's sentinel errors.
func (m *Message) Validate() error {
	if len(m.Indices) != len(m.Values) {
		return ErrMismatch
	}
	if len(m.Indices) > MaxEntries {
		return ErrTooLarge
	}
	if m.TotalLen == 0 {
		return ErrEmpty
	}
	if m.ChunkSize > m.TotalLen {
		return fmt.Errorf("%w: %d > %d", ErrChunk, m.ChunkSize, m.TotalLen)
	}
	bound := m.Bound()
	if bound > 1<<32 {
		return fmt.Errorf("%w: %d", ErrBound, bound)
	}
	if uint64(len(m.Indices)) > bound {
		return fmt.Errorf("%w: k %d, bound %d", ErrCount, len(m.Indices), bound)
	}
	for i, ix := range m.Indices {
		if uint64(ix) >= bound {
			return fmt.Errorf("%w: entry %d index %d, bound %d", ErrIndex, i, ix, bound)
		}
		if i > 0 && ix <= m.Indices[i-1] {
			return fmt.Errorf("%w: entry %d index %d after %d", ErrOrder, i, ix, m.Indices[i-1])
		}
		if !f16Finite(m.Values[i]) {
			return fmt.Errorf("%w: entry %d bits %#04x", ErrValue, i, m.Values[i])
		}
	}
	return nil
}

// Encode validates m and serialises it. The returned slice is newly
// allocated. Errors are those of [Message.Validate].
func Encode(m Message) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	k := len(m.Indices)
	b := make([]byte, HeaderSize+6*k)
	copy(b, Magic)
	binary.LittleEndian.PutUint16(b[4:], Version)
	binary.LittleEndian.PutUint16(b[6:], 0)
	binary.LittleEndian.PutUint32(b[8:], m.TotalLen)
	binary.LittleEndian.PutUint32(b[12:], m.ChunkSize)
	binary.LittleEndian.PutUint32(b[16:], uint32(k))
	off := HeaderSize
	for _, ix := range m.Indices {
		binary.LittleEndian.PutUint32(b[off:], ix)
		off += 4
	}
	for _, v := range m.Values {
		binary.LittleEndian.PutUint16(b[off:], v)
		off += 2
	}
	return b, nil
}

// Decode parses and validates untrusted message bytes. It allocates only in
// proportion to len(b) and does not build the dense vector; the returned
// slices do not alias b. Errors wrap one of ErrTooLarge, ErrTruncated,
// ErrMagic, ErrVersion, ErrReserved, ErrSize, ErrEmpty, ErrChunk, ErrBound,
// ErrCount, ErrIndex, ErrOrder or ErrValue.
func Decode(b []byte) (Message, error) {
	if len(b) > MaxMessageSize {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(b))
	}
	if len(b) < HeaderSize {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrTruncated, len(b))
	}
	if string(b[:4]) != Magic {
		return Message{}, ErrMagic
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != Version {
		return Message{}, fmt.Errorf("%w: %d", ErrVersion, v)
	}
	if r := binary.LittleEndian.Uint16(b[6:]); r != 0 {
		return Message{}, fmt.Errorf("%w: %d", ErrReserved, r)
	}
	m := Message{
		TotalLen:  binary.LittleEndian.Uint32(b[8:]),
		ChunkSize: binary.LittleEndian.Uint32(b[12:]),
	}
	k := uint64(binary.LittleEndian.Uint32(b[16:]))
	if uint64(len(b)) != HeaderSize+6*k {
		return Message{}, fmt.Errorf("%w: %d bytes for k %d", ErrSize, len(b), k)
	}
	m.Indices = make([]uint32, k)
	m.Values = make([]uint16, k)
	off := HeaderSize
	for i := range m.Indices {
		m.Indices[i] = binary.LittleEndian.Uint32(b[off:])
		off += 4
	}
	for i := range m.Values {
		m.Values[i] = binary.LittleEndian.Uint16(b[off:])
		off += 2
	}
	if err := m.Validate(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// Dense reconstructs the dense float32 gradient of length N: values are
// scattered into zeros of length [Message.Bound], each chunk goes through the
// inverse DCT when C > 0, and the result is truncated to N. m must be valid
// (as returned by [Decode]); Dense allocates 4N bytes plus, when C > 0, 8C
// bytes of scratch, so callers handling untrusted messages should check
// TotalLen first or use [Decompress].
func (m *Message) Dense() []float32 {
	n := int(m.TotalLen)
	out := make([]float32, n)
	if m.ChunkSize == 0 {
		for i, ix := range m.Indices {
			out[ix] = F32FromF16(m.Values[i])
		}
		return out
	}
	c := int(m.ChunkSize)
	p := newDCTPlan(c)
	buf := make([]float64, c)
	j := 0
	for start := 0; start < n; start += c {
		clear(buf)
		hit := false
		for j < len(m.Indices) && int(m.Indices[j]) < start+c {
			buf[int(m.Indices[j])-start] = float64(F32FromF16(m.Values[j]))
			hit = true
			j++
		}
		if !hit {
			continue
		}
		p.inverse(buf)
		end := min(start+c, n)
		for i := start; i < end; i++ {
			out[i] = float32(buf[i-start])
		}
	}
	return out
}

// Decompress decodes untrusted bytes into a dense float32 gradient whose
// length must equal n, the caller's known model size; the length check runs
// before the dense vector is allocated. Errors are those of [Decode], or
// ErrLength when N ≠ n.
func Decompress(b []byte, n int) ([]float32, error) {
	m, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if int64(m.TotalLen) != int64(n) {
		return nil, fmt.Errorf("%w: message %d, want %d", ErrLength, m.TotalLen, n)
	}
	return m.Dense(), nil
}

// ContentHash returns SHA-256 over the exact message bytes.
func ContentHash(b []byte) [32]byte { return sha256.Sum256(b) }
