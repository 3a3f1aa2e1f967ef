package validator

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vfs"
	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
)

func TestSync(t *testing.T) {
	tests := []struct {
		a, b []float32
		want float64
	}{
		{[]float32{1, 0}, []float32{2, 0}, 1},
		{[]float32{1, 0}, []float32{-3, 0}, -1},
		{[]float32{1, 0}, []float32{0, 5}, 0},
		{[]float32{0, 0}, []float32{1, 1}, 1},
	}
	for _, tt := range tests {
		if got := Sync(tt.a, tt.b); got < tt.want-1e-12 || got > tt.want+1e-12 {
			t.Errorf("Sync(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFastEval(t *testing.T) {
	const n = 64
	mem := vfs.NewMem()
	_ = mem.MkdirAll("b")
	bucket := &objstore.Dir{FS: mem, Path: "b"}
	v, err := New(Config{Ledger: nil, Mode: enclave.ModeSimulated, Checkpoints: bucket, NumParams: n,
		Buckets: func(uint64) (objstore.Store, error) { return bucket, nil }})
	if err == nil {
		t.Fatal("New without a ledger succeeded")
	}
	v = &Validator{cfg: Config{NumParams: n, Buckets: func(uint64) (objstore.Store, error) { return bucket, nil }}}

	g := make([]float32, n)
	g[3], g[10] = 1, -2
	comp, _ := compress.New(n, compress.Config{DisableDCT: true, DisableMomentum: true, TopK: 2, ChunkSize: n})
	res, err := comp.Compress(g)
	if err != nil {
		t.Fatal(err)
	}
	put := func(key string, b []byte) ledger.Gradient {
		_ = bucket.Put(t.Context(), key, b)
		return ledger.Gradient{Key: key, ContentHash: sha256.Sum256(b), Size: uint64(len(b))}
	}
	good := put("good", res.Message)
	other, _ := compress.New(2*n, compress.Config{DisableDCT: true})
	wrongN, _ := other.Compress(make([]float32, 2*n))
	tampered := good
	tampered.ContentHash[0] ^= 1
	params := ledger.Params{MaxGradientBytes: 1 << 20, SyncMinCosine: 0}
	flipped := make([]float32, n)
	flipped[3], flipped[10] = -1, 2

	tests := []struct {
		name      string
		g         ledger.Gradient
		p         ledger.Params
		consensus []float32
		reason    string // "" = passes
	}{
		{"honest", good, params, nil, ""},
		{"agrees with consensus", good, params, g, ""},
		{"sign flipped against consensus", good, params, flipped, "sync"},
		{"sync check off", good, ledger.Params{SyncMinCosine: -1}, nil, ""},
		{"tampered content", tampered, params, nil, "does not match"},
		{"missing object", ledger.Gradient{Key: "nope", Size: 1}, params, nil, "download"},
		{"empty", put("empty", nil), params, nil, "empty"},
		{"too large", good, ledger.Params{MaxGradientBytes: 8}, nil, "too large"},
		{"wrong model size", put("wrongn", wrongN.Message), params, nil, "format"},
		{"garbage", put("garbage", []byte("not a gradient")), params, nil, "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, reason := v.fastEval(t.Context(), 1, tt.g, tt.p, tt.consensus)
			if tt.reason == "" && reason != "" || tt.reason != "" && !strings.Contains(reason, tt.reason) {
				t.Fatalf("fastEval = %q, want %q", reason, tt.reason)
			}
		})
	}
}
