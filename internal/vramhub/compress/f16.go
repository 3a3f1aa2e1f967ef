package compress

import "math"

// MaxF16 is the largest finite binary16 value, 65504, as bits 0x7BFF.
const MaxF16 uint16 = 0x7BFF

// F16FromF32 converts x to IEEE 754 binary16 bits, rounding to nearest with
// ties to even. Finite values whose rounded magnitude exceeds 65504 (that is
// |x| ≥ 65520) and ±Inf saturate to ±65504; NaN becomes +0. The result is
// therefore always a finite binary16 value.
func F16FromF32(x float32) uint16 {
	b := math.Float32bits(x)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xFF
	frac := b & 0x7FFFFF
	if exp == 0xFF {
		if frac != 0 {
			return 0
		}
		return sign | MaxF16
	}
	if exp == 0 {
		// float32 subnormals are below 2^-126, far under half the smallest
		// binary16 subnormal (2^-25).
		return sign
	}
	e := exp - 127 // unbiased exponent
	m := frac | 0x800000
	switch {
	case e >= -14:
		// Normal binary16: keep 10 fraction bits, round on the 13 dropped.
		h := uint32(e+15)<<10 | (m>>13)&0x3FF
		rest := m & 0x1FFF
		if rest > 0x1000 || (rest == 0x1000 && h&1 == 1) {
			h++ // a fraction carry moves into the exponent field
		}
		if h >= 0x7C00 {
			return sign | MaxF16
		}
		return sign | uint16(h)
	case e >= -25:
		// Subnormal binary16: the value is m·2^(e-23); in units of 2^-24
		// that is m >> (-e-1) with the shifted-out bits deciding rounding.
		shift := uint32(-e - 1) // 14..24
		h := m >> shift
		rest := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rest > half || (rest == half && h&1 == 1) {
			h++ // 0x3FF+1 becomes 0x400, the smallest normal
		}
		return sign | uint16(h)
	default:
		return sign
	}
}

// F32FromF16 converts binary16 bits to float32 exactly, subnormals included.
// Inf and NaN patterns map to float32 Inf and NaN.
func F32FromF16(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1F
	frac := uint32(h & 0x3FF)
	switch {
	case exp == 0x1F:
		return math.Float32frombits(sign | 0x7F800000 | frac<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	default:
		// Subnormal: frac·2^-24, exact in float32.
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
}

// f16Finite reports whether h is not an Inf or NaN pattern (exponent 31).
func f16Finite(h uint16) bool { return h&0x7C00 != 0x7C00 }
