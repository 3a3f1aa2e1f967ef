// Package validator is the VRAM HUB validator. In the scoring phase of each
// window it reads the anchored checkpoint and the window's gradient records,
// downloads each gradient and checks its recorded hash and size, runs the
// fast-eval filter, sends the survivors to its enclave in one
// /process_data call, checks the enclave's answer (canonical payload,
// pinned key, Ed25519 signature) and submits the signed scores to the
// ledger before the window closes.
//
// Fast-eval (φ ∈ {0, 1}, φ = 0 never reaches the enclave): non-empty; at
// most max_gradient_bytes; decodes as a wire-v1 message of the model's N;
// and the sync score, the cosine similarity between the decoded gradient
// and the dense update of the latest aggregation, is at least the ledger's
// sync_min_cosine (−1 turns the check off; sync is 1 when either vector is
// zero or no aggregation exists). Sign-flipped and wrong-data gradients
// point away from the consensus direction and fail it.
//
// Order of effects: read, evaluate, verify, then submit; a failed check
// submits nothing for the window.
package validator

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"

	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

// Ledger is the validator's view of the ledger.
type Ledger interface {
	Apply(ctx context.Context, op ledger.Op) (ledger.Result, error)
	View(ctx context.Context, fn func(l *ledger.Ledger)) error
}

// Enclave scores a batch of gradients (an enclave client, or an in-process
// server in tests).
type Enclave interface {
	ProcessData(ctx context.Context, req *enclave.ProcessRequest) (*enclave.ProcessResponse, error)
}

// Config configures a Validator.
type Config struct {
	Ledger Ledger // required
	// Address is the validator's ledger account and UID its uid.
	Address string
	UID     uint64
	// Mode is simulated, dev or nitro. Simulated needs no Enclave and
	// submits zero signatures (accepted only by a dev ledger).
	Mode enclave.Mode
	// Enclave and EnclaveKey are required in dev and nitro mode; the key is
	// the one fetched from the enclave (dev) or registered on the ledger
	// (nitro), and every answer must be signed by it.
	Enclave    Enclave
	EnclaveKey ed25519.PublicKey
	// Checkpoints holds anchored checkpoints and aggregated updates.
	Checkpoints objstore.Store
	// Buckets resolves a miner's bucket.
	Buckets func(uid uint64) (objstore.Store, error)
	// NumParams is the model size N.
	NumParams int
	Logger    *slog.Logger
}

// Validator scores one window at a time.
type Validator struct {
	cfg  Config
	done map[uint64]bool
}

