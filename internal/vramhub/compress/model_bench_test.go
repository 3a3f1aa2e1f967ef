package compress_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// BenchmarkModelGradient compresses real gradients of the Go model (the
// demo's Small config on an assigned corpus batch) and reports the
// compression ratio (dense f32 bytes / message bytes), the relative L2
// error of the reconstruction against the stage-1 input and against the
// full gradient, and the cosine similarity of the reconstruction with the
// full gradient.
func BenchmarkModelGradient(b *testing.B) {
	cfg := model.Small()
	cfg.Vocab = data.ByteVocab
	m, err := model.New(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	batch, err := data.Batch(data.Seed(0, 0), data.CorpusTokens(), 8, 65, data.ByteVocab)
	if err != nil {
		b.Fatal(err)
	}
	_, full, err := m.Gradient(batch)
	if err != nil {
		b.Fatal(err)
	}
	n := len(full)
	for _, bc := range []struct {
		stage1 float64
		cfg    compress.Config
	}{
		{0.001, compress.Config{}},
		{0.05, compress.Config{TopK: 256}},
		{0.05, compress.Config{DisableDCT: true, TopK: 256}},
		{1, compress.Config{TopK: 256}},
	} {
		name := fmt.Sprintf("stage1=%g/topk=%d/dct=%v", bc.stage1, max(bc.cfg.TopK, compress.DefaultTopK), !bc.cfg.DisableDCT)
		b.Run(name, func(b *testing.B) {
			in := compress.SparsifyTopK(full, max(1, int(math.Ceil(bc.stage1*float64(n)))))
			c, err := compress.New(n, bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.Compress(in)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				c.Reset()
				if _, err := c.Compress(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(4*n)/float64(len(res.Message)), "ratio")
			b.ReportMetric(rel(in, res.Sent), "rel_err_vs_stage1")
			b.ReportMetric(rel(full, res.Sent), "rel_err_vs_full")
			b.ReportMetric(cos(full, res.Sent), "cos_vs_full")
		})
	}
}

func rel(want, got []float32) float64 {
	var d, w float64
	for i := range want {
		e := float64(want[i]) - float64(got[i])
		d += e * e
		w += float64(want[i]) * float64(want[i])
	}
	return math.Sqrt(d / w)
}

func cos(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}
