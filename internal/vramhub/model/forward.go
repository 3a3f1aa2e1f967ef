package model

import (
	"fmt"
	"math"
)

// span is one batch row's run of positions in the flattened batch.
type span struct {
	start, n int // first flat position, number of input positions
	att      int // offset of the row's [Heads][n][n] probabilities
}

// layerActs holds one block's activations for the backward pass.
type layerActs struct {
	ln1, mu1, rs1 []float32 // [N][D], [N], [N]
	qkv           []float32 // [N][3D]
	att           []float32 // per row [Heads][n][n] attention probabilities
	ao            []float32 // [N][D] attention output before projection
	x2            []float32 // [N][D] residual after attention
	ln2, mu2, rs2 []float32
	hpre, hact    []float32 // [N][H] MLP hidden before and after GELU
}

// workspace is the scratch memory of one forward/backward pass; buffers grow
// to the largest batch seen and are reused.
type workspace struct {
	n       int
	rows    []span
	tokens  []int32     // [N] inputs
	targets []int32     // [N]
	pos     []int32     // [N] position of each input within its row
	xs      [][]float32 // Layers+1 residual streams [N][D]
	layers  []layerActs
	lnf     []float32 // [N][D]
	muf     []float32
	rsf     []float32
	logits  []float32 // [N][V]; the backward pass overwrites it with ∂loss/∂logits
	lse     []float64 // [N] log-sum-exp of each logits row

	dx, dtmp, dln, dao []float32 // [N][D]
	dqkv               []float32 // [N][3D]
	dh                 []float32 // [N][H]
	dp                 []float32 // [Context]
	tmp                []float32 // transposes for linearBack

	gradBase *float32 // flat vector gradView slices
	gradView view
}

// grow returns s resliced to n elements, reallocating only when cap(s) < n.
// The contents are unspecified.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// prepare checks batch and lays it out in the workspace.
func (m *Model) prepare(batch [][]int32) error {
	c := m.cfg
	if len(batch) == 0 {
		return fmt.Errorf("%w: no rows", ErrBatch)
	}
	ws := &m.ws
	ws.rows = grow(ws.rows, len(batch))
	n, att := 0, 0
	for r, row := range batch {
		if len(row) < 2 || len(row) > c.Context+1 {
			return fmt.Errorf("%w: row %d has %d tokens, want 2 to %d", ErrBatch, r, len(row), c.Context+1)
		}
		for j, t := range row {
			if t < 0 || int(t) >= c.Vocab {
				return fmt.Errorf("%w: row %d token %d is %d, want [0, %d)", ErrBatch, r, j, t, c.Vocab)
			}
		}
		k := len(row) - 1
		ws.rows[r] = span{start: n, n: k, att: att}
		n += k
		att += c.Heads * k * k
	}
	ws.n = n
	ws.tokens = grow(ws.tokens, n)
	ws.targets = grow(ws.targets, n)
	ws.pos = grow(ws.pos, n)
	for r, row := range batch {
		s := ws.rows[r]
		copy(ws.tokens[s.start:s.start+s.n], row[:s.n])
		copy(ws.targets[s.start:s.start+s.n], row[1:])
		for t := range s.n {
			ws.pos[s.start+t] = int32(t)
		}
	}
	d, h := c.Width, c.hidden()
	if len(ws.xs) != c.Layers+1 {
		ws.xs = make([][]float32, c.Layers+1)
		ws.layers = make([]layerActs, c.Layers)
	}
	for l := range ws.xs {
		ws.xs[l] = grow(ws.xs[l], n*d)
	}
	for l := range ws.layers {
		a := &ws.layers[l]
		a.ln1, a.mu1, a.rs1 = grow(a.ln1, n*d), grow(a.mu1, n), grow(a.rs1, n)
		a.qkv = grow(a.qkv, 3*n*d)
		a.att = grow(a.att, att)
		a.ao, a.x2 = grow(a.ao, n*d), grow(a.x2, n*d)
		a.ln2, a.mu2, a.rs2 = grow(a.ln2, n*d), grow(a.mu2, n), grow(a.rs2, n)
		a.hpre, a.hact = grow(a.hpre, n*h), grow(a.hact, n*h)
	}
	ws.lnf, ws.muf, ws.rsf = grow(ws.lnf, n*d), grow(ws.muf, n), grow(ws.rsf, n)
	ws.logits = grow(ws.logits, n*c.Vocab)
	ws.lse = grow(ws.lse, n)
	return nil
}