// New returns a Validator.
func New(cfg Config) (*Validator, error) {
	if cfg.Ledger == nil || cfg.Checkpoints == nil || cfg.Buckets == nil || cfg.NumParams <= 0 {
		return nil, errors.New("validator: Ledger, Checkpoints, Buckets and NumParams are required")
	}
	if !cfg.Mode.Valid() {
		return nil, fmt.Errorf("validator: mode %q", cfg.Mode)
	}
	if cfg.Mode != enclave.ModeSimulated && (cfg.Enclave == nil || len(cfg.EnclaveKey) != ed25519.PublicKeySize) {
		return nil, errors.New("validator: dev and nitro modes need an Enclave and its public key")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Validator{cfg: cfg, done: map[uint64]bool{}}, nil
}

// Report is one window's scoring.
type Report struct {
	Window uint64
	// Filtered maps uids that failed fast-eval to the reason.
	Filtered map[uint64]string
	// Response is the enclave's (or simulated) answer that was submitted.
	Response *enclave.ProcessResponse
}

// ErrNothingToDo is returned by Step outside the scoring phase, when the
// window is already scored, or when no gradient passed fast-eval.
var ErrNothingToDo = errors.New("validator: nothing to do now")

type windowView struct {
	w           uint64
	scoring     bool
	submitted   bool
	anchor      ledger.Anchor
	anchorErr   error
	networkID   string
	params      ledger.Params
	grads       map[uint64]ledger.Gradient
	ratings     map[uint64][2]float64
	aggregation *ledger.Aggregation
}

func (v *Validator) read(ctx context.Context, nowMs uint64) (windowView, error) {
	var wv windowView
	err := v.cfg.Ledger.View(ctx, func(l *ledger.Ledger) {
		w, ok := l.Window(nowMs)
		if !ok {
			return
		}
		wv.w = w
		wv.params = l.Params()
		wv.scoring = nowMs >= l.WindowStart(w)+wv.params.PutWindowOpenMs
		_, wv.submitted = l.Submission(w, v.cfg.UID)
		wv.anchor, wv.anchorErr = l.Anchored(w)
		wv.networkID = l.NetworkID()
		wv.grads = map[uint64]ledger.Gradient{}
		wv.ratings = map[uint64][2]float64{}
		for _, p := range l.Peers() {
			if p.Validator {
				continue
			}
			if g, ok := l.Gradient(w, p.UID); ok {
				wv.grads[p.UID] = g
				r := l.Rating(p.UID)
				wv.ratings[p.UID] = [2]float64{float64(r.MuFp) / 1e9, float64(r.SigmaFp) / 1e9}
			}
		}
		for back := uint64(1); back <= min(w, 16); back++ {
			if a, ok := l.Aggregation(w - back); ok {
				wv.aggregation = &a
				break
			}
		}
	})
	return wv, err
}

// Step scores the current window if it is in its scoring phase and not
// scored yet.
func (v *Validator) Step(ctx context.Context, nowMs uint64) (Report, error) {
	wv, err := v.read(ctx, nowMs)
	if err != nil {
		return Report{}, err
	}
	if !wv.scoring || wv.submitted || v.done[wv.w] || len(wv.grads) == 0 {
		return Report{}, ErrNothingToDo
	}
	if wv.anchorErr != nil {
		return Report{}, fmt.Errorf("validator: window %d: %w", wv.w, wv.anchorErr)
	}
	ck, err := v.cfg.Checkpoints.Get(ctx, wv.anchor.Key)
	if err != nil {
		return Report{}, fmt.Errorf("validator: checkpoint: %w", err)
	}
	if checkpoint.Hash(ck) != wv.anchor.Hash {
		return Report{}, fmt.Errorf("validator: checkpoint %s does not match its anchor", wv.anchor.Key)
	}
	consensus := v.consensus(ctx, wv)
	rep := Report{Window: wv.w, Filtered: map[uint64]string{}}
	req := &enclave.ProcessRequest{
		NetworkID: wv.networkID, ValidatorUID: v.cfg.UID, Window: wv.w,
		CheckpointHash: wv.anchor.Hash, CheckpointBytes: ck, PeerGradients: map[uint64][]byte{},
		ApplyScale: wv.params.ApplyScale, CurrentRatings: map[uint64][2]float64{},
	}
	for uid, g := range wv.grads {
		b, reason := v.fastEval(ctx, uid, g, wv.params, consensus)
		if reason != "" {
			rep.Filtered[uid] = reason
			continue
		}
		req.PeerGradients[uid] = b
		req.CurrentRatings[uid] = wv.ratings[uid]
	}
	if len(req.PeerGradients) == 0 {
		v.done[wv.w] = true
		return rep, ErrNothingToDo
	}
	var resp *enclave.ProcessResponse
	var key ed25519.PublicKey
	if v.cfg.Mode == enclave.ModeSimulated {
		resp, err = enclave.Simulate(req, openskill.Options{})
	} else {
		resp, err = v.cfg.Enclave.ProcessData(ctx, req)
		key = v.cfg.EnclaveKey
	}
	if err != nil {
		return rep, fmt.Errorf("validator: enclave: %w", err)
	}
	pairs, err := enclave.VerifyResponse(req, resp, key)
	if err != nil {
		return rep, fmt.Errorf("validator: enclave answer: %w", err)
	}
	sub := ledger.ScoreSubmission{Checkpoint: wv.anchor.Hash, Scores: pairs, EnclaveKey: ledger.HexBytes(key), Signature: resp.Signature}
	if _, err := v.cfg.Ledger.Apply(ctx, ledger.Op{Type: ledger.OpSubmitScores, NowMs: nowMs, Sender: v.cfg.Address,
		UID: v.cfg.UID, Window: wv.w, Scores: &sub}); err != nil {
		return rep, fmt.Errorf("validator: submit scores: %w", err)
	}
	v.done[wv.w] = true
	rep.Response = resp
	v.cfg.Logger.Info("scores submitted", "window", wv.w, "uid", v.cfg.UID, "scored", len(pairs), "filtered", len(rep.Filtered))
	return rep, nil
}

// consensus returns the dense update of the latest aggregation, or nil.
func (v *Validator) consensus(ctx context.Context, wv windowView) []float32 {
	if wv.aggregation == nil || wv.params.SyncMinCosine <= -1 {
		return nil
	}
	b, err := v.cfg.Checkpoints.Get(ctx, wv.aggregation.Key)
	if err != nil || checkpoint.Hash(b) != wv.aggregation.Hash {
		v.cfg.Logger.Warn("aggregation unreadable; sync check skipped", "key", wv.aggregation.Key, "err", err)
		return nil
	}
	f, err := checkpoint.Decode(b)
	if err != nil || len(f.Params) != v.cfg.NumParams {
		return nil
	}
	return f.Params
}

// fastEval downloads and pre-filters one gradient; a non-empty reason
// means φ = 0.
func (v *Validator) fastEval(ctx context.Context, uid uint64, g ledger.Gradient, p ledger.Params, consensus []float32) ([]byte, string) {
	st, err := v.cfg.Buckets(uid)
	if err != nil {
		return nil, "no bucket: " + err.Error()
	}
	b, err := st.Get(ctx, g.Key)
	switch {
	case err != nil:
		return nil, "download: " + err.Error()
	case len(b) == 0:
		return nil, "empty gradient"
	case uint64(len(b)) != g.Size || sha256.Sum256(b) != g.ContentHash:
		return nil, "content does not match the ledger record"
	case p.MaxGradientBytes > 0 && uint64(len(b)) > p.MaxGradientBytes:
		return nil, "gradient too large"
	}
	dense, err := compress.Decompress(b, v.cfg.NumParams)
	if err != nil {
		return nil, "format: " + err.Error()
	}
	if consensus != nil {
		if s := Sync(dense, consensus); s < p.SyncMinCosine {
			return nil, fmt.Sprintf("sync %.3f below %.3f", s, p.SyncMinCosine)
		}
	}
	return b, ""
}

// Sync is the cosine similarity of a and b, 1 when either is zero.
func Sync(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 1
	}
	return dot / (math.Sqrt(na) * math.Sqrt(nb))
}
