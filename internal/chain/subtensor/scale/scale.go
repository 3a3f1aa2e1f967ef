// Package scale implements the parts of Substrate's SCALE codec that
// subnetkit's Subtensor client needs: fixed-width little-endian integers,
// compact integers, booleans, options, length-prefixed byte strings and
// vectors.
//
// A [Decoder] reads untrusted bytes: every read is bounds-checked, and the
// first failure sticks, so a caller decodes a whole structure and checks
// [Decoder.Err] once. Lengths read from the input are never trusted to size
// an allocation beyond the bytes that remain.
package scale

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// ErrShort is returned when the input ends before a value does.
var ErrShort = errors.New("scale: unexpected end of input")

// ErrNonCanonical is returned for a compact integer not in its shortest form.
var ErrNonCanonical = errors.New("scale: non-canonical compact integer")

// Decoder reads SCALE values from a byte slice.
type Decoder struct {
	b   []byte
	off int
	err error
}

// NewDecoder returns a Decoder reading b.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the first error the decoder met, if any.
func (d *Decoder) Err() error { return d.err }

// Remaining returns how many bytes are left to read.
func (d *Decoder) Remaining() int { return len(d.b) - d.off }

// Offset returns how many bytes have been read.
func (d *Decoder) Offset() int { return d.off }

// Fail records err (if no error is recorded yet) so callers can report
// semantic failures through the same channel as short reads.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Finish returns the recorded error, or an error if input remains unread.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if d.Remaining() != 0 {
		return fmt.Errorf("scale: %d trailing bytes", d.Remaining())
	}
	return nil
}

// Bytes reads n raw bytes. The result aliases the input.
func (d *Decoder) Bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > d.Remaining() {
		d.err = ErrShort
		return nil
	}
	out := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return out
}

// Array32 reads 32 raw bytes (an AccountId32 or H256).
func (d *Decoder) Array32() (a [32]byte) {
	copy(a[:], d.Bytes(32))
	return a
}

// U8 reads one byte.
func (d *Decoder) U8() uint8 {
	b := d.Bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// Bool reads a SCALE bool; any byte other than 0 or 1 is an error.
func (d *Decoder) Bool() bool {
	switch v := d.U8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		d.Fail(fmt.Errorf("scale: invalid bool byte %#x", v))
		return false
	}
}

