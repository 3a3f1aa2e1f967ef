package compress

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// goldenMessages are pinned in testdata as exact wire bytes.
var goldenMessages = []struct {
	file string
	msg  Message
}{
	{"empty.bin", Message{TotalLen: 1, ChunkSize: 1}},
	{"sparse_c0.bin", Message{TotalLen: 10, ChunkSize: 0, Indices: []uint32{0, 3, 9}, Values: []uint16{0x3C00, 0xC000, 0x0001}}},
	{"dct_c4.bin", Message{TotalLen: 10, ChunkSize: 4, Indices: []uint32{0, 5, 11}, Values: []uint16{0x4000, 0x3800, 0xBC00}}},
	{"max_values.bin", Message{TotalLen: 3, ChunkSize: 3, Indices: []uint32{0, 1, 2}, Values: []uint16{0x7BFF, 0xFBFF, 0x8000}}},
}

func TestEncodeGolden(t *testing.T) {
	for _, g := range goldenMessages {
		t.Run(g.file, func(t *testing.T) {
			got, err := Encode(g.msg)
			if err != nil {
				t.Fatalf("Encode(%+v) error %v", g.msg, err)
			}
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Encode(%+v) = %x, want %x", g.msg, got, want)
			}
			dec, err := Decode(want)
			if err != nil {
				t.Fatalf("Decode(%x) error %v", want, err)
			}
			re, _ := Encode(dec)
			if !bytes.Equal(re, want) {
				t.Errorf("Encode(Decode(%x)) = %x", want, re)
			}
		})
	}
}

func TestEncodeLayout(t *testing.T) {
	b, err := Encode(Message{TotalLen: 300, ChunkSize: 4, Indices: []uint32{1, 258}, Values: []uint16{0x3C00, 0x0001}})
	if err != nil {
		t.Fatal(err)
	}
	want := "56484744" + "0100" + "0000" + "2c010000" + "04000000" + "02000000" +
		"01000000" + "02010000" + "003c" + "0100"
	if got := hex.EncodeToString(b); got != want {
		t.Errorf("Encode = %s, want %s", got, want)
	}
	if len(b) != HeaderSize+6*2 {
		t.Errorf("len = %d, want %d", len(b), HeaderSize+12)
	}
}

func header(n, c, k uint32) []byte {
	b := make([]byte, HeaderSize)
	copy(b, Magic)
	binary.LittleEndian.PutUint16(b[4:], 1)
	binary.LittleEndian.PutUint32(b[8:], n)
	binary.LittleEndian.PutUint32(b[12:], c)
	binary.LittleEndian.PutUint32(b[16:], k)
	return b
}

func withEntries(h []byte, idx []uint32, vals []uint16) []byte {
	for _, i := range idx {
		h = binary.LittleEndian.AppendUint32(h, i)
	}
	for _, v := range vals {
		h = binary.LittleEndian.AppendUint16(h, v)
	}
	return h
}

func TestDecodeRejects(t *testing.T) {
	ok := withEntries(header(10, 4, 2), []uint32{1, 11}, []uint16{0x3C00, 0x3C00})
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(ok)) }
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"nil", nil, ErrTruncated},
		{"short header", ok[:19], ErrTruncated},
		{"magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), ErrMagic},
		{"version 2", mutate(func(b []byte) []byte { b[4] = 2; return b }), ErrVersion},
		{"reserved", mutate(func(b []byte) []byte { b[7] = 1; return b }), ErrReserved},
		{"trailing byte", append(bytes.Clone(ok), 0), ErrSize},
		{"missing byte", ok[:len(ok)-1], ErrSize},
		{"k too large for size", mutate(func(b []byte) []byte { b[16] = 3; return b }), ErrSize},
		{"k huge", header(10, 0, 0xFFFFFFFF), ErrSize},
		{"zero length", header(0, 0, 0), ErrEmpty},
		{"chunk above length", header(3, 4, 0), ErrChunk},
		{"k above bound", withEntries(header(1, 0, 2), []uint32{0, 1}, []uint16{1, 1}), ErrCount},
		{"index at bound c=0", withEntries(header(10, 0, 1), []uint32{10}, []uint16{1}), ErrIndex},
		{"index at bound c=4", withEntries(header(10, 4, 1), []uint32{12}, []uint16{1}), ErrIndex},
		{"duplicate index", withEntries(header(10, 0, 2), []uint32{3, 3}, []uint16{1, 1}), ErrOrder},
		{"descending", withEntries(header(10, 0, 2), []uint32{4, 3}, []uint16{1, 1}), ErrOrder},
		{"inf", withEntries(header(10, 0, 1), []uint32{3}, []uint16{0x7C00}), ErrValue},
		{"-inf", withEntries(header(10, 0, 1), []uint32{3}, []uint16{0xFC00}), ErrValue},
		{"nan", withEntries(header(10, 0, 1), []uint32{3}, []uint16{0x7E01}), ErrValue},
		{"padded bound above 2^32", header(0xFFFFFFFF, 0x80000001, 0), ErrBound},
		{"too large", make([]byte, MaxMessageSize+1), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	if _, err := Decode(ok); err != nil {
		t.Errorf("Decode(valid) = %v, want nil", err)
	}
}

func TestDecompressLength(t *testing.T) {
	b, _ := Encode(Message{TotalLen: 5, Indices: []uint32{2}, Values: []uint16{0x3C00}})
	if _, err := Decompress(b, 6); !errors.Is(err, ErrLength) {
		t.Errorf("Decompress(N=5, 6) = %v, want %v", err, ErrLength)
	}
	got, err := Decompress(b, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 0, 1, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Decompress(...)[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestDenseDCTChunks(t *testing.T) {
	// A single DC coefficient per chunk reconstructs a constant 1/√C·v over
	// the chunk; the padded tail of the last chunk is truncated.
	m := Message{TotalLen: 10, ChunkSize: 4, Indices: []uint32{0, 8}, Values: []uint16{0x4000, 0x3C00}}
	got := m.Dense()
	if len(got) != 10 {
		t.Fatalf("len(Dense()) = %d, want 10", len(got))
	}
	for i, want := range []float64{1, 1, 1, 1, 0, 0, 0, 0, 0.5, 0.5} {
		if math.Abs(float64(got[i])-want) > 1e-7 {
			t.Errorf("Dense()[%d] = %v, want %v", i, got[i], want)
		}
	}
}

func TestEncodeRejectsInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   Message
		want error
	}{
		{"mismatch", Message{TotalLen: 3, Indices: []uint32{0}}, ErrMismatch},
		{"nan", Message{TotalLen: 3, Indices: []uint32{0}, Values: []uint16{0x7E00}}, ErrValue},
		{"order", Message{TotalLen: 3, Indices: []uint32{1, 0}, Values: []uint16{1, 1}}, ErrOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Encode(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("Encode(%+v) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
