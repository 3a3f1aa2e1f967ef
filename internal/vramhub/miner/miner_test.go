package miner

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vfs"
	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
)

type fakeTrainer struct{ loaded []byte }

func (f *fakeTrainer) LoadCheckpoint(_ context.Context, body []byte) error {
	f.loaded = body
	return nil
}

func (f *fakeTrainer) Train(context.Context, uint64, uint64) (float64, []float32, error) {
	return 0, nil, nil
}

type noLedger struct{ Ledger }

func newMiner(t *testing.T, b Behavior, n int) (*Miner, *objstore.Dir, *fakeTrainer) {
	t.Helper()
	mem := vfs.NewMem()
	_ = mem.MkdirAll("s")
	st := &objstore.Dir{FS: mem, Path: "s"}
	tr := &fakeTrainer{}
	m, err := New(Config{Ledger: noLedger{}, Trainer: tr, Checkpoints: st, Bucket: st, NumParams: n, Behavior: b, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return m, st, tr
}

func norm(g []float32) float64 {
	var s float64
	for _, x := range g {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func TestBehaviors(t *testing.T) {
	base := []float32{3, 0, 0, 4, 0, 0, 0, 0}
	for _, tt := range []struct {
		b        Behavior
		wantNorm float64
		same     bool
	}{{Honest, 5, true}, {Noise, 5, false}, {FreeRider, 0, false}} {
		m, _, _ := newMiner(t, tt.b, len(base))
		g := append([]float32(nil), base...)
		m.misbehave(g)
		if got := norm(g); math.Abs(got-tt.wantNorm) > 1e-4 {
			t.Errorf("%v: norm %v, want %v", tt.b, got, tt.wantNorm)
		}
		if same := g[1] == 0 && g[0] == 3; same != tt.same {
			t.Errorf("%v: gradient %v (unchanged %v, want %v)", tt.b, g, same, tt.same)
		}
	}
}

func TestLoadChecksAnchoredHash(t *testing.T) {
	m, st, tr := newMiner(t, Honest, 2)
	b, _ := checkpoint.Encode(checkpoint.File{Kind: checkpoint.KindWeights, ModelID: "m", Params: []float32{1, 2}})
	_ = st.Put(t.Context(), "ck", b)
	good := ledger.Anchor{Key: "ck", Hash: checkpoint.Hash(b)}
	bad := good
	bad.Hash[0] ^= 1
	if err := m.load(t.Context(), bad); err == nil || !strings.Contains(err.Error(), "anchored hash") {
		t.Fatalf("load(tampered) err = %v", err)
	}
	if tr.loaded != nil {
		t.Fatal("trainer got a checkpoint that failed its hash check")
	}
	if err := m.load(t.Context(), good); err != nil || len(tr.loaded) != 8 {
		t.Fatalf("load(good) = %v, trainer got %d bytes", err, len(tr.loaded))
	}
	small, _, _ := newMiner(t, Honest, 3)
	_ = small.cfg.Checkpoints.Put(t.Context(), "ck", b)
	if err := small.load(t.Context(), good); err == nil {
		t.Fatal("load accepted a checkpoint of the wrong size")
	}
}
