package compress

import (
	"math"
	"math/bits"
)

// dctPlan holds the twiddle factors for an orthonormal DCT-II/DCT-III of one
// length n, computed with Makhoul's reordering and one complex FFT of length
// n (radix-2 when n is a power of two, Bluestein's chirp-z otherwise). A plan
// is read-only after construction except for its scratch buffers, so one
// plan serves one goroutine.
type dctPlan struct {
	n     int
	fft   *fftPlan
	shift []complex128 // exp(-iπk/(2n))
	scale []float64    // a_k
	buf   []complex128
	v     []float64
}

func newDCTPlan(n int) *dctPlan {
	p := &dctPlan{
		n:     n,
		fft:   newFFTPlan(n),
		shift: make([]complex128, n),
		scale: make([]float64, n),
		buf:   make([]complex128, n),
		v:     make([]float64, n),
	}
	for k := range n {
		s, c := math.Sincos(-math.Pi * float64(k) / float64(2*n))
		p.shift[k] = complex(c, s)
		p.scale[k] = math.Sqrt(2 / float64(n))
	}
	p.scale[0] = math.Sqrt(1 / float64(n))
	return p
}

// forward replaces x (length n) with its orthonormal DCT-II.
func (p *dctPlan) forward(x []float64) {
	n := p.n
	for i := 0; 2*i < n; i++ {
		p.buf[i] = complex(x[2*i], 0)
	}
	for i := 0; 2*i+1 < n; i++ {
		p.buf[n-1-i] = complex(x[2*i+1], 0)
	}
	p.fft.transform(p.buf, false)
	for k := range n {
		x[k] = real(cmul(p.shift[k], p.buf[k])) * p.scale[k]
	}
}

// inverse replaces X (length n) with its inverse, the orthonormal DCT-III.
func (p *dctPlan) inverse(x []float64) {
	n := p.n
	// Unscaled coefficients U_k = X_k / a_k; V_k = conj(w_k)·(U_k − i·U_{n−k})
	// with U_n = 0 recovers the DFT of the reordered sequence.
	for k := range n {
		u := x[k] / p.scale[k]
		var w float64
		if k > 0 {
			w = x[n-k] / p.scale[n-k]
		}
		s := p.shift[k]
		p.buf[k] = cmul(complex(real(s), -imag(s)), complex(u, -w))
	}
	p.fft.transform(p.buf, true)
	inv := 1 / float64(n)
	for i := 0; 2*i < n; i++ {
		p.v[2*i] = real(p.buf[i]) * inv
	}
	for i := 0; 2*i+1 < n; i++ {
		p.v[2*i+1] = real(p.buf[n-1-i]) * inv
	}
	copy(x, p.v)
}

// dctDirect is the O(n²) definition of the orthonormal DCT-II, the reference
// the fast form is tested against.
func dctDirect(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	for k := range n {
		var s float64
		for i, v := range x {
			s += v * math.Cos(math.Pi*float64((2*i+1)*k)/float64(2*n))
		}
		a := math.Sqrt(2 / float64(n))
		if k == 0 {
			a = math.Sqrt(1 / float64(n))
		}
		out[k] = a * s
	}
	return out
}

// idctDirect is the O(n²) definition of the orthonormal DCT-III.
func idctDirect(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	for i := range n {
		var s float64
		for k, v := range x {
			a := math.Sqrt(2 / float64(n))
			if k == 0 {
				a = math.Sqrt(1 / float64(n))
			}
			s += a * v * math.Cos(math.Pi*float64((2*i+1)*k)/float64(2*n))
		}
		out[i] = s
	}
	return out
}

// fftPlan computes an unnormalised complex DFT of one length n. Powers of two
// use an iterative radix-2 transform; other lengths use Bluestein's algorithm
// on a power-of-two plan of length ≥ 2n−1.
type fftPlan struct {
	n       int
	twiddle []complex128 // radix-2: exp(-2πik/n), k < n/2
	rev     []int        // radix-2: bit-reversal permutation
	// Bluestein
	inner *fftPlan
	chirp []complex128 // exp(-iπk²/n), k < n
	kern  []complex128 // DFT of the conjugate chirp, length inner.n
	work  []complex128
}

func newFFTPlan(n int) *fftPlan {
	p := &fftPlan{n: n}
	if n&(n-1) == 0 {
		p.twiddle = make([]complex128, n/2)
		for k := range p.twiddle {
			s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
			p.twiddle[k] = complex(c, s)
		}
		p.rev = make([]int, n)
		if n > 1 {
			lg := bits.TrailingZeros(uint(n))
			for i := range n {
				p.rev[i] = int(bits.Reverse(uint(i)) >> (bits.UintSize - lg))
			}
		}
		return p
	}
	m := 1
	for m < 2*n-1 {
		m <<= 1
	}
	p.inner = newFFTPlan(m)
	p.chirp = make([]complex128, n)
	for k := range n {
		// k² mod 2n keeps the angle argument small and exact.
		q := (uint64(k) * uint64(k)) % uint64(2*n)
		s, c := math.Sincos(-math.Pi * float64(q) / float64(n))
		p.chirp[k] = complex(c, s)
	}
	p.kern = make([]complex128, m)
	for k := range n {
		c := complex(real(p.chirp[k]), -imag(p.chirp[k]))
		p.kern[k] = c
		if k > 0 {
			p.kern[m-k] = c
		}
	}
	p.inner.transform(p.kern, false)
	p.work = make([]complex128, m)
	return p
}

// transform replaces x with its DFT (or the unnormalised inverse DFT when
// inverse is set, i.e. with a positive exponent and no 1/n factor).
func (p *fftPlan) transform(x []complex128, inverse bool) {
	if inverse {
		for i, v := range x {
			x[i] = complex(real(v), -imag(v))
		}
		p.transform(x, false)
		for i, v := range x {
			x[i] = complex(real(v), -imag(v))
		}
		return
	}
	if p.inner != nil {
		p.bluestein(x)
		return
	}
	n := p.n
	for i := range n {
		if j := p.rev[i]; i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half := size / 2
		step := n / size
		for start := 0; start < n; start += size {
			for j := range half {
				t := cmul(p.twiddle[j*step], x[start+j+half])
				u := x[start+j]
				x[start+j] = u + t
				x[start+j+half] = u - t
			}
		}
	}
}

func (p *fftPlan) bluestein(x []complex128) {
	n, m := p.n, p.inner.n
	w := p.work
	for k := range n {
		w[k] = cmul(x[k], p.chirp[k])
	}
	clear(w[n:])
	p.inner.transform(w, false)
	for k := range m {
		w[k] = cmul(w[k], p.kern[k])
	}
	p.inner.transform(w, true)
	inv := 1 / float64(m)
	for k := range n {
		x[k] = cmul(complex(real(w[k])*inv, imag(w[k])*inv), p.chirp[k])
	}
}

// cmul multiplies with every product rounded before the sum, so no
// platform fuses it into a multiply-add and decoded gradients are bit-equal
// on every architecture.
func cmul(a, b complex128) complex128 {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	return complex(float64(ar*br)-float64(ai*bi), float64(ar*bi)+float64(ai*br))
}