// forward runs the model over the prepared batch and returns the mean
// cross-entropy of the targets. Activations stay in the workspace.
func (m *Model) forward() float64 {
	c, ws, w := m.cfg, &m.ws, &m.w
	n, d, h := ws.n, c.Width, c.hidden()

	x := ws.xs[0]
	for i, t := range ws.tokens {
		xi := x[i*d : i*d+d]
		te := w.wte[int(t)*d : int(t)*d+d]
		pe := w.wpe[int(ws.pos[i])*d : int(ws.pos[i])*d+d]
		for j := range xi {
			xi[j] = te[j] + pe[j]
		}
	}
	for l := range ws.layers {
		a, lv := &ws.layers[l], &w.layers[l]
		xin, xout := ws.xs[l], ws.xs[l+1]
		layerNorm(a.ln1, a.mu1, a.rs1, xin, lv.ln1g, lv.ln1b, n, d)
		linear(a.qkv, a.ln1, lv.wqkv, lv.bqkv, n, d, 3*d)
		m.attention(a)
		linear(a.x2, a.ao, lv.wo, lv.bo, n, d, d)
		addTo(a.x2, xin)
		layerNorm(a.ln2, a.mu2, a.rs2, a.x2, lv.ln2g, lv.ln2b, n, d)
		linear(a.hpre, a.ln2, lv.w1, lv.b1, n, d, h)
		gelu(a.hact, a.hpre)
		linear(xout, a.hact, lv.w2, lv.b2, n, h, d)
		addTo(xout, a.x2)
	}
	layerNorm(ws.lnf, ws.muf, ws.rsf, ws.xs[c.Layers], w.lnfg, w.lnfb, n, d)
	clear(ws.logits)
	gemmNT(ws.logits, ws.lnf, w.wte, n, c.Vocab, d)

	var sum float64
	v := c.Vocab
	for i, t := range ws.targets {
		row := ws.logits[i*v : i*v+v]
		ws.lse[i] = logSumExp(row)
		sum += ws.lse[i] - float64(row[t])
	}
	return sum / float64(n)
}

// logSumExp returns ln Σ exp(x[i]) in float64.
func logSumExp(x []float32) float64 {
	mx := x[0]
	for _, v := range x {
		mx = max(mx, v)
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v - mx))
	}
	return float64(mx) + math.Log(s)
}

// addTo adds x to y element-wise.
func addTo(y, x []float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += x[i]
	}
}

// attention computes causal multi-head self-attention of a.qkv into a.ao and
// records the probabilities in a.att.
func (m *Model) attention(a *layerActs) {
	c, ws := m.cfg, &m.ws
	d, nh := c.Width, c.Heads
	hd := d / nh
	scale := float32(1 / math.Sqrt(float64(hd)))
	for _, r := range ws.rows {
		n := r.n
		for h := range nh {
			P := a.att[r.att+h*n*n : r.att+(h+1)*n*n]
			for t := range n {
				qo := (r.start+t)*3*d + h*hd
				q := a.qkv[qo : qo+hd]
				p := P[t*n : t*n+t+1]
				mx := float32(math.Inf(-1))
				for u := range p {
					ko := (r.start+u)*3*d + d + h*hd
					s := float32(dot(q, a.qkv[ko:ko+hd]) * scale)
					p[u] = s
					mx = max(mx, s)
				}
				var sum float64
				for u, s := range p {
					e := math.Exp(float64(s - mx))
					p[u] = float32(e)
					sum += e
				}
				inv := 1 / sum
				for u, e := range p {
					p[u] = float32(float64(e) * inv)
				}
				oo := (r.start+t)*d + h*hd
				out := a.ao[oo : oo+hd]
				clear(out)
				for u, pu := range p {
					vo := (r.start+u)*3*d + 2*d + h*hd
					axpy(out, pu, a.qkv[vo:vo+hd])
				}
			}
		}
	}
}
