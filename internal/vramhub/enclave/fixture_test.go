package enclave

import (
	"crypto/ed25519"
	"math/rand/v2"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// tinyModel is far smaller than model.Small so the tests stay fast.
var tinyModel = model.Config{Vocab: 16, Context: 8, Layers: 1, Width: 16, Heads: 2, MLPRatio: 2}

// tinyData is a synthetic dataset that fits tinyModel.
var tinyData = data.Spec{Kind: data.KindSynthetic, Vocab: 16, Rows: 2, RowLen: 9}

const (
	testNetwork = "vramhub-dev"
	testWindow  = 7
	testVUID    = 3
	testScale   = 0.5
)

type fixture struct {
	scorer *Scorer
	model  *model.Model // the checkpoint's model
	ckpt   []byte
	hash   ledger.Hash
	key    ed25519.PrivateKey
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	s, err := NewScorer(ScorerConfig{Model: tinyModel, Data: tinyData})
	if err != nil {
		t.Fatalf("NewScorer: %v", err)
	}
	m, err := model.New(tinyModel, 42)
	if err != nil {
		t.Fatal(err)
	}
	ckpt := EncodeCheckpoint(m, testWindow)
	return &fixture{
		scorer: s,
		model:  m,
		ckpt:   ckpt,
		hash:   CheckpointHash(ckpt),
		key:    ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)),
	}
}

// honestGradient is uid's real gradient at the checkpoint on its own batch,
// compressed as a miner would (stage 1 skipped: the model is tiny).
func (f *fixture) honestGradient(t testing.TB, uid uint64) []byte {
	t.Helper()
	batch, err := f.scorer.Batch(uid, testWindow)
	if err != nil {
		t.Fatal(err)
	}
	_, g, err := f.model.Gradient(batch)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compress.New(len(g), compress.Config{DisableMomentum: true, TopK: 512})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Compress(g)
	if err != nil {
		t.Fatal(err)
	}
	return res.Message
}

// noiseGradient is a dense random parameter-domain gradient of magnitude
// around amp.
func (f *fixture) noiseGradient(t testing.TB, seed uint64, amp float32) []byte {
	t.Helper()
	n := f.model.NumParams()
	rng := rand.New(rand.NewPCG(seed, 1))
	msg := compress.Message{TotalLen: uint32(n), Indices: make([]uint32, n), Values: make([]uint16, n)}
	for i := range n {
		msg.Indices[i] = uint32(i)
		v := compress.F16FromF32(amp * float32(rng.NormFloat64()))
		if v&0x7fff == 0 {
			v = compress.F16FromF32(amp)
		}
		msg.Values[i] = v
	}
	b, err := compress.Encode(msg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) request(grads map[uint64][]byte) *ProcessRequest {
	return &ProcessRequest{
		NetworkID:       testNetwork,
		ValidatorUID:    testVUID,
		Window:          testWindow,
		CheckpointHash:  f.hash,
		CheckpointBytes: f.ckpt,
		PeerGradients:   grads,
		ApplyScale:      testScale,
	}
}

// lossAfter applies g (wire bytes) to the checkpoint outside the Scorer and
// returns the loss on batch.
func (f *fixture) lossAfter(t testing.TB, wire []byte, batch [][]int32) float64 {
	t.Helper()
	g, err := compress.Decompress(wire, f.model.NumParams())
	if err != nil {
		t.Fatal(err)
	}
	m := f.model.Clone()
	p := m.Params()
	for i := range p {
		p[i] = float32(float64(p[i]) - float64(testScale*float64(g[i])))
	}
	l, err := m.Loss(batch)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
