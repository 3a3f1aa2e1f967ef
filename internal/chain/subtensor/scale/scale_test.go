package scale

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"testing"
)

func TestCompactVectors(t *testing.T) {
	// Vectors from the SCALE specification's examples.
	tests := []struct {
		v   uint64
		hex string
	}{
		{0, "00"},
		{1, "04"},
		{42, "a8"},
		{63, "fc"},
		{64, "0101"},
		{69, "1501"},
		{16383, "fdff"},
		{16384, "02000100"},
		{65535, "feff0300"},
		{1<<30 - 1, "feffffff"},
		{1 << 30, "0300000040"},
		{100000000000000, "0b00407a10f35a"},
		{math.MaxUint64, "13ffffffffffffffff"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(AppendCompact(nil, tt.v))
		if got != tt.hex {
			t.Errorf("AppendCompact(%d) = %s, want %s", tt.v, got, tt.hex)
		}
		b, _ := hex.DecodeString(tt.hex)
		d := NewDecoder(b)
		if v := d.Compact(); v != tt.v || d.Finish() != nil {
			t.Errorf("Compact(%s) = %d, %v, want %d", tt.hex, v, d.Finish(), tt.v)
		}
	}
}

func TestCompactRejectsNonCanonical(t *testing.T) {
	for _, h := range []string{"0100", "02000000", "0300000000", "07ffffff3f00"} {
		b, _ := hex.DecodeString(h)
		d := NewDecoder(b)
		d.Compact()
		if !errors.Is(d.Err(), ErrNonCanonical) {
			t.Errorf("Compact(%s) err = %v, want ErrNonCanonical", h, d.Err())
		}
	}
}

func TestShortInput(t *testing.T) {
	d := NewDecoder([]byte{1, 2, 3})
	_ = d.U64()
	if !errors.Is(d.Err(), ErrShort) {
		t.Fatalf("U64 on 3 bytes: err = %v, want ErrShort", d.Err())
	}
	// The error sticks.
	if v := d.U8(); v != 0 || !errors.Is(d.Err(), ErrShort) {
		t.Fatalf("after error: U8 = %d, err %v", v, d.Err())
	}
}

func TestHostileLength(t *testing.T) {
	var e Encoder
	e.Compact(1 << 40).Raw([]byte{1, 2})
	d := NewDecoder(e.Bytes())
	if b := d.ByteVec(); b != nil || d.Err() == nil {
		t.Fatalf("ByteVec with huge length = %v, %v; want error", b, d.Err())
	}
}

func TestRoundTrip(t *testing.T) {
	var e Encoder
	e.U8(7).Bool(true).U16(0xbeef).U32(0xdeadbeef).U64(1<<63+5).U128(1, 2).String("héllo").Compact(1 << 33)
	d := NewDecoder(e.Bytes())
	if d.U8() != 7 || !d.Bool() || d.U16() != 0xbeef || d.U32() != 0xdeadbeef || d.U64() != 1<<63+5 {
		t.Fatal("fixed-width round trip mismatch")
	}
	if lo, hi := d.U128(); lo != 1 || hi != 2 {
		t.Fatalf("U128 = %d,%d", lo, hi)
	}
	if s := d.String(); s != "héllo" {
		t.Fatalf("String = %q", s)
	}
	if v := d.Compact(); v != 1<<33 {
		t.Fatalf("Compact = %d", v)
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
}

func TestBoolAndOptionRejectOtherBytes(t *testing.T) {
	d := NewDecoder([]byte{2})
	d.Bool()
	if d.Err() == nil {
		t.Error("Bool(0x02) accepted")
	}
	d = NewDecoder([]byte{2})
	d.Option()
	if d.Err() == nil {
		t.Error("Option(0x02) accepted")
	}
}

func FuzzCompact(f *testing.F) {
	for _, s := range []string{"00", "fdff", "0300000040", "13ffffffffffffffff", "17ffffffffffffffffff"} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		v := d.Compact()
		if d.Err() != nil {
			return
		}
		// Canonical decoding means re-encoding reproduces the consumed bytes.
		if got := AppendCompact(nil, v); !bytes.Equal(got, b[:d.Offset()]) {
			t.Fatalf("Compact(%x) = %d re-encodes to %x", b[:d.Offset()], v, got)
		}
	})
}
