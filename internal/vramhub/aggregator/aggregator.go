// Package aggregator finalizes closed windows on the VRAM HUB ledger and
// merges the accepted gradients into the next checkpoint.
//
// After Finalize(w), when (w+1) mod checkpoint_frequency = 0: take the
// players of w with weight > 0 and a recorded gradient, keep the top_g by
// ordinal (ties to the lower uid), decode their gradients (verifying the
// recorded content hashes), clip each to the median norm
// (f = min(1, median/(‖ĝ‖+1e-8)); the median of an even count is the mean of
// the two middle norms), average ū = (1/G)·Σ f·ĝ in float64, and step
// θ_new = θ_anchored(w) − outer_lr·ū. The update is written as
// aggregation-{w}.pt (kind 2) and recorded; the new weights as
// checkpoint-{e}-v1.pt with e = max(w+2, last anchor + 1) and anchored.
//
// Order of effects: finalize, put the objects, then record them on the
// ledger, so an anchored checkpoint is always readable.
package aggregator

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"

	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
)

// Ledger is the aggregator's view of the ledger.
type Ledger interface {
	Apply(ctx context.Context, op ledger.Op) (ledger.Result, error)
	View(ctx context.Context, fn func(l *ledger.Ledger)) error
}

// Config configures an Aggregator.
type Config struct {
	Ledger Ledger // required
	// Address must be the ledger's aggregator.
	Address string
	// Store holds checkpoints and aggregated updates (required).
	Store objstore.Store
	// Buckets resolves a miner's bucket (required).
	Buckets func(uid uint64) (objstore.Store, error)
	// ModelID and NumParams describe the model (required).
	ModelID   string
	NumParams int
	// OuterLR is the step size; 0 means the ledger's apply_scale.
	OuterLR float64
	Logger  *slog.Logger
}

// Aggregator finalizes windows and produces checkpoints.
type Aggregator struct{ cfg Config }

