package compress

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// denseHash hashes the float32 bits of a reconstruction.
func denseHash(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// goldenMessage builds a deterministic message with k entries spread over
// the padded range.
func goldenMessage(n, c uint32, k int) Message {
	m := Message{TotalLen: n, ChunkSize: c}
	bound := m.Bound()
	step := bound / uint64(k)
	for i := range k {
		m.Indices = append(m.Indices, uint32(uint64(i)*step+uint64(i%3)))
		m.Values = append(m.Values, uint16(0x2000+(i*2654435761)%0x5000)|uint16(i%2)<<15)
	}
	return m
}

// TestDenseGolden pins the exact float32 output of decoding, which every
// validator must reproduce bit for bit; a change here on any architecture
// means reconstructions (and so loss evaluations) would diverge.
func TestDenseGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{"c4096", goldenMessage(10_000, 4096, 96), "244bd93af8e16971fac61398a93dfb31cb9ee31ce8890020b62283538fde36aa"},
		{"c3000", goldenMessage(7_000, 3000, 64), "98e14e49177d26250d76cc4adb8a61b36b59417cccbd402e29df711b2b37fe99"},
		{"c0", goldenMessage(5_000, 0, 50), "2b337497a5f93cde3f8b104844e770e240d746890f7ab259751307fe14c6b4e3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.msg.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := denseHash(tt.msg.Dense()); got != tt.want {
				t.Errorf("denseHash(Dense(%s)) = %s, want %s", tt.name, got, tt.want)
			}
		})
	}
}
