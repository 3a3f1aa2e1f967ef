package compress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

func TestF16FromF32Edges(t *testing.T) {
	p := func(e int) float32 { return float32(math.Ldexp(1, e)) }
	tests := []struct {
		name string
		in   float32
		want uint16
	}{
		{"zero", 0, 0x0000},
		{"negative zero", float32(math.Copysign(0, -1)), 0x8000},
		{"one", 1, 0x3C00},
		{"minus two", -2, 0xC000},
		{"one plus half ulp ties to even (down)", 1 + p(-11), 0x3C00},
		{"one plus three half ulps ties to even (up)", 1 + 3*p(-11), 0x3C02},
		{"one plus just over half ulp", 1 + p(-11) + p(-23), 0x3C01},
		{"one plus just under half ulp", 1 + p(-11) - p(-23), 0x3C00},
		{"max finite", 65504, 0x7BFF},
		{"below saturation threshold", 65519.996, 0x7BFF},
		{"saturation threshold", 65520, 0x7BFF},
		{"huge", 1e30, 0x7BFF},
		{"negative huge", -1e30, 0xFBFF},
		{"+inf saturates", float32(math.Inf(1)), 0x7BFF},
		{"-inf saturates", float32(math.Inf(-1)), 0xFBFF},
		{"nan", float32(math.NaN()), 0x0000},
		{"smallest normal", p(-14), 0x0400},
		{"largest subnormal", p(-14) - p(-24), 0x03FF},
		{"largest subnormal plus half ulp ties up to normal", p(-14) - p(-25), 0x0400},
		{"smallest subnormal", p(-24), 0x0001},
		{"half smallest subnormal ties to zero", p(-25), 0x0000},
		{"negative half smallest subnormal", -p(-25), 0x8000},
		{"just over half smallest subnormal", p(-25) + p(-40), 0x0001},
		{"three halves smallest subnormal ties to two", 3 * p(-25), 0x0002},
		{"five halves smallest subnormal ties to two", 5 * p(-25), 0x0002},
		{"below every subnormal", p(-26), 0x0000},
		{"float32 subnormal", math.Float32frombits(1), 0x0000},
		{"carry into exponent", 2 - p(-12), 0x4000},
		{"tie carries into exponent", 2 - p(-11), 0x4000},
		{"tie to even below two", 2 - 3*p(-11), 0x3FFE},
		{"0.1", 0.1, 0x2E66},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := F16FromF32(tt.in); got != tt.want {
				t.Errorf("F16FromF32(%v) = %#04x, want %#04x", tt.in, got, tt.want)
			}
		})
	}
}

// TestF16MatchesReference compares against github.com/x448/float16, which
// rounds half to even but does not saturate, over every float32 exponent
// with low-order bit patterns chosen around the rounding boundaries.
func TestF16MatchesReference(t *testing.T) {
	lows := []uint32{0, 1, 0x0FFF, 0x1000, 0x1001, 0x1FFF, 0x0800, 0x17FF}
	rng := rand.New(rand.NewPCG(5, 6))
	for hi := uint32(0); hi < 1<<19; hi += 1 + uint32(rng.IntN(3)) {
		for _, lo := range lows {
			b := hi<<13 | lo
			x := math.Float32frombits(b)
			if x != x {
				continue
			}
			got := F16FromF32(x)
			want := float16.Fromfloat32(x).Bits()
			if want&0x7C00 == 0x7C00 { // reference overflowed to Inf
				want = want&0x8000 | MaxF16
			}
			if got != want {
				t.Fatalf("F16FromF32(%g [%#08x]) = %#04x, want %#04x", x, b, got, want)
			}
		}
	}
}

func TestF32FromF16Exhaustive(t *testing.T) {
	for h := range 1 << 16 {
		got := F32FromF16(uint16(h))
		want := float16.Frombits(uint16(h)).Float32()
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			t.Fatalf("F32FromF16(%#04x) = %v, want %v", h, got, want)
		}
		if f16Finite(uint16(h)) {
			if back := F16FromF32(got); back != uint16(h) {
				t.Fatalf("F16FromF32(F32FromF16(%#04x)) = %#04x", h, back)
			}
		}
	}
}
