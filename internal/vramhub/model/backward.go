package model

import (
	"fmt"
	"math"
)

// Loss returns the mean natural-log cross-entropy of predicting row[1:] from
// row[:len(row)-1], over every target of every row of batch. Rows may differ
// in length; each holds 2 to Context+1 tokens. Loss does not change the
// parameters, and the same parameters and batch give the same bits. It
// returns an error wrapping [ErrBatch] for a batch it cannot evaluate.
func (m *Model) Loss(batch [][]int32) (float64, error) {
	if err := m.prepare(batch); err != nil {
		return 0, err
	}
	return m.forward(), nil
}

// LossAndGrad returns [Model.Loss] of batch and overwrites grad with the
// gradient of that loss with respect to [Model.Params], in the same flat
// layout. It does not change the parameters. It returns an error wrapping
// [ErrLength] if len(grad) != NumParams() or [ErrBatch] for a bad batch; on
// error grad is unchanged.
func (m *Model) LossAndGrad(batch [][]int32, grad []float32) (float64, error) {
	if len(grad) != len(m.params) {
		return 0, fmt.Errorf("%w: gradient of %d, want %d", ErrLength, len(grad), len(m.params))
	}
	if err := m.prepare(batch); err != nil {
		return 0, err
	}
	loss := m.forward()
	clear(grad)
	m.backward(m.gradView(grad))
	return loss, nil
}

// Gradient returns the loss of batch and a newly allocated gradient; see
// [Model.LossAndGrad].
func (m *Model) Gradient(batch [][]int32) (float64, []float32, error) {
	g := make([]float32, len(m.params))
	loss, err := m.LossAndGrad(batch, g)
	if err != nil {
		return 0, nil, err
	}
	return loss, g, nil
}

// gradView returns the tensor view of grad, reusing the last one when grad
// is the same vector.
func (m *Model) gradView(grad []float32) *view {
	ws := &m.ws
	if ws.gradBase != &grad[0] {
		ws.gradView = newView(m.cfg, grad)
		ws.gradBase = &grad[0]
	}
	return &ws.gradView
}

// backward adds the gradient of the loss of the last forward pass to g.
func (m *Model) backward(g *view) {
	c, ws, w := m.cfg, &m.ws, &m.w
	n, d, h, v := ws.n, c.Width, c.hidden(), c.Vocab

	ws.dx = grow(ws.dx, n*d)
	ws.dtmp = grow(ws.dtmp, n*d)
	ws.dln = grow(ws.dln, n*d)
	ws.dao = grow(ws.dao, n*d)
	ws.dqkv = grow(ws.dqkv, 3*n*d)
	ws.dh = grow(ws.dh, n*h)
	ws.dp = grow(ws.dp, c.Context)
	ws.tmp = grow(ws.tmp, max((d+v)*n+d*v, (d+h)*n+d*h, 4*d*n+3*d*d))

	// ∂loss/∂logits = (softmax − onehot(target)) / N, in place.
	invN := 1 / float64(n)
	for i, t := range ws.targets {
		row := ws.logits[i*v : i*v+v]
		lse := ws.lse[i]
		for j, z := range row {
			row[j] = float32(math.Exp(float64(z)-lse) * invN)
		}
		row[t] -= float32(invN)
	}
	linearBack(ws.dln, g.wte, nil, ws.lnf, w.wte, ws.logits, ws.tmp, n, d, v)
	layerNormBack(ws.dx, g.lnfg, g.lnfb, ws.dln, ws.xs[c.Layers], ws.muf, ws.rsf, w.lnfg, n, d)

	for l := c.Layers - 1; l >= 0; l-- {
		a, lv, gl := &ws.layers[l], &w.layers[l], &g.layers[l]
		// ws.dx is ∂loss/∂(block output) = ∂/∂(x2 + mlp(ln2(x2))).
		linearBack(ws.dh, gl.w2, gl.b2, a.hact, lv.w2, ws.dx, ws.tmp, n, h, d)
		geluBack(ws.dh, ws.dh, a.hpre)
		linearBack(ws.dln, gl.w1, gl.b1, a.ln2, lv.w1, ws.dh, ws.tmp, n, d, h)
		layerNormBack(ws.dtmp, gl.ln2g, gl.ln2b, ws.dln, a.x2, a.mu2, a.rs2, lv.ln2g, n, d)
		addTo(ws.dx, ws.dtmp)
		// ws.dx is ∂loss/∂x2 = ∂/∂(xin + proj(attn(ln1(xin)))).
		linearBack(ws.dao, gl.wo, gl.bo, a.ao, lv.wo, ws.dx, ws.tmp, n, d, d)
		m.attentionBack(a)
		linearBack(ws.dln, gl.wqkv, gl.bqkv, a.ln1, lv.wqkv, ws.dqkv, ws.tmp, n, d, 3*d)
		layerNormBack(ws.dtmp, gl.ln1g, gl.ln1b, ws.dln, ws.xs[l], a.mu1, a.rs1, lv.ln1g, n, d)
		addTo(ws.dx, ws.dtmp)
	}

	for i, t := range ws.tokens {
		dxi := ws.dx[i*d : i*d+d]
		addTo(g.wte[int(t)*d:int(t)*d+d], dxi)
		p := int(ws.pos[i])
		addTo(g.wpe[p*d:p*d+d], dxi)
	}
}

// attentionBack sets ws.dqkv from ws.dao, the gradient of a.ao.
func (m *Model) attentionBack(a *layerActs) {
	c, ws := m.cfg, &m.ws
	d, nh := c.Width, c.Heads
	hd := d / nh
	scale := float32(1 / math.Sqrt(float64(hd)))
	dqkv := ws.dqkv[:3*ws.n*d]
	clear(dqkv)
	for _, r := range ws.rows {
		n := r.n
		for h := range nh {
			P := a.att[r.att+h*n*n : r.att+(h+1)*n*n]
			for t := range n {
				oo := (r.start+t)*d + h*hd
				dout := ws.dao[oo : oo+hd]
				p := P[t*n : t*n+t+1]
				dp := ws.dp[:len(p)]
				var sum float64
				for u, pu := range p {
					vo := (r.start+u)*3*d + 2*d + h*hd
					dp[u] = dot(dout, a.qkv[vo:vo+hd])
					axpy(dqkv[vo:vo+hd], pu, dout)
					sum += float64(pu * dp[u])
				}
				s := float32(sum)
				qo := (r.start+t)*3*d + h*hd
				q, dq := a.qkv[qo:qo+hd], dqkv[qo:qo+hd]
				for u, pu := range p {
					ds := float32(float32(pu*(dp[u]-s)) * scale)
					ko := (r.start+u)*3*d + d + h*hd
					axpy(dq, ds, a.qkv[ko:ko+hd])
					axpy(dqkv[ko:ko+hd], ds, q)
				}
			}
		}
	}
}
