// Package miner is the VRAM HUB miner: each window it loads the checkpoint
// anchored for the window, asks its trainer (the sidecar) for the gradient on
// the batch assigned to (uid, window), compresses it (stage 2: momentum,
// chunked DCT, top-K, f16), puts it in its own bucket and records it on the
// ledger before the upload deadline.
//
// Nothing coordinates the miner: it computes the window from the ledger's
// genesis and window length and the time it is given. Order of effects in
// a window: read the anchor, fetch and verify the checkpoint, train,
// compress, put the object, then submit its hash (so a recorded gradient
// is always readable).
package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"

	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
)

// Ledger is the miner's view of the ledger: operations, and reads on a
// consistent state.
type Ledger interface {
	Apply(ctx context.Context, op ledger.Op) (ledger.Result, error)
	View(ctx context.Context, fn func(l *ledger.Ledger)) error
}

// Trainer is the sidecar protocol a miner uses.
type Trainer interface {
	LoadCheckpoint(ctx context.Context, body []byte) error
	Train(ctx context.Context, uid, window uint64) (float64, []float32, error)
}

// Behavior lets the local demo run dishonest miners through the same code
// path. Honest is the zero value.
type Behavior int

// Behaviors.
const (
	// Honest uploads its real gradient.
	Honest Behavior = iota
	// Noise uploads a random vector with the norm of its real gradient: a
	// well-formed message that does not help.
	Noise
	// FreeRider uploads an all-zero gradient.
	FreeRider
)

func (b Behavior) String() string {
	switch b {
	case Noise:
		return "noise"
	case FreeRider:
		return "free-rider"
	}
	return "honest"
}

// Config configures a Miner.
type Config struct {
	Ledger  Ledger  // required
	Trainer Trainer // required
	// Address is the miner's ledger account and UID its registered uid.
	Address string
	UID     uint64
	// Checkpoints is where anchored checkpoints are read (by the anchor's
	// key); Bucket is the miner's own bucket.
	Checkpoints, Bucket objstore.Store
	// NumParams is the model size N.
	NumParams int
	// Compress configures stage 2.
	Compress compress.Config
	// Behavior is Honest unless a demo says otherwise.
	Behavior Behavior
	// Seed seeds dishonest behaviours' randomness.
	Seed   uint64
	Logger *slog.Logger
}

// Miner trains and uploads one gradient per window.
type Miner struct {
	cfg    Config
	comp   *compress.Compressor
	loaded [32]byte // hash of the checkpoint in the trainer
	done   map[uint64]bool
	rng    *rand.Rand
}

// New returns a Miner.
func New(cfg Config) (*Miner, error) {
	if cfg.Ledger == nil || cfg.Trainer == nil || cfg.Checkpoints == nil || cfg.Bucket == nil || cfg.NumParams <= 0 {
		return nil, errors.New("miner: Ledger, Trainer, Checkpoints, Bucket and NumParams are required")
	}
	comp, err := compress.New(cfg.NumParams, cfg.Compress)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Miner{cfg: cfg, comp: comp, done: map[uint64]bool{},
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.UID))}, nil
}

// Report describes one window's upload.
type Report struct {
	Window uint64
	Loss   float64
	Bytes  int
}

// ErrNothingToDo is returned by Step outside the upload phase or when the
// window's gradient is already recorded.
var ErrNothingToDo = errors.New("miner: nothing to do now")

// Step does the current window's work if it is in its upload phase and not
// done yet.
func (m *Miner) Step(ctx context.Context, nowMs uint64) (Report, error) {
	var (
		w       uint64
		open    bool
		anchor  ledger.Anchor
		aerr    error
		already bool
	)
	if err := m.cfg.Ledger.View(ctx, func(l *ledger.Ledger) {
		var ok bool
		if w, ok = l.Window(nowMs); !ok {
			return
		}
		open = nowMs < l.WindowStart(w)+l.Params().PutWindowOpenMs
		anchor, aerr = l.Anchored(w)
		_, already = l.Gradient(w, m.cfg.UID)
	}); err != nil {
		return Report{}, err
	}
	if !open || already || m.done[w] {
		return Report{}, ErrNothingToDo
	}
	if aerr != nil {
		return Report{}, fmt.Errorf("miner: window %d: %w", w, aerr)
	}
	if err := m.load(ctx, anchor); err != nil {
		return Report{}, err
	}
	loss, g, err := m.cfg.Trainer.Train(ctx, m.cfg.UID, w)
	if err != nil {
		return Report{}, fmt.Errorf("miner: train: %w", err)
	}
	if len(g) != m.cfg.NumParams {
		return Report{}, fmt.Errorf("miner: trainer returned %d gradient entries, want %d", len(g), m.cfg.NumParams)
	}
	m.misbehave(g)
	res, err := m.comp.Compress(g)
	if err != nil {
		return Report{}, fmt.Errorf("miner: compress: %w", err)
	}
	key := ledger.GradientKey(w, m.cfg.UID)
	if err := m.cfg.Bucket.Put(ctx, key, res.Message); err != nil {
		return Report{}, fmt.Errorf("miner: upload: %w", err)
	}
	up := ledger.GradientUpload{Key: key, ContentHash: sha256.Sum256(res.Message), Size: uint64(len(res.Message)), Checkpoint: anchor.Hash}
	if _, err := m.cfg.Ledger.Apply(ctx, ledger.Op{Type: ledger.OpSubmitGradient, NowMs: nowMs, Sender: m.cfg.Address,
		UID: m.cfg.UID, Window: w, Gradient: &up}); err != nil {
		return Report{}, fmt.Errorf("miner: submit gradient: %w", err)
	}
	m.done[w] = true
	m.cfg.Logger.Info("gradient submitted", "window", w, "uid", m.cfg.UID, "loss", loss, "bytes", len(res.Message))
	return Report{Window: w, Loss: loss, Bytes: len(res.Message)}, nil
}

// load makes the trainer hold the anchored checkpoint, verifying its hash.
func (m *Miner) load(ctx context.Context, a ledger.Anchor) error {
	if m.loaded == a.Hash {
		return nil
	}
	b, err := m.cfg.Checkpoints.Get(ctx, a.Key)
	if err != nil {
		return fmt.Errorf("miner: checkpoint %s: %w", a.Key, err)
	}
	if checkpoint.Hash(b) != a.Hash {
		return fmt.Errorf("miner: checkpoint %s does not match its anchored hash", a.Key)
	}
	f, err := checkpoint.Decode(b)
	if err != nil {
		return fmt.Errorf("miner: checkpoint %s: %w", a.Key, err)
	}
	if len(f.Params) != m.cfg.NumParams {
		return fmt.Errorf("miner: checkpoint has %d parameters, want %d", len(f.Params), m.cfg.NumParams)
	}
	if err := m.cfg.Trainer.LoadCheckpoint(ctx, b[len(b)-4*len(f.Params):]); err != nil {
		return fmt.Errorf("miner: load checkpoint: %w", err)
	}
	m.loaded = a.Hash
	return nil
}

func (m *Miner) misbehave(g []float32) {
	switch m.cfg.Behavior {
	case FreeRider:
		clear(g)
	case Noise:
		var norm float64
		for _, x := range g {
			norm += float64(x) * float64(x)
		}
		var nn float64
		for i := range g {
			g[i] = float32(m.rng.NormFloat64())
			nn += float64(g[i]) * float64(g[i])
		}
		if nn > 0 {
			s := float32(math.Sqrt(norm / nn))
			for i := range g {
				g[i] *= s
			}
		}
	}
}
