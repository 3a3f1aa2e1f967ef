package enclave

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// Checkpoint file constants (see the package documentation).
const (
	// CheckpointMagic opens a VRAM HUB checkpoint file.
	CheckpointMagic = "VHCK"
	// CheckpointVersion is the only checkpoint version read and written.
	CheckpointVersion = 1
	// CheckpointKindWeights marks a file of model weights.
	CheckpointKindWeights = 1
	// CheckpointDTypeF32 marks f32 little-endian parameters.
	CheckpointDTypeF32 = 1

	savedModelMagic      = "VHTM"
	savedModelHeaderSize = 40
)

// EncodeCheckpoint returns the VRAM HUB checkpoint file v1 (kind 1, f32) of
// m's parameters for effective window w. Its SHA-256 is the checkpoint hash.
func EncodeCheckpoint(m *model.Model, w uint64) []byte {
	b, err := checkpoint.Encode(checkpoint.File{Kind: checkpoint.KindWeights, ModelID: m.ID(), Window: w, Params: m.Params()})
	if err != nil {
		panic(err) // a valid model always has an encodable id and size
	}
	return b
}

// CheckpointHash returns SHA-256 of the whole checkpoint file.
func CheckpointHash(b []byte) [32]byte { return sha256.Sum256(b) }

// checkpointHeader is what the two accepted formats say before the body.
type checkpointHeader struct {
	id    string // model id; empty for the saved-model format
	count uint64 // parameter count N
	body  int    // offset of the body
	saved bool   // saved-model format
}

// parseCheckpointHeader reads either header and checks that exactly 4N body
// bytes follow.
func parseCheckpointHeader(b []byte) (checkpointHeader, error) {
	if len(b) < 4 {
		return checkpointHeader{}, fmt.Errorf("%w: %d bytes", ErrCheckpointFormat, len(b))
	}
	var h checkpointHeader
	switch string(b[:4]) {
	case CheckpointMagic:
		f, err := checkpoint.Decode(b)
		if err != nil {
			return h, fmt.Errorf("%w: %w", ErrCheckpointFormat, err)
		}
		if f.Kind != CheckpointKindWeights {
			return h, fmt.Errorf("%w: kind %d, want weights", ErrCheckpointFormat, f.Kind)
		}
		h.id, h.count, h.body = f.ModelID, uint64(len(f.Params)), len(b)-4*len(f.Params)
	case savedModelMagic:
		if len(b) < savedModelHeaderSize {
			return h, fmt.Errorf("%w: truncated header", ErrCheckpointFormat)
		}
		h.count = binary.LittleEndian.Uint64(b[32:])
		h.body = savedModelHeaderSize
		h.saved = true
	default:
		return h, fmt.Errorf("%w: magic %q", ErrCheckpointFormat, b[:4])
	}
	if h.count == 0 || h.count > math.MaxInt32 || uint64(len(b)-h.body) != 4*h.count {
		return h, fmt.Errorf("%w: %d body bytes for %d parameters", ErrCheckpointFormat, len(b)-h.body, h.count)
	}
	return h, nil
}

// ParseCheckpoint loads checkpoint bytes in either accepted format into a
// copy of template, whose model id the file must carry. It returns an error
// wrapping [ErrCheckpointFormat] otherwise. b is not retained.
func ParseCheckpoint(b []byte, template *model.Model) (*model.Model, error) {
	h, err := parseCheckpointHeader(b)
	if err != nil {
		return nil, err
	}
	if h.saved {
		m, err := model.Load(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCheckpointFormat, err)
		}
		if m.ID() != template.ID() {
			return nil, fmt.Errorf("%w: model %q, enclave evaluates %q", ErrCheckpointFormat, m.ID(), template.ID())
		}
		return m, nil
	}
	if h.id != template.ID() {
		return nil, fmt.Errorf("%w: model %q, enclave evaluates %q", ErrCheckpointFormat, h.id, template.ID())
	}
	m := template.Clone()
	if err := m.LoadCheckpointBody(b[h.body:]); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpointFormat, err)
	}
	return m, nil
}