// New returns an Aggregator.
func New(cfg Config) (*Aggregator, error) {
	if cfg.Ledger == nil || cfg.Store == nil || cfg.Buckets == nil || cfg.ModelID == "" || cfg.NumParams <= 0 {
		return nil, errors.New("aggregator: Ledger, Store, Buckets, ModelID and NumParams are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Aggregator{cfg: cfg}, nil
}

// Finalized is one window the aggregator closed.
type Finalized struct {
	Record ledger.WindowRecord
	// Merged is how many gradients went into the new checkpoint (0: none).
	Merged int
	// Checkpoint is the new anchor, when one was made.
	Checkpoint *ledger.Anchor
}

// Step finalizes every closed window (in order) and aggregates where the
// checkpoint frequency says so.
func (a *Aggregator) Step(ctx context.Context, nowMs uint64) ([]Finalized, error) {
	var out []Finalized
	for {
		var next uint64
		var closed bool
		var freq uint64
		if err := a.cfg.Ledger.View(ctx, func(l *ledger.Ledger) {
			next = l.NextFinalize()
			closed = next < math.MaxUint64 && nowMs >= l.WindowStart(next+1)
			freq = l.Params().CheckpointFrequency
		}); err != nil {
			return out, err
		}
		if !closed {
			return out, nil
		}
		res, err := a.cfg.Ledger.Apply(ctx, ledger.Op{Type: ledger.OpFinalize, NowMs: nowMs, Window: next})
		if err != nil {
			return out, fmt.Errorf("aggregator: finalize %d: %w", next, err)
		}
		f := Finalized{Record: *res.Window}
		if freq > 0 && (next+1)%freq == 0 {
			if f.Merged, f.Checkpoint, err = a.aggregate(ctx, nowMs, f.Record); err != nil {
				return out, err
			}
		}
		out = append(out, f)
	}
}

type candidate struct {
	uid     uint64
	ordinal int64
	grad    ledger.Gradient
}

func (a *Aggregator) aggregate(ctx context.Context, nowMs uint64, rec ledger.WindowRecord) (int, *ledger.Anchor, error) {
	w := rec.Window
	var (
		cands  []candidate
		anchor ledger.Anchor
		aerr   error
		last   uint64
		scale  float64
		topG   int
	)
	if err := a.cfg.Ledger.View(ctx, func(l *ledger.Ledger) {
		for _, p := range rec.Miners {
			if p.Weight == 0 {
				continue
			}
			if g, ok := l.Gradient(w, p.UID); ok {
				cands = append(cands, candidate{uid: p.UID, ordinal: l.Rating(p.UID).Ordinal(), grad: g})
			}
		}
		anchor, aerr = l.Anchored(w)
		as := l.Anchors()
		if len(as) > 0 {
			last = as[len(as)-1].Effective
		}
		scale = l.Params().ApplyScale
		topG = int(l.Params().TopG)
	}); err != nil {
		return 0, nil, err
	}
	if len(cands) == 0 || aerr != nil {
		return 0, nil, aerr
	}
	slices.SortFunc(cands, func(x, y candidate) int {
		if c := cmp.Compare(y.ordinal, x.ordinal); c != 0 {
			return c
		}
		return cmp.Compare(x.uid, y.uid)
	})
	if topG > 0 && len(cands) > topG {
		cands = cands[:topG]
	}
	var grads [][]float32
	for _, c := range cands {
		g, err := a.fetch(ctx, c)
		if err != nil {
			a.cfg.Logger.Warn("gradient skipped", "window", w, "uid", c.uid, "err", err)
			continue
		}
		grads = append(grads, g)
	}
	if len(grads) == 0 {
		return 0, nil, nil
	}
	update := Merge(grads)
	base, err := a.cfg.Store.Get(ctx, anchor.Key)
	if err != nil {
		return 0, nil, fmt.Errorf("aggregator: anchored checkpoint: %w", err)
	}
	if checkpoint.Hash(base) != anchor.Hash {
		return 0, nil, fmt.Errorf("aggregator: checkpoint %s does not match its anchor", anchor.Key)
	}
	theta, err := checkpoint.Decode(base)
	if err != nil {
		return 0, nil, err
	}
	if len(theta.Params) != a.cfg.NumParams {
		return 0, nil, fmt.Errorf("aggregator: checkpoint has %d parameters, want %d", len(theta.Params), a.cfg.NumParams)
	}
	lr := a.cfg.OuterLR
	if lr == 0 {
		lr = scale
	}
	for i := range theta.Params {
		theta.Params[i] = float32(float64(theta.Params[i]) - float64(lr*float64(update[i])))
	}
	aggBytes, err := checkpoint.Encode(checkpoint.File{Kind: checkpoint.KindAggregation, ModelID: a.cfg.ModelID, Window: w, Params: update})
	if err != nil {
		return 0, nil, err
	}
	e := max(w+2, last+1)
	ckBytes, err := checkpoint.Encode(checkpoint.File{Kind: checkpoint.KindWeights, ModelID: a.cfg.ModelID, Window: e, Params: theta.Params})
	if err != nil {
		return 0, nil, err
	}
	aggKey, ckKey := objstore.AggregationKey(w), objstore.CheckpointKey(e)
	if err := a.cfg.Store.Put(ctx, aggKey, aggBytes); err != nil {
		return 0, nil, err
	}
	if err := a.cfg.Store.Put(ctx, ckKey, ckBytes); err != nil {
		return 0, nil, err
	}
	if _, err := a.cfg.Ledger.Apply(ctx, ledger.Op{Type: ledger.OpRecordAggregation, NowMs: nowMs, Sender: a.cfg.Address,
		Window: w, Hash: checkpoint.Hash(aggBytes), Key: aggKey}); err != nil {
		return 0, nil, fmt.Errorf("aggregator: record aggregation: %w", err)
	}
	newAnchor := ledger.Anchor{Effective: e, Hash: checkpoint.Hash(ckBytes), Key: ckKey}
	if _, err := a.cfg.Ledger.Apply(ctx, ledger.Op{Type: ledger.OpAnchorCheckpoint, NowMs: nowMs, Sender: a.cfg.Address,
		Window: e, Hash: newAnchor.Hash, Key: ckKey}); err != nil {
		return 0, nil, fmt.Errorf("aggregator: anchor checkpoint: %w", err)
	}
	a.cfg.Logger.Info("checkpoint anchored", "source_window", w, "effective", e, "merged", len(grads))
	return len(grads), &newAnchor, nil
}

func (a *Aggregator) fetch(ctx context.Context, c candidate) ([]float32, error) {
	st, err := a.cfg.Buckets(c.uid)
	if err != nil {
		return nil, err
	}
	b, err := st.Get(ctx, c.grad.Key)
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(b) != c.grad.ContentHash {
		return nil, errors.New("content hash mismatch")
	}
	return compress.Decompress(b, a.cfg.NumParams)
}

// Merge clips each gradient to the median norm and averages them (pure;
// float64 accumulation in input order).
func Merge(grads [][]float32) []float32 {
	norms := make([]float64, len(grads))
	for i, g := range grads {
		var s float64
		for _, x := range g {
			s += float64(x) * float64(x)
		}
		norms[i] = math.Sqrt(s)
	}
	sorted := slices.Clone(norms)
	slices.Sort(sorted)
	n := len(sorted)
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	acc := make([]float64, len(grads[0]))
	for i, g := range grads {
		f := min(1, median/(norms[i]+1e-8))
		for j, x := range g {
			acc[j] += float64(f * float64(x))
		}
	}
	out := make([]float32, len(acc))
	for j, s := range acc {
		out[j] = float32(s / float64(len(grads)))
	}
	return out
}
