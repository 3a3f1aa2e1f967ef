// Package checkpoint encodes and decodes VRAM HUB checkpoint files (format
// v1): model weights anchored on the ledger, and the aggregated updates the
// aggregator records. The SHA-256 of the whole file is the checkpoint hash
// miners name, the enclave checks and the signed scores bind.
//
// Layout, integers little-endian:
//
//	offset  size  field
//	0       4     magic "VHCK"
//	4       2     version = 1
//	6       1     kind: 1 weights, 2 aggregated update
//	7       1     dtype: 1 = f32
//	8       2     model id length m (1..255)
//	10      m     model id, UTF-8
//	10+m    8     window: effective window (kind 1) or source window (kind 2)
//	18+m    8     count N
//	26+m    4N    body: N f32 in the model's parameter order
//
// Nothing may follow the body. The package is pure: bytes in, values out.
package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Kinds of checkpoint file.
const (
	KindWeights     uint8 = 1
	KindAggregation uint8 = 2
)

const (
	magic     = "VHCK"
	version   = 1
	dtypeF32  = 1
	headerMin = 26
	// MaxParams bounds N so a hostile header cannot ask for a huge
	// allocation (2^28 parameters = 1 GiB of f32).
	MaxParams = 1 << 28
)

// ErrFormat is returned for bytes that are not a valid checkpoint file.
var ErrFormat = errors.New("checkpoint: malformed file")

// File is a decoded checkpoint.
type File struct {
	Kind    uint8
	ModelID string
	Window  uint64
	Params  []float32
}

// Encode returns the file's bytes.
func Encode(f File) ([]byte, error) {
	if f.Kind != KindWeights && f.Kind != KindAggregation {
		return nil, fmt.Errorf("%w: kind %d", ErrFormat, f.Kind)
	}
	if len(f.ModelID) == 0 || len(f.ModelID) > 255 {
		return nil, fmt.Errorf("%w: model id of %d bytes", ErrFormat, len(f.ModelID))
	}
	if len(f.Params) > MaxParams {
		return nil, fmt.Errorf("%w: %d parameters", ErrFormat, len(f.Params))
	}
	b := make([]byte, 0, headerMin+len(f.ModelID)+4*len(f.Params))
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint16(b, version)
	b = append(b, f.Kind, dtypeF32)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(f.ModelID)))
	b = append(b, f.ModelID...)
	b = binary.LittleEndian.AppendUint64(b, f.Window)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(f.Params)))
	for _, p := range f.Params {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(p))
	}
	return b, nil
}

// Decode parses a checkpoint file.
func Decode(b []byte) (File, error) {
	if len(b) < headerMin || !bytes.Equal(b[:4], []byte(magic)) {
		return File{}, fmt.Errorf("%w: no VHCK header", ErrFormat)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != version {
		return File{}, fmt.Errorf("%w: version %d", ErrFormat, v)
	}
	f := File{Kind: b[6]}
	if f.Kind != KindWeights && f.Kind != KindAggregation {
		return File{}, fmt.Errorf("%w: kind %d", ErrFormat, f.Kind)
	}
	if b[7] != dtypeF32 {
		return File{}, fmt.Errorf("%w: dtype %d", ErrFormat, b[7])
	}
	m := int(binary.LittleEndian.Uint16(b[8:]))
	if m == 0 || m > 255 || len(b) < headerMin+m {
		return File{}, fmt.Errorf("%w: model id length %d", ErrFormat, m)
	}
	f.ModelID = string(b[10 : 10+m])
	f.Window = binary.LittleEndian.Uint64(b[10+m:])
	n := binary.LittleEndian.Uint64(b[18+m:])
	body := b[26+m:]
	if n > MaxParams || uint64(len(body)) != 4*n {
		return File{}, fmt.Errorf("%w: %d parameters in %d body bytes", ErrFormat, n, len(body))
	}
	f.Params = make([]float32, n)
	for i := range f.Params {
		f.Params[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
	}
	return f, nil
}

// Hash returns the checkpoint hash of encoded file bytes.
func Hash(b []byte) [32]byte { return sha256.Sum256(b) }
