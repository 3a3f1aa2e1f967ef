package model

import "math"

// The kernels below fix the order of every floating-point sum, so results do
// not depend on anything but the inputs. Products are written float32(x*y)
// so that no compiler fuses them into a multiply-add (the Go spec allows
// fusion unless an explicit conversion forbids it), which keeps arm64 and
// amd64 results equal for the same math.Exp and math.Tanh results.

// gemmNT adds A·Bᵀ to C, where A is [m][k], B is [n][k] and C is [m][n],
// all row-major and contiguous: c[i][j] += Σ_p a[i][p]·b[j][p], summed in
// increasing p before the single addition to c[i][j].
func gemmNT(c, a, b []float32, m, n, k int) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	_ = a[m*k-1]
	_ = b[n*k-1]
	_ = c[m*n-1]
	i := 0
	for ; i+2 <= m; i += 2 {
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k]
		c0 := c[i*n : i*n+n]
		c1 := c[(i+1)*n : (i+1)*n+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			b0 := b[j*k : j*k+k]
			b1 := b[(j+1)*k : (j+1)*k+k]
			b2 := b[(j+2)*k : (j+2)*k+k]
			b3 := b[(j+3)*k : (j+3)*k+k]
			// Equal lengths let the compiler drop the bounds checks below.
			a1, b0, b1, b2, b3 := a1[:len(a0)], b0[:len(a0)], b1[:len(a0)], b2[:len(a0)], b3[:len(a0)]
			var s00, s01, s02, s03, s10, s11, s12, s13 float32
			for p, x0 := range a0 {
				x1 := a1[p]
				y0, y1, y2, y3 := b0[p], b1[p], b2[p], b3[p]
				s00 += float32(x0 * y0)
				s01 += float32(x0 * y1)
				s02 += float32(x0 * y2)
				s03 += float32(x0 * y3)
				s10 += float32(x1 * y0)
				s11 += float32(x1 * y1)
				s12 += float32(x1 * y2)
				s13 += float32(x1 * y3)
			}
			c0[j] += s00
			c0[j+1] += s01
			c0[j+2] += s02
			c0[j+3] += s03
			c1[j] += s10
			c1[j+1] += s11
			c1[j+2] += s12
			c1[j+3] += s13
		}
		for ; j < n; j++ {
			c0[j] += dot(a0, b[j*k:j*k+k])
			c1[j] += dot(a1, b[j*k:j*k+k])
		}
	}
	for ; i < m; i++ {
		ai := a[i*k : i*k+k]
		ci := c[i*n : i*n+n]
		for j := range ci {
			ci[j] += dot(ai, b[j*k:j*k+k])
		}
	}
}

// dot returns Σ x[p]·y[p] summed in increasing p; len(y) >= len(x).
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for p, v := range x {
		s += float32(v * y[p])
	}
	return s
}

// axpy adds a·x to y; len(y) >= len(x).
func axpy(y []float32, a float32, x []float32) {
	y = y[:len(x)]
	for p, v := range x {
		y[p] += float32(a * v)
	}
}

// transpose writes the [cols][rows] transpose of the [rows][cols] matrix src
// into dst.
func transpose(dst, src []float32, rows, cols int) {
	const blk = 32
	for r0 := 0; r0 < rows; r0 += blk {
		r1 := min(r0+blk, rows)
		for c0 := 0; c0 < cols; c0 += blk {
			c1 := min(c0+blk, cols)
			for r := r0; r < r1; r++ {
				row := src[r*cols : r*cols+cols]
				for c := c0; c < c1; c++ {
					dst[c*rows+r] = row[c]
				}
			}
		}
	}
}

// linear sets y = x·wᵀ + b for x [n][in], w [out][in], b [out], y [n][out].
func linear(y, x, w, b []float32, n, in, out int) {
	for i := range n {
		copy(y[i*out:i*out+out], b)
	}
	gemmNT(y, x, w, n, out, in)
}

