package subtensor

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
)

// Value is a SCALE value decoded by walking the metadata's type registry.
// Exactly one group of fields is set, according to the type's kind.
type Value struct {
	// Variant is set for enums: the variant's name and index.
	Variant string
	Index   uint8
	// Fields holds composite fields, variant fields, tuple, array and
	// sequence elements, in order.
	Fields []Value
	// Names holds field names where the type has them.
	Names []string
	// Uint holds unsigned integers and compacts up to 64 bits, and bools.
	Uint uint64
	// Big holds 128- and 256-bit integers and signed integers.
	Big *big.Int
	// Bytes holds sequences and arrays of u8, and strings.
	Bytes []byte
}

// Field returns the named field of a composite or variant value.
func (v Value) Field(name string) (Value, bool) {
	for i, n := range v.Names {
		if n == name {
			return v.Fields[i], true
		}
	}
	return Value{}, false
}

// maxDecodeDepth bounds recursion on hostile or cyclic registries.
const maxDecodeDepth = 64

// maxElements bounds zero-sized sequence lengths.
const maxElements = 1 << 20

var errDepth = errors.New("subtensor: type nesting too deep")

// DecodeValue decodes one value of type id from d.
func (m *Metadata) DecodeValue(d *scale.Decoder, id uint32) Value {
	return m.decodeValue(d, id, 0)
}

func (m *Metadata) decodeValue(d *scale.Decoder, id uint32, depth int) Value {
	if depth > maxDecodeDepth {
		d.Fail(errDepth)
		return Value{}
	}
	if d.Err() != nil {
		return Value{}
	}
	t := m.Type(id)
	switch t.Def {
	case defComposite:
		return m.decodeFields(d, t.Fields, depth)
	case defVariant:
		idx := d.U8()
		if d.Err() != nil {
			return Value{}
		}
		v, ok := m.variantByIndex(id, idx)
		if !ok {
			d.Fail(fmt.Errorf("subtensor: type %d has no variant %d", id, idx))
			return Value{}
		}
		out := m.decodeFields(d, v.Fields, depth)
		out.Variant, out.Index = v.Name, idx
		return out
	case defSequence:
		if m.isPrim(t.Elem, primU8) && m.Type(t.Elem).Def == defPrimitive {
			return Value{Bytes: d.ByteVec()}
		}
		var n int
		if m.zeroSized(t.Elem) {
			n = d.LenUnbounded(maxElements)
		} else {
			n = d.Len(1)
		}
		out := Value{Fields: make([]Value, 0, n)}
		for i := 0; i < n && d.Err() == nil; i++ {
			out.Fields = append(out.Fields, m.decodeValue(d, t.Elem, depth+1))
		}
		return out
	case defArray:
		if m.Type(t.Elem).Def == defPrimitive && m.Type(t.Elem).Prim == primU8 {
			return Value{Bytes: d.Bytes(int(t.Len))}
		}
		if t.Len > maxElements {
			d.Fail(fmt.Errorf("subtensor: array length %d too large", t.Len))
			return Value{}
		}
		var out Value
		for i := 0; i < int(t.Len) && d.Err() == nil; i++ {
			out.Fields = append(out.Fields, m.decodeValue(d, t.Elem, depth+1))
		}
		return out
	case defTuple:
		var out Value
		for _, e := range t.Tuple {
			out.Fields = append(out.Fields, m.decodeValue(d, e, depth+1))
		}
		return out
	case defPrimitive:
		return decodePrimitive(d, t.Prim)
	case defCompact:
		b := d.CompactBig()
		if b == nil {
			return Value{}
		}
		if b.IsUint64() {
			return Value{Uint: b.Uint64()}
		}
		return Value{Big: b}
	case defBitSequence:
		// bitvec with u8 store and Lsb0 order: compact bit count, then bytes.
		store := m.resolve(t.Elem)
		if store.Def != defPrimitive || store.Prim != primU8 {
			d.Fail(fmt.Errorf("subtensor: unsupported bit sequence store type %d", t.Elem))
			return Value{}
		}
		bits := d.LenUnbounded(maxElements * 8)
		return Value{Uint: uint64(bits), Bytes: d.Bytes((bits + 7) / 8)}
	}
	d.Fail(fmt.Errorf("subtensor: unknown type definition %d", t.Def))
	return Value{}
}

func (m *Metadata) decodeFields(d *scale.Decoder, fields []Field, depth int) Value {
	var out Value
	for _, f := range fields {
		out.Fields = append(out.Fields, m.decodeValue(d, f.Type, depth+1))
		out.Names = append(out.Names, f.Name)
	}
	return out
}

func decodePrimitive(d *scale.Decoder, p int) Value {
	le := func(n int, signed bool) Value {
		b := d.Bytes(n)
		if b == nil {
			return Value{}
		}
		be := make([]byte, n)
		for i := range n {
			be[n-1-i] = b[i]
		}
		v := new(big.Int).SetBytes(be)
		if signed && b[n-1]&0x80 != 0 {
			v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
		}
		return Value{Big: v}
	}
	switch p {
	case primBool:
		if d.Bool() {
			return Value{Uint: 1}
		}
		return Value{}
	case primChar:
		return Value{Uint: uint64(d.U32())}
	case primStr:
		return Value{Bytes: d.ByteVec()}
	case primU8:
		return Value{Uint: uint64(d.U8())}
	case primU16:
		return Value{Uint: uint64(d.U16())}
	case primU32:
		return Value{Uint: uint64(d.U32())}
	case primU64:
		return Value{Uint: d.U64()}
	case primU128:
		return le(16, false)
	case primU256:
		return le(32, false)
	case primI8:
		return le(1, true)
	case primI16:
		return le(2, true)
	case primI32:
		return le(4, true)
	case primI64:
		return le(8, true)
	case primI128:
		return le(16, true)
	case primI256:
		return le(32, true)
	}
	d.Fail(fmt.Errorf("subtensor: unknown primitive %d", p))
	return Value{}
}
