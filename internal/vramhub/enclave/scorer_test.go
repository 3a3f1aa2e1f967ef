package enclave

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

func TestProcessScores(t *testing.T) {
	f := newFixture(t)
	honest := f.honestGradient(t, 1)
	grads := map[uint64][]byte{
		1: honest,
		2: honest, // copied from uid 1, scored on uid 2's batch
		4: f.honestGradient(t, 4),
		5: f.noiseGradient(t, 5, 2),
		6: []byte("not a gradient"),
		7: f.noiseGradient(t, 7, 60000), // so harmful that the score clamps
	}
	req := f.request(grads)
	resp, err := f.scorer.Process(req, f.key)
	if err != nil {
		t.Fatalf("Process = %v", err)
	}

	t.Run("honest gradients help", func(t *testing.T) {
		for _, uid := range []uint64{1, 4} {
			if s := resp.Scores[uid]; s <= 0 {
				t.Errorf("Scores[%d] = %d, want > 0", uid, s)
			}
			l := resp.Losses[uid]
			if want := ScoreDelta(l[0], l[1]); resp.Scores[uid] != want {
				t.Errorf("Scores[%d] = %d, want ScoreDelta(%v) = %d", uid, resp.Scores[uid], l, want)
			}
		}
	})
	t.Run("noise scores below honest", func(t *testing.T) {
		if resp.Scores[5] >= resp.Scores[1] || resp.Scores[5] >= 0 {
			t.Errorf("Scores[5] = %d, want below 0 and below honest %d", resp.Scores[5], resp.Scores[1])
		}
	})
	t.Run("copier is scored on its own batch", func(t *testing.T) {
		batch, err := f.scorer.Batch(2, testWindow)
		if err != nil {
			t.Fatal(err)
		}
		l0, err := f.model.Loss(batch)
		if err != nil {
			t.Fatal(err)
		}
		want := [2]float64{l0, f.lossAfter(t, honest, batch)}
		if got := resp.Losses[2]; got != want {
			t.Errorf("Losses[2] = %v, want %v (uid 2's batch)", got, want)
		}
		if resp.Losses[2] == resp.Losses[1] {
			t.Errorf("Losses[2] = Losses[1] = %v, want different batches", resp.Losses[1])
		}
	})
	t.Run("harmful gradient clamps", func(t *testing.T) {
		if resp.Scores[7] != WorstScore || resp.Losses[7][1] <= resp.Losses[7][0] {
			t.Errorf("Scores[7] = %d with losses %v, want %d", resp.Scores[7], resp.Losses[7], WorstScore)
		}
	})
	t.Run("invalid gradients get the worst score", func(t *testing.T) {
		for _, uid := range []uint64{6} {
			if resp.Scores[uid] != WorstScore {
				t.Errorf("Scores[%d] = %d, want %d", uid, resp.Scores[uid], WorstScore)
			}
			if resp.Excluded[uid] == "" {
				t.Errorf("Excluded[%d] is empty, want a reason", uid)
			}
			if _, ok := resp.Losses[uid]; ok {
				t.Errorf("Losses[%d] present for an excluded uid", uid)
			}
		}
		if len(resp.Excluded) != 1 {
			t.Errorf("Excluded = %v, want uid 6", resp.Excluded)
		}
	})
	t.Run("signature over the ledger message", func(t *testing.T) {
		msg, err := ledger.ScoreMessage(testNetwork, testVUID, testWindow, f.hash, resp.Pairs())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(msg, resp.SignedPayload) {
			t.Errorf("SignedPayload = %x, want %x", []byte(resp.SignedPayload), msg)
		}
		pub := f.key.Public().(ed25519.PublicKey)
		if !ed25519.Verify(pub, msg, resp.Signature) {
			t.Error("ed25519.Verify(ScoreMessage) = false, want true")
		}
		if !bytes.Equal(resp.PublicKey, pub) {
			t.Errorf("PublicKey = %x, want %x", []byte(resp.PublicKey), []byte(pub))
		}
		if _, err := VerifyResponse(req, resp, pub); err != nil {
			t.Errorf("VerifyResponse = %v, want nil", err)
		}
	})
	t.Run("preview equals openskill.Rate", func(t *testing.T) {
		pairs := resp.Pairs()
		in := make([]openskill.Rating, len(pairs))
		scores := make([]int64, len(pairs))
		for i, p := range pairs {
			in[i], scores[i] = openskill.Options{}.NewRating(), p.Score
		}
		out, err := openskill.Rate(in, scores, openskill.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pairs {
			want := [2]float64{out[i].Mu, out[i].Sigma}
			if got := resp.Ratings[p.UID]; got != want {
				t.Errorf("Ratings[%d] = %v, want %v", p.UID, got, want)
			}
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		again, err := f.scorer.Process(f.request(grads), f.key)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, resp) {
			t.Error("second Process differs from the first")
		}
	})
}

func TestProcessNonFiniteUpdate(t *testing.T) {
	f := newFixture(t)
	req := f.request(map[uint64][]byte{1: f.honestGradient(t, 1), 2: f.noiseGradient(t, 2, 1)})
	req.ApplyScale = 1e300 // θ' overflows float32
	resp, err := f.scorer.Process(req, f.key)
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range []uint64{1, 2} {
		if resp.Scores[uid] != WorstScore || resp.Excluded[uid] == "" {
			t.Errorf("Scores[%d] = %d (%q), want %d with a reason", uid, resp.Scores[uid], resp.Excluded[uid], WorstScore)
		}
	}
	if _, err := VerifyResponse(req, resp, f.key.Public().(ed25519.PublicKey)); err != nil {
		t.Errorf("VerifyResponse = %v, want nil", err)
	}
}

func TestProcessRatingsPrior(t *testing.T) {
	f := newFixture(t)
	req := f.request(map[uint64][]byte{1: f.honestGradient(t, 1), 2: f.noiseGradient(t, 2, 2), 3: f.honestGradient(t, 3)})
	req.Beta = 3
	req.CurrentRatings = map[uint64][2]float64{1: {30, 5}, 3: {20, 2}, 99: {1, 1}}
	resp, err := f.scorer.Process(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := resp.Pairs()
	in := []openskill.Rating{{Mu: 30, Sigma: 5}, openskill.Options{}.NewRating(), {Mu: 20, Sigma: 2}}
	scores := []int64{pairs[0].Score, pairs[1].Score, pairs[2].Score}
	out, err := openskill.Rate(in, scores, openskill.Options{Beta: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pairs {
		if got, want := resp.Ratings[p.UID], [2]float64{out[i].Mu, out[i].Sigma}; got != want {
			t.Errorf("Ratings[%d] = %v, want %v", p.UID, got, want)
		}
	}
	if len(resp.Ratings) != 3 {
		t.Errorf("len(Ratings) = %d, want 3 (uid 99 has no gradient)", len(resp.Ratings))
	}
	if !IsZeroSignature(resp.Signature) || len(resp.PublicKey) != 0 {
		t.Errorf("unsigned Process: signature %x, public key %x; want zeros and none", []byte(resp.Signature), []byte(resp.PublicKey))
	}
}

func TestProcessSingleMinerNoPreview(t *testing.T) {
	f := newFixture(t)
	resp, err := f.scorer.Process(f.request(map[uint64][]byte{9: f.honestGradient(t, 9)}), f.key)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Ratings) != 0 || len(resp.Scores) != 1 {
		t.Errorf("Process(one miner) = %d ratings, %d scores; want 0, 1", len(resp.Ratings), len(resp.Scores))
	}
}

func TestProcessSavedModelCheckpoint(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	if err := f.model.Save(&buf); err != nil {
		t.Fatal(err)
	}
	grads := map[uint64][]byte{1: f.honestGradient(t, 1)}
	want, err := f.scorer.Process(f.request(grads), f.key)
	if err != nil {
		t.Fatal(err)
	}
	req := f.request(grads)
	req.CheckpointBytes, req.CheckpointHash = buf.Bytes(), f.model.Hash()
	got, err := f.scorer.Process(req, f.key)
	if err != nil {
		t.Fatalf("Process(saved model) = %v", err)
	}
	if got.Scores[1] != want.Scores[1] {
		t.Errorf("Process(saved model).Scores[1] = %d, want %d", got.Scores[1], want.Scores[1])
	}
}

func TestProcessRejects(t *testing.T) {
	f := newFixture(t)
	good := f.honestGradient(t, 1)
	other, err := model.New(model.Config{Vocab: 16, Context: 8, Layers: 1, Width: 8, Heads: 2, MLPRatio: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	batch1, err := f.scorer.Batch(1, testWindow)
	if err != nil {
		t.Fatal(err)
	}
	random, err := f.scorer.Batch(data.EvalUID, testWindow)
	if err != nil {
		t.Fatal(err)
	}
	many := map[uint64][]byte{}
	for uid := range uint64(MaxMiners + 1) {
		many[uid] = good
	}
	tests := []struct {
		name   string
		mutate func(*ProcessRequest)
		want   error
	}{
		{"wrong checkpoint hash", func(r *ProcessRequest) { r.CheckpointHash[0] ^= 1 }, ErrCheckpointMismatch},
		{"tampered checkpoint", func(r *ProcessRequest) {
			r.CheckpointBytes = bytes.Clone(r.CheckpointBytes)
			r.CheckpointBytes[len(r.CheckpointBytes)-1] ^= 1
		}, ErrCheckpointMismatch},
		{"other model", func(r *ProcessRequest) {
			r.CheckpointBytes = EncodeCheckpoint(other, testWindow)
			r.CheckpointHash = CheckpointHash(r.CheckpointBytes)
		}, ErrCheckpointFormat},
		{"truncated checkpoint", func(r *ProcessRequest) {
			r.CheckpointBytes = r.CheckpointBytes[:len(r.CheckpointBytes)-4]
			r.CheckpointHash = CheckpointHash(r.CheckpointBytes)
		}, ErrCheckpointFormat},
		{"no gradients", func(r *ProcessRequest) { r.PeerGradients = nil }, ErrNothingScored},
		{"too many gradients", func(r *ProcessRequest) { r.PeerGradients = many }, ErrTooManyMiners},
		{"empty network id", func(r *ProcessRequest) { r.NetworkID = "" }, ErrBadRequest},
		{"network id with space", func(r *ProcessRequest) { r.NetworkID = "vram hub" }, ErrBadRequest},
		{"zero apply scale", func(r *ProcessRequest) { r.ApplyScale = 0 }, ErrBadRequest},
		{"NaN apply scale", func(r *ProcessRequest) { r.ApplyScale = math.NaN() }, ErrBadRequest},
		{"negative beta", func(r *ProcessRequest) { r.Beta = -1 }, ErrBadRequest},
		{"zero sigma", func(r *ProcessRequest) { r.CurrentRatings = map[uint64][2]float64{1: {25, 0}} }, ErrBadRequest},
		{"overflowing prior", func(r *ProcessRequest) { r.CurrentRatings = map[uint64][2]float64{1: {1e308, 1e308}} }, ErrBadRequest},
		{"wrong assigned batch", func(r *ProcessRequest) { r.AssignedBatches = map[uint64][][]int32{1: random} }, ErrBatchMismatch},
		{"batch for unknown uid", func(r *ProcessRequest) { r.AssignedBatches = map[uint64][][]int32{8: batch1} }, ErrBadRequest},
		{"wrong random batch", func(r *ProcessRequest) { r.RandomBatch = batch1 }, ErrBatchMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := f.request(map[uint64][]byte{1: good, 2: good})
			tt.mutate(req)
			_, err := f.scorer.Process(req, f.key)
			if !errors.Is(err, tt.want) {
				t.Errorf("Process = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("matching batches accepted", func(t *testing.T) {
		req := f.request(map[uint64][]byte{1: good})
		req.AssignedBatches = map[uint64][][]int32{1: batch1}
		req.RandomBatch = random
		if _, err := f.scorer.Process(req, f.key); err != nil {
			t.Errorf("Process = %v, want nil", err)
		}
	})
	t.Run("non-finite checkpoint loss", func(t *testing.T) {
		m := f.model.Clone()
		m.Params()[0] = float32(math.NaN())
		m.Params()[m.NumParams()-1] = float32(math.Inf(1))
		req := f.request(map[uint64][]byte{1: good})
		req.CheckpointBytes = EncodeCheckpoint(m, testWindow)
		req.CheckpointHash = CheckpointHash(req.CheckpointBytes)
		if _, err := f.scorer.Process(req, f.key); !errors.Is(err, ErrLossNotFinite) {
			t.Errorf("Process = %v, want %v", err, ErrLossNotFinite)
		}
	})
}

func TestNewScorerRejects(t *testing.T) {
	corpus := data.ToyCorpus()
	tests := []struct {
		name string
		cfg  ScorerConfig
	}{
		{"vocabulary too large", ScorerConfig{Model: tinyModel, Data: data.Spec{Kind: data.KindSynthetic, Vocab: 17, Rows: 1, RowLen: 4}}},
		{"row too long", ScorerConfig{Model: tinyModel, Data: data.Spec{Kind: data.KindSynthetic, Vocab: 16, Rows: 1, RowLen: 10}}},
		{"no rows", ScorerConfig{Model: tinyModel, Data: data.Spec{Kind: data.KindSynthetic, Vocab: 16, RowLen: 4}}},
		{"unknown kind", ScorerConfig{Model: tinyModel, Data: data.Spec{Vocab: 16, Rows: 1, RowLen: 4}}},
		{"corpus hash", ScorerConfig{Model: tinyModel, Data: data.Spec{Kind: data.KindCorpus, Vocab: 10, Rows: 1, RowLen: 4}, Corpus: corpus}},
		{"bad model", ScorerConfig{Model: model.Config{Width: 10, Heads: 3}, Data: tinyData}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewScorer(tt.cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("NewScorer = %v, want %v", err, ErrConfig)
			}
		})
	}
	t.Run("pinned corpus accepted", func(t *testing.T) {
		cfg := ScorerConfig{Model: tinyModel, Data: data.Spec{Kind: data.KindCorpus, Vocab: 10, Rows: 1, RowLen: 4, CorpusHash: data.TokensHash(corpus)}, Corpus: corpus}
		if _, err := NewScorer(cfg); err != nil {
			t.Errorf("NewScorer = %v, want nil", err)
		}
	})
}

func TestScoreDelta(t *testing.T) {
	tests := []struct {
		before, after float64
		want          int64
	}{
		{2.5, 2.4, 100_000_000},
		{2.4, 2.5, -100_000_000},
		{1, 1, 0},
		{0.5e-9, 0, 0},       // half rounds to even
		{1.5e-9, 0, 2},       // half rounds to even
		{2e9, 0, BestScore},  // clamped
		{0, 2e9, WorstScore}, // clamped
		{1, math.NaN(), WorstScore},
		{1, math.Inf(1), WorstScore},
		{1, math.Inf(-1), BestScore},
	}
	for _, tt := range tests {
		if got := ScoreDelta(tt.before, tt.after); got != tt.want {
			t.Errorf("ScoreDelta(%v, %v) = %d, want %d", tt.before, tt.after, got, tt.want)
		}
	}
}

// scoreVector is one entry of the ledger's testdata/score_message_vectors.json.
type scoreVector struct {
	NetworkID    string            `json:"network_id"`
	ValidatorUID uint64            `json:"validator_uid"`
	Window       uint64            `json:"window"`
	Checkpoint   ledger.Hash       `json:"checkpoint_hash"`
	Scores       []ledger.UIDScore `json:"scores"`
	Seed         ledger.HexBytes   `json:"ed25519_seed"`
	PublicKey    ledger.HexBytes   `json:"public_key"`
	Message      ledger.HexBytes   `json:"message"`
	Signature    ledger.HexBytes   `json:"signature"`
}

func TestSignatureVectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "ledger", "testdata", "score_message_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []scoreVector
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vectors {
		t.Run(v.NetworkID, func(t *testing.T) {
			key := ed25519.NewKeyFromSeed(v.Seed)
			msg, sig, pub, err := signScores(key, v.NetworkID, v.ValidatorUID, v.Window, v.Checkpoint, v.Scores)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(msg, v.Message) || !bytes.Equal(sig, v.Signature) || !bytes.Equal(pub, v.PublicKey) {
				t.Errorf("signScores = %x, %x, %x; want %x, %x, %x", msg, sig, pub, []byte(v.Message), []byte(v.Signature), []byte(v.PublicKey))
			}
			req := &ProcessRequest{NetworkID: v.NetworkID, ValidatorUID: v.ValidatorUID, Window: v.Window, CheckpointHash: v.Checkpoint, PeerGradients: map[uint64][]byte{}}
			resp := &ProcessResponse{Window: v.Window, ValidatorUID: v.ValidatorUID, CheckpointHash: v.Checkpoint, Scores: map[uint64]int64{}, SignedPayload: v.Message, Signature: v.Signature, PublicKey: v.PublicKey}
			for _, p := range v.Scores {
				req.PeerGradients[p.UID] = nil
				resp.Scores[p.UID] = p.Score
			}
			pairs, err := VerifyResponse(req, resp, ed25519.PublicKey(v.PublicKey))
			if err != nil {
				t.Fatalf("VerifyResponse(vector) = %v", err)
			}
			if !reflect.DeepEqual(pairs, v.Scores) {
				t.Errorf("VerifyResponse(vector) = %v, want %v", pairs, v.Scores)
			}
		})
	}
}

func TestVerifyResponseRejects(t *testing.T) {
	f := newFixture(t)
	req := f.request(map[uint64][]byte{1: f.honestGradient(t, 1), 2: f.noiseGradient(t, 2, 2)})
	resp, err := f.scorer.Process(req, f.key)
	if err != nil {
		t.Fatal(err)
	}
	pub := f.key.Public().(ed25519.PublicKey)
	otherPub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)).Public().(ed25519.PublicKey)
	tests := []struct {
		name   string
		mutate func(*ProcessRequest, *ProcessResponse)
		key    ed25519.PublicKey
		want   error
	}{
		{"changed score", func(_ *ProcessRequest, r *ProcessResponse) { r.Scores[1]++ }, pub, ErrResponseMismatch},
		{"changed score and payload", func(q *ProcessRequest, r *ProcessResponse) {
			r.Scores[1]++
			r.SignedPayload, _ = ledger.ScoreMessage(q.NetworkID, q.ValidatorUID, r.Window, r.CheckpointHash, r.Pairs())
		}, pub, ErrBadSignature},
		{"dropped uid", func(_ *ProcessRequest, r *ProcessResponse) { delete(r.Scores, 2) }, pub, ErrResponseMismatch},
		{"other window", func(_ *ProcessRequest, r *ProcessResponse) { r.Window++ }, pub, ErrResponseMismatch},
		{"other validator", func(_ *ProcessRequest, r *ProcessResponse) { r.ValidatorUID++ }, pub, ErrResponseMismatch},
		{"other checkpoint", func(_ *ProcessRequest, r *ProcessResponse) { r.CheckpointHash[3]++ }, pub, ErrResponseMismatch},
		{"other network", func(q *ProcessRequest, _ *ProcessResponse) { q.NetworkID = "vramhub-mainnet" }, pub, ErrResponseMismatch},
		{"out of range", func(_ *ProcessRequest, r *ProcessResponse) { r.Scores[2] = WorstScore - 1 }, pub, ErrResponseMismatch},
		{"short signature", func(_ *ProcessRequest, r *ProcessResponse) { r.Signature = r.Signature[:63] }, pub, ErrBadSignature},
		{"flipped signature", func(_ *ProcessRequest, r *ProcessResponse) { r.Signature[0] ^= 1 }, pub, ErrBadSignature},
		{"other key", func(*ProcessRequest, *ProcessResponse) {}, otherPub, ErrKeyMismatch},
		{"signed answer in simulated mode", func(*ProcessRequest, *ProcessResponse) {}, nil, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, r := cloneRequest(req), cloneResponse(resp)
			tt.mutate(q, r)
			if _, err := VerifyResponse(q, r, tt.key); !errors.Is(err, tt.want) {
				t.Errorf("VerifyResponse = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSimulate(t *testing.T) {
	f := newFixture(t)
	honest := f.honestGradient(t, 1)
	req := f.request(map[uint64][]byte{1: honest, 2: f.noiseGradient(t, 2, 2), 3: {1, 2, 3}})
	resp, err := Simulate(req, openskill.Options{})
	if err != nil {
		t.Fatalf("Simulate = %v", err)
	}
	g, err := compress.Decompress(honest, f.model.NumParams())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Scores[1], NormScore(g); got != want || got <= 0 {
		t.Errorf("Simulate.Scores[1] = %d, want NormScore = %d > 0", got, want)
	}
	if resp.Scores[3] != WorstScore || resp.Excluded[3] == "" {
		t.Errorf("Simulate.Scores[3] = %d (%q), want %d with a reason", resp.Scores[3], resp.Excluded[3], WorstScore)
	}
	if len(resp.Ratings) != 3 || len(resp.Losses) != 0 {
		t.Errorf("Simulate = %d ratings, %d losses; want 3, 0", len(resp.Ratings), len(resp.Losses))
	}
	if _, err := VerifyResponse(req, resp, nil); err != nil {
		t.Errorf("VerifyResponse(simulated) = %v, want nil", err)
	}
	req.CheckpointHash[0] ^= 1
	if _, err := Simulate(req, openskill.Options{}); !errors.Is(err, ErrCheckpointMismatch) {
		t.Errorf("Simulate(wrong hash) = %v, want %v", err, ErrCheckpointMismatch)
	}
}

func TestNormScore(t *testing.T) {
	tests := []struct {
		g    []float32
		want int64
	}{
		{nil, 0},
		{[]float32{3, 4}, 5_000_000_000},
		{[]float32{0, -1e-9}, 1},
		{[]float32{float32(math.MaxFloat32), float32(math.MaxFloat32)}, BestScore},
	}
	for _, tt := range tests {
		if got := NormScore(tt.g); got != tt.want {
			t.Errorf("NormScore(%v) = %d, want %d", tt.g, got, tt.want)
		}
	}
}

func TestDevPCRs(t *testing.T) {
	p := DevPCRs()
	for i, pcr := range p {
		if len(pcr) != ledger.PCRLen || bytes.Equal(pcr, make([]byte, ledger.PCRLen)) {
			t.Errorf("DevPCRs()[%d] = %x, want 48 non-zero bytes", i, pcr)
		}
	}
	if bytes.Equal(p[0], p[1]) {
		t.Error("DevPCRs()[0] = DevPCRs()[1], want distinct")
	}
}

func TestGenerateKey(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	k, err := GenerateKey(bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k, ed25519.NewKeyFromSeed(seed)) {
		t.Error("GenerateKey(seed reader) differs from ed25519.NewKeyFromSeed")
	}
	if _, err := GenerateKey(bytes.NewReader(seed[:5])); err == nil {
		t.Error("GenerateKey(short reader) = nil error, want one")
	}
}

func cloneRequest(r *ProcessRequest) *ProcessRequest {
	c := *r
	c.PeerGradients = maps.Clone(r.PeerGradients)
	return &c
}

func cloneResponse(r *ProcessResponse) *ProcessResponse {
	c := *r
	c.Scores = maps.Clone(r.Scores)
	c.Signature = bytes.Clone(r.Signature)
	c.SignedPayload = bytes.Clone(r.SignedPayload)
	return &c
}