// U16 reads a little-endian u16.
func (d *Decoder) U16() uint16 {
	b := d.Bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

// U32 reads a little-endian u32.
func (d *Decoder) U32() uint32 {
	b := d.Bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// U64 reads a little-endian u64.
func (d *Decoder) U64() uint64 {
	b := d.Bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// U128 reads a little-endian u128 as (low, high) halves.
func (d *Decoder) U128() (lo, hi uint64) {
	lo = d.U64()
	hi = d.U64()
	return lo, hi
}

// Compact reads a compact integer that must fit in 64 bits.
func (d *Decoder) Compact() uint64 {
	v := d.CompactBig()
	if v == nil {
		return 0
	}
	if !v.IsUint64() {
		d.Fail(errors.New("scale: compact integer exceeds 64 bits"))
		return 0
	}
	return v.Uint64()
}

// CompactBig reads a compact integer of any width (up to 67 bytes).
func (d *Decoder) CompactBig() *big.Int {
	first := d.U8()
	if d.err != nil {
		return nil
	}
	switch first & 3 {
	case 0:
		return new(big.Int).SetUint64(uint64(first >> 2))
	case 1:
		b := d.Bytes(1)
		if b == nil {
			return nil
		}
		v := uint64(binary.LittleEndian.Uint16([]byte{first, b[0]})) >> 2
		if v < 1<<6 {
			d.Fail(ErrNonCanonical)
			return nil
		}
		return new(big.Int).SetUint64(v)
	case 2:
		b := d.Bytes(3)
		if b == nil {
			return nil
		}
		v := uint64(binary.LittleEndian.Uint32([]byte{first, b[0], b[1], b[2]})) >> 2
		if v < 1<<14 {
			d.Fail(ErrNonCanonical)
			return nil
		}
		return new(big.Int).SetUint64(v)
	default:
		n := int(first>>2) + 4
		b := d.Bytes(n)
		if b == nil {
			return nil
		}
		if b[n-1] == 0 {
			d.Fail(ErrNonCanonical)
			return nil
		}
		be := make([]byte, n)
		for i := range n {
			be[n-1-i] = b[i]
		}
		v := new(big.Int).SetBytes(be)
		if v.BitLen() <= 30 {
			d.Fail(ErrNonCanonical)
			return nil
		}
		return v
	}
}

// Len reads a compact length prefix and checks that at least min*n bytes
// remain (min is the smallest encoded size of one element, at least 1 is
// assumed for sizing), so a hostile length cannot force a huge allocation.
func (d *Decoder) Len(min int) int {
	n := d.Compact()
	if d.err != nil {
		return 0
	}
	if min < 1 {
		min = 1
	}
	if n > math.MaxInt32 || int(n) > d.Remaining()/min {
		d.Fail(fmt.Errorf("scale: length %d exceeds remaining input %d", n, d.Remaining()))
		return 0
	}
	return int(n)
}

// LenUnbounded reads a compact length for elements that may encode to zero
// bytes (such as empty tuples); it caps the length at limit instead.
func (d *Decoder) LenUnbounded(limit int) int {
	n := d.Compact()
	if d.err != nil {
		return 0
	}
	if n > uint64(limit) {
		d.Fail(fmt.Errorf("scale: length %d exceeds limit %d", n, limit))
		return 0
	}
	return int(n)
}

// ByteVec reads a length-prefixed byte string. The result aliases the input.
func (d *Decoder) ByteVec() []byte {
	n := d.Len(1)
	return d.Bytes(n)
}

// String reads a length-prefixed UTF-8 string.
func (d *Decoder) String() string { return string(d.ByteVec()) }

// Option reads an Option tag and reports whether a value follows.
func (d *Decoder) Option() bool {
	switch v := d.U8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		d.Fail(fmt.Errorf("scale: invalid option tag %#x", v))
		return false
	}
}

// Encoder appends SCALE values to a buffer.
type Encoder struct {
	buf []byte
}

// Bytes returns the encoded bytes.
func (e *Encoder) Bytes() []byte { return e.buf }

// Raw appends raw bytes.
func (e *Encoder) Raw(b []byte) *Encoder { e.buf = append(e.buf, b...); return e }

// U8 appends a byte.
func (e *Encoder) U8(v uint8) *Encoder { e.buf = append(e.buf, v); return e }

// Bool appends a bool.
func (e *Encoder) Bool(v bool) *Encoder {
	if v {
		return e.U8(1)
	}
	return e.U8(0)
}

// U16 appends a little-endian u16.
func (e *Encoder) U16(v uint16) *Encoder {
	e.buf = binary.LittleEndian.AppendUint16(e.buf, v)
	return e
}

// U32 appends a little-endian u32.
func (e *Encoder) U32(v uint32) *Encoder {
	e.buf = binary.LittleEndian.AppendUint32(e.buf, v)
	return e
}

// U64 appends a little-endian u64.
func (e *Encoder) U64(v uint64) *Encoder {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, v)
	return e
}

// U128 appends a little-endian u128 given as halves.
func (e *Encoder) U128(lo, hi uint64) *Encoder { return e.U64(lo).U64(hi) }

// Compact appends a compact integer.
func (e *Encoder) Compact(v uint64) *Encoder {
	e.buf = AppendCompact(e.buf, v)
	return e
}

// ByteVec appends a length-prefixed byte string.
func (e *Encoder) ByteVec(b []byte) *Encoder { return e.Compact(uint64(len(b))).Raw(b) }

// String appends a length-prefixed string.
func (e *Encoder) String(s string) *Encoder { return e.ByteVec([]byte(s)) }

// AppendCompact appends the compact encoding of v to b.
func AppendCompact(b []byte, v uint64) []byte {
	switch {
	case v < 1<<6:
		return append(b, byte(v<<2))
	case v < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(v<<2|1))
	case v < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(v<<2|2))
	default:
		n := 8
		for n > 4 && v>>(8*(n-1)) == 0 {
			n--
		}
		b = append(b, byte((n-4)<<2|3))
		for i := range n {
			b = append(b, byte(v>>(8*i)))
		}
		return b
	}
}