// linearBack is the backward pass of linear: given dy [n][out] it adds
// dyᵀ·x to dw, adds the column sums of dy to db (unless db is nil) and sets
// dx = dy·w (unless dx is nil). tmp must hold (in+out)·n + in·out floats.
func linearBack(dx, dw, db, x, w, dy, tmp []float32, n, in, out int) {
	if db != nil {
		for i := range n {
			row := dy[i*out : i*out+out]
			for o, v := range row {
				db[o] += v
			}
		}
	}
	dyT := tmp[:out*n]
	xT := tmp[out*n : (out+in)*n]
	transpose(dyT, dy, n, out)
	transpose(xT, x, n, in)
	gemmNT(dw, dyT, xT, out, in, n)
	if dx == nil {
		return
	}
	wT := tmp[(out+in)*n : (out+in)*n+in*out]
	transpose(wT, w, out, in)
	clear(dx[:n*in])
	gemmNT(dx, dy, wT, n, in, out)
}

const lnEps = 1e-5

// layerNorm normalizes each of the n rows of x [n][d] to zero mean and unit
// variance, then scales by g and shifts by b into y. It records each row's
// mean and reciprocal standard deviation for the backward pass.
func layerNorm(y, mean, rstd, x, g, b []float32, n, d int) {
	g, b = g[:d], b[:d]
	for i := range n {
		xi := x[i*d : i*d+d]
		yi := y[i*d : i*d+d]
		var s float64
		for _, v := range xi {
			s += float64(v)
		}
		mu := s / float64(d)
		var ss float64
		for _, v := range xi {
			t := float64(v) - mu
			ss += float64(t * t)
		}
		r := 1 / math.Sqrt(ss/float64(d)+lnEps)
		m32, r32 := float32(mu), float32(r)
		mean[i], rstd[i] = m32, r32
		for j, v := range xi {
			yi[j] = float32(float32((v-m32)*r32)*g[j]) + b[j]
		}
	}
}

// layerNormBack sets dx from dy for layerNorm and adds to dg and db.
func layerNormBack(dx, dg, db, dy, x, mean, rstd, g []float32, n, d int) {
	g, dg, db = g[:d], dg[:d], db[:d]
	for i := range n {
		xi := x[i*d : i*d+d]
		dyi := dy[i*d : i*d+d]
		dxi := dx[i*d : i*d+d]
		m, r := mean[i], rstd[i]
		var sd, sdx float64 // Σ dxhat, Σ dxhat·xhat
		for j, v := range xi {
			xh := float32((v - m) * r)
			dxh := float32(dyi[j] * g[j])
			dg[j] += float32(dyi[j] * xh)
			db[j] += dyi[j]
			sd += float64(dxh)
			sdx += float64(dxh * xh)
		}
		md := float32(sd / float64(d))
		mdx := float32(sdx / float64(d))
		for j, v := range xi {
			xh := float32((v - m) * r)
			dxh := float32(dyi[j] * g[j])
			dxi[j] = float32(r * (dxh - md - float32(xh*mdx)))
		}
	}
}

// GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
const (
	geluC = 0.7978845608028654 // √(2/π)
	geluA = 0.044715
)

func geluTanh(x float32) float64 {
	v := float64(x)
	return math.Tanh(geluC * (v + float64(geluA*v*v*v)))
}

// gelu sets y[i] = GELU(x[i]).
func gelu(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		t := geluTanh(v)
		y[i] = float32(0.5 * float64(v) * (1 + t))
	}
}

// geluBack sets dx[i] = dy[i]·GELU'(x[i]).
func geluBack(dx, dy, x []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		xv := float64(v)
		t := geluTanh(v)
		dt := float64(geluC * float64(1+float64(3*geluA*xv*xv)))
		d := float64(0.5*(1+t)) + float64(0.5*xv*float64((1-float64(t*t))*dt))
		dx[i] = float32(float64(dy[i]) * d)
	}
}
