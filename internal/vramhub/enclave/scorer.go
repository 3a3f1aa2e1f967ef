package enclave

import (
	"crypto/ed25519"
	"fmt"
	"math"
	"slices"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

// ScorerConfig fixes what an enclave evaluates. The zero value of a field
// means its default where one is stated.
type ScorerConfig struct {
	// Model is the architecture compiled into the enclave; every checkpoint
	// must carry its model id. The zero value is model.Small().
	Model model.Config
	// Data is the ledger's dataset spec that batches are derived from;
	// required. Its vocabulary must fit the model's and its rows must fit
	// the model's context.
	Data data.Spec
	// Corpus is the token corpus for data.KindCorpus; it must hash to
	// Data.CorpusHash. Ignored for data.KindSynthetic. The Scorer keeps a
	// copy.
	Corpus []int32
	// Rating holds the preview's OpenSkill constants; zero fields mean the
	// openskill defaults (μ 25, σ 25/3, β 25/6, τ 25/300, κ 1e-4).
	Rating openskill.Options
}

// Scorer evaluates /process_data requests. It is immutable and safe for
// concurrent use.
type Scorer struct {
	template *model.Model
	spec     data.Spec
	corpus   []int32
	rating   openskill.Options
}

// NewScorer checks cfg and returns a Scorer. It returns an error wrapping
// [ErrConfig] for an invalid model configuration, dataset spec or corpus.
func NewScorer(cfg ScorerConfig) (*Scorer, error) {
	tmpl, err := model.New(cfg.Model, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	mc := tmpl.Config()
	spec := cfg.Data
	switch {
	case spec.Vocab < 1 || spec.Vocab > mc.Vocab:
		return nil, fmt.Errorf("%w: dataset vocabulary %d, model vocabulary %d", ErrConfig, spec.Vocab, mc.Vocab)
	case spec.Rows < 1 || spec.RowLen < 2 || spec.RowLen > mc.Context+1:
		return nil, fmt.Errorf("%w: %d rows of %d tokens for context %d", ErrConfig, spec.Rows, spec.RowLen, mc.Context)
	}
	s := &Scorer{template: tmpl, spec: spec, rating: cfg.Rating}
	if spec.Kind == data.KindCorpus {
		s.corpus = slices.Clone(cfg.Corpus)
	}
	// One derivation proves the kind, the corpus hash, its length and its
	// tokens against the spec before any request arrives.
	if _, err := data.Assign(0, 0, spec, s.corpus); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return s, nil
}

// ModelID returns the id of the model the Scorer evaluates.
func (s *Scorer) ModelID() string { return s.template.ID() }

// NumParams returns N, the length every gradient must decode to.
func (s *Scorer) NumParams() int { return s.template.NumParams() }

// Batch returns the derived batch of (uid, window), the rows the enclave
// evaluates that miner on. The caller owns the result.
func (s *Scorer) Batch(uid, window uint64) ([][]int32, error) {
	return data.Assign(uid, window, s.spec, s.corpus)
}

// Process evaluates req and signs the result with key (see the package
// documentation for the steps). A nil key yields the 64-zero-byte simulated
// signature and an empty public key. req is not retained or modified.
//
// Errors: anything wrapping [ErrBadRequest] ([ErrCheckpointMismatch],
// [ErrCheckpointFormat], [ErrBatchMismatch], [ErrTooManyMiners]) is the
// caller's fault; [ErrNothingScored] for a request without gradients;
// [ErrLossNotFinite] or any other error is the enclave's.
func (s *Scorer) Process(req *ProcessRequest, key ed25519.PrivateKey) (*ProcessResponse, error) {
	opts, err := s.checkRequest(req)
	if err != nil {
		return nil, err
	}
	if CheckpointHash(req.CheckpointBytes) != req.CheckpointHash {
		return nil, ErrCheckpointMismatch
	}
	base, err := ParseCheckpoint(req.CheckpointBytes, s.template)
	if err != nil {
		return nil, err
	}
	if err := s.checkBatches(req); err != nil {
		return nil, err
	}

	resp := newResponse(req)
	theta := base.Params()
	updated := base.Clone()
	next := make([]float32, len(theta))
	for _, uid := range req.UIDs() {
		batch, err := s.Batch(uid, req.Window)
		if err != nil {
			return nil, fmt.Errorf("derive batch of uid %d: %w", uid, err)
		}
		l0, err := base.Loss(batch)
		if err != nil {
			return nil, fmt.Errorf("loss of uid %d: %w", uid, err)
		}
		if !finite(l0) {
			return nil, fmt.Errorf("%w: uid %d", ErrLossNotFinite, uid)
		}
		g, reason := decodeGradient(req.PeerGradients[uid], len(theta))
		if reason != "" {
			resp.exclude(uid, reason)
			continue
		}
		applyStep(next, theta, g, req.ApplyScale)
		if err := updated.SetParams(next); err != nil {
			return nil, fmt.Errorf("set parameters: %w", err)
		}
		l1, err := updated.Loss(batch)
		if err != nil {
			return nil, fmt.Errorf("loss of uid %d after update: %w", uid, err)
		}
		if !finite(l1) {
			resp.exclude(uid, "loss after update is not finite")
			continue
		}
		resp.Scores[uid] = ScoreDelta(l0, l1)
		resp.Losses[uid] = [2]float64{l0, l1}
	}
	if err := resp.finish(req, opts, key); err != nil {
		return nil, err
	}
	return resp, nil
}

// checkRequest validates the fields every evaluation needs and returns the
// preview's rating options.
func (s *Scorer) checkRequest(req *ProcessRequest) (openskill.Options, error) {
	return checkRequest(req, s.rating)
}

func checkRequest(req *ProcessRequest, rating openskill.Options) (openskill.Options, error) {
	if err := checkNetworkID(req.NetworkID); err != nil {
		return rating, err
	}
	switch n := len(req.PeerGradients); {
	case n == 0:
		return rating, ErrNothingScored
	case n > MaxMiners:
		return rating, fmt.Errorf("%w: %d > %d", ErrTooManyMiners, n, MaxMiners)
	}
	if !finite(req.ApplyScale) || req.ApplyScale <= 0 {
		return rating, fmt.Errorf("%w: apply_scale %v is not a positive finite number", ErrBadRequest, req.ApplyScale)
	}
	if req.Beta != 0 {
		if !finite(req.Beta) || req.Beta < 0 {
			return rating, fmt.Errorf("%w: beta %v is not a positive finite number", ErrBadRequest, req.Beta)
		}
		rating.Beta = req.Beta
	}
	for uid, r := range req.CurrentRatings {
		if !finite(r[0]) || !finite(r[1]) || r[1] <= 0 {
			return rating, fmt.Errorf("%w: rating of uid %d is %v", ErrBadRequest, uid, r)
		}
	}
	for uid := range req.AssignedBatches {
		if _, ok := req.PeerGradients[uid]; !ok {
			return rating, fmt.Errorf("%w: assigned batch for uid %d without a gradient", ErrBadRequest, uid)
		}
	}
	return rating, nil
}

// checkNetworkID applies the ledger's rule: 1..64 printable ASCII bytes.
func checkNetworkID(id string) error {
	if len(id) == 0 || len(id) > 64 {
		return fmt.Errorf("%w: network_id length %d not in [1, 64]", ErrBadRequest, len(id))
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return fmt.Errorf("%w: network_id byte %#x is not printable ASCII", ErrBadRequest, id[i])
		}
	}
	return nil
}

// checkBatches compares supplied batches with the derivations.
func (s *Scorer) checkBatches(req *ProcessRequest) error {
	for uid, got := range req.AssignedBatches {
		want, err := s.Batch(uid, req.Window)
		if err != nil {
			return fmt.Errorf("derive batch of uid %d: %w", uid, err)
		}
		if !equalBatch(got, want) {
			return fmt.Errorf("%w: assigned batch of uid %d", ErrBatchMismatch, uid)
		}
	}
	if req.RandomBatch != nil {
		want, err := s.Batch(data.EvalUID, req.Window)
		if err != nil {
			return fmt.Errorf("derive random batch: %w", err)
		}
		if !equalBatch(req.RandomBatch, want) {
			return fmt.Errorf("%w: random batch", ErrBatchMismatch)
		}
	}
	return nil
}

func equalBatch(a, b [][]int32) bool { return slices.EqualFunc(a, b, slices.Equal) }

// decodeGradient decodes a wire message of length n; a non-empty reason
// means the gradient is invalid.
func decodeGradient(b []byte, n int) ([]float32, string) {
	g, err := compress.Decompress(b, n)
	if err != nil {
		return nil, "decode gradient: " + err.Error()
	}
	for i, v := range g {
		if !finite(float64(v)) {
			return nil, fmt.Sprintf("gradient entry %d is not finite", i)
		}
	}
	return g, ""
}

// applyStep writes θ − a·g into dst. The product is rounded on its own so
// no platform fuses it with the subtraction.
func applyStep(dst, theta, g []float32, a float64) {
	for i, p := range theta {
		step := float64(a * float64(g[i]))
		dst[i] = float32(float64(p) - step)
	}
}

// ScoreDelta returns the fixed-point score of a loss change:
// clamp(roundHalfEven((before − after)·10^9), −10^18, 10^18). A non-finite
// difference gives [WorstScore].
func ScoreDelta(before, after float64) int64 {
	return fixedClamp(float64(before - after))
}

// fixedClamp returns clamp(roundHalfEven(x·10^9), −10^18, 10^18); NaN and
// −Inf give the lower bound, +Inf the upper.
func fixedClamp(x float64) int64 {
	v := math.RoundToEven(float64(x * 1e9))
	switch {
	case math.IsNaN(v) || v <= float64(WorstScore):
		return WorstScore
	case v >= float64(BestScore):
		return BestScore
	}
	return int64(v)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func newResponse(req *ProcessRequest) *ProcessResponse {
	return &ProcessResponse{
		Window:         req.Window,
		ValidatorUID:   req.ValidatorUID,
		CheckpointHash: req.CheckpointHash,
		Scores:         make(map[uint64]int64, len(req.PeerGradients)),
		Losses:         make(map[uint64][2]float64, len(req.PeerGradients)),
		Excluded:       make(map[uint64]string),
		Ratings:        make(map[uint64][2]float64, len(req.PeerGradients)),
	}
}

func (r *ProcessResponse) exclude(uid uint64, reason string) {
	r.Scores[uid] = WorstScore
	r.Excluded[uid] = reason
}

// finish adds the rating preview, the canonical message and its signature.
func (r *ProcessResponse) finish(req *ProcessRequest, opts openskill.Options, key ed25519.PrivateKey) error {
	pairs := r.Pairs()
	ratings, err := PreviewRatings(pairs, req.CurrentRatings, opts)
	if err != nil {
		return err
	}
	r.Ratings = ratings
	msg, sig, pub, err := signScores(key, req.NetworkID, req.ValidatorUID, req.Window, req.CheckpointHash, pairs)
	if err != nil {
		return err
	}
	r.SignedPayload, r.Signature, r.PublicKey = msg, sig, pub
	return nil
}

// PreviewRatings runs one OpenSkill Plackett–Luce update over pairs (uids
// ascending, higher scores better) from prior; a uid missing from prior
// starts at opts.NewRating(). With fewer than two pairs it returns an empty
// map, as the ledger skips such updates. The result maps uid to [μ', σ'].
// It returns an error wrapping [ErrBadRequest] when openskill.Rate refuses
// the input or a result is not finite (priors far outside any real rating).
func PreviewRatings(pairs []ledger.UIDScore, prior map[uint64][2]float64, opts openskill.Options) (map[uint64][2]float64, error) {
	out := make(map[uint64][2]float64, len(pairs))
	if len(pairs) < 2 {
		return out, nil
	}
	ratings := make([]openskill.Rating, len(pairs))
	scores := make([]int64, len(pairs))
	for i, p := range pairs {
		ratings[i] = opts.NewRating()
		if r, ok := prior[p.UID]; ok {
			ratings[i] = openskill.Rating{Mu: r[0], Sigma: r[1]}
		}
		scores[i] = p.Score
	}
	next, err := openskill.Rate(ratings, scores, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: rating preview: %w", ErrBadRequest, err)
	}
	for i, p := range pairs {
		if !finite(next[i].Mu) || !finite(next[i].Sigma) {
			return nil, fmt.Errorf("%w: rating preview of uid %d is not finite", ErrBadRequest, p.UID)
		}
		out[p.UID] = [2]float64{next[i].Mu, next[i].Sigma}
	}
	return out, nil
}

// signScores encodes the canonical message and signs it with key; a nil key
// gives the zero signature and no public key.
func signScores(key ed25519.PrivateKey, networkID string, vuid, window uint64, ckpt [32]byte, pairs []ledger.UIDScore) (msg, sig, pub []byte, err error) {
	msg, err = ledger.ScoreMessage(networkID, vuid, window, ckpt, pairs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: score message: %w", ErrBadRequest, err)
	}
	if key == nil {
		return msg, make([]byte, SignatureSize), []byte{}, nil
	}
	return msg, ed25519.Sign(key, msg), []byte(key.Public().(ed25519.PublicKey)), nil
}
