// Package localdemo runs a whole VRAM HUB network on one machine, with no
// wallet and no GPU: a persisted dev ledger, miners that train the pure-Go
// model through their sidecars (one of them a cheater that uploads noise),
// validators with dev-mode enclaves (or simulated scoring), and the
// aggregator that finalizes windows and anchors new checkpoints.
//
// Time is virtual: the demo moves a clock through each window's phases
// (upload, scoring, closed) and every node decides for itself what to do
// from the ledger's window clock, as it would on a real one. So six windows
// take as long as the training and scoring they contain, not 6 × D.
package localdemo

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/subnetkit/subnetkit/internal/vramhub/aggregator"
	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint"
	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave/enclavehttp"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger/ledgerhttp"
	"github.com/subnetkit/subnetkit/internal/vramhub/miner"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
	"github.com/subnetkit/subnetkit/internal/vramhub/objstore"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
	"github.com/subnetkit/subnetkit/internal/vramhub/sidecar"
	"github.com/subnetkit/subnetkit/internal/vramhub/validator"
)

// Config configures a demo run. Zero fields take the defaults.
type Config struct {
	// Dir holds the ledger, buckets and run history (default: a new
	// temporary directory, removed afterwards).
	Dir string
	// Windows is how many windows to run (default 6).
	Windows int
	// WindowMs and PutWindowOpenMs are D and P (defaults 3000 and 1500).
	WindowMs, PutWindowOpenMs uint64
	// Simulated scores without enclaves (zero signatures, norm scores).
	Simulated bool
	// Model is the trained architecture (default model.Small() over the
	// byte vocabulary).
	Model model.Config
	// Rows and RowLen shape each assigned batch (defaults 8 and 65).
	Rows, RowLen int
	// Stage1Fraction is the share of gradient entries a miner keeps before
	// stage 2 (default 0.05, so a small model learns visibly in a few
	// windows; the production default is 0.001).
	Stage1Fraction float64
	// ApplyScale is a in θ' = θ − a·ĝ and the aggregator's step (default 0.5).
	ApplyScale float64
	// Logger receives node logs (default: discard).
	Logger *slog.Logger
	// OnWindow, if set, receives each window's result as it closes.
	OnWindow func(WindowResult)
}

func (c Config) withDefaults() Config {
	if c.Windows <= 0 {
		c.Windows = 6
	}
	if c.WindowMs == 0 {
		c.WindowMs = 3000
	}
	if c.PutWindowOpenMs == 0 {
		c.PutWindowOpenMs = 1500
	}
	if c.Model == (model.Config{}) {
		c.Model = model.Small()
		c.Model.Vocab = data.ByteVocab
	}
	if c.Rows == 0 {
		c.Rows = 8
	}
	if c.RowLen == 0 {
		c.RowLen = 65
	}
	if c.Stage1Fraction == 0 {
		c.Stage1Fraction = 0.05
	}
	if c.ApplyScale == 0 {
		c.ApplyScale = 0.5
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// MinerResult is one miner's line.
type MinerResult struct {
	UID      uint64  `json:"uid"`
	Behavior string  `json:"behavior"`
	Cheater  bool    `json:"cheater"`
	Score    int64   `json:"score"` // consensus loss delta ×1e9 of the last scored window
	Mu       float64 `json:"mu"`
	Sigma    float64 `json:"sigma"`
	Weight   float64 `json:"weight"` // share of the last window's miner emission
	Tokens   float64 `json:"tokens"` // VRAM earned so far
}

// ValidatorResult is one validator's line.
type ValidatorResult struct {
	UID    uint64  `json:"uid"`
	Stake  float64 `json:"stake"`
	Weight float64 `json:"weight"`
	Tokens float64 `json:"tokens"`
}

// WindowResult is one closed window.
type WindowResult struct {
	Window      uint64        `json:"window"`
	EvalLoss    float64       `json:"eval_loss"`
	Miners      []MinerResult `json:"miners"`
	Minted      float64       `json:"minted"`
	Checkpoint  string        `json:"checkpoint_hash"`
	Merged      int           `json:"merged"`
	Submissions int           `json:"submissions"`
}

// Result is the whole run.
type Result struct {
	WindowsScored             int               `json:"windows_scored"`
	EvalLossPerWindow         []float64         `json:"eval_loss_per_window"`
	Miners                    []MinerResult     `json:"miners"`
	Validators                []ValidatorResult `json:"validators"`
	MinerTokensMinted         float64           `json:"miner_tokens_minted"`
	RejectedHonestSubmissions int               `json:"rejected_honest_submissions"`
	ForgedSubmissionRejected  bool              `json:"forged_submission_rejected"`
	Windows                   []WindowResult    `json:"-"`
}

// storeLedger adapts a durable ledger store to the nodes' Ledger interface.
type storeLedger struct{ s *ledgerhttp.Store }

func (s storeLedger) Apply(_ context.Context, op ledger.Op) (ledger.Result, error) {
	return s.s.Apply(op)
}
func (s storeLedger) View(_ context.Context, fn func(l *ledger.Ledger)) error {
	s.s.View(fn)
	return nil
}

// Rate is the ledger's rating rule: one OpenSkill Plackett–Luce update over
// the window's players, by consensus score.
func Rate(players []ledger.UIDScore, prior map[uint64]ledger.Rating) map[uint64]ledger.Rating {
	ratings := make([]openskill.Rating, len(players))
	scores := make([]int64, len(players))
	for i, p := range players {
		r := prior[p.UID]
		ratings[i] = openskill.Rating{Mu: r.Mu, Sigma: r.Sigma}
		scores[i] = p.Score
	}
	out, err := openskill.Rate(ratings, scores, openskill.Options{})
	if err != nil {
		return nil
	}
	res := make(map[uint64]ledger.Rating, len(players))
	for i, p := range players {
		res[p.UID] = ledger.Rating{Mu: out[i].Mu, Sigma: out[i].Sigma}
	}
	return res
}

const (
	admin      = "admin"
	aggAddress = "aggregator"
	genesisMs  = 1_767_225_600_000 // 2026-01-01T00:00:00Z; the clock is virtual
	nMiners    = 6
)

var validatorStakes = []uint64{100, 200, 400}

func vram(base uint64) float64 { return float64(base) / float64(rewards.Unit) }

type node struct {
	uid      uint64
	address  string
	behavior miner.Behavior
	bucket   *objstore.Dir
	miner    *miner.Miner
}

// Run runs the demo and returns its result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Model.Validate(); err != nil {
		return nil, err
	}
	if cfg.Dir == "" {
		d, err := os.MkdirTemp("", "vramhub-demo-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		cfg.Dir = d
	}
	corpus := data.CorpusTokens()
	spec := data.Spec{Kind: data.KindCorpus, Vocab: cfg.Model.Vocab, Rows: cfg.Rows, RowLen: cfg.RowLen, CorpusHash: data.TokensHash(corpus)}
	batch := func(uid, w uint64) ([][]int32, error) { return data.Assign(uid, w, spec, corpus) }

	// Genesis checkpoint, in the aggregator's store.
	aggStore, err := objstore.NewDir(filepath.Join(cfg.Dir, "aggregator"))
	if err != nil {
		return nil, err
	}
	m0, err := model.New(cfg.Model, 1)
	if err != nil {
		return nil, err
	}
	genesisBytes, err := checkpoint.Encode(checkpoint.File{Kind: checkpoint.KindWeights, ModelID: m0.ID(), Params: m0.Params()})
	if err != nil {
		return nil, err
	}
	if err := aggStore.Put(ctx, objstore.CheckpointKey(0), genesisBytes); err != nil {
		return nil, err
	}
	params := ledger.DefaultParams()
	params.PutWindowOpenMs = cfg.PutWindowOpenMs
	params.ApplyScale = cfg.ApplyScale
	params.CompressionRatio = cfg.Stage1Fraction
	params.SyncMinCosine = -1 // off in dev, as the design's dev profile sets it
	params.Admin, params.Aggregator = admin, aggAddress
	params.Dataset = ledger.Dataset{Kind: "corpus", Vocab: uint64(spec.Vocab), Rows: uint64(spec.Rows), RowLen: uint64(spec.RowLen), Corpus: spec.CorpusHash}
	for i, p := range enclave.DevPCRs() {
		params.ExpectedPCRs[i] = p
	}
	profile, network := ledger.ProfileDev, "vramhub-dev"
	store, err := ledgerhttp.Open(ledgerhttp.Config{
		Dir: filepath.Join(cfg.Dir, "ledger"),
		Genesis: ledger.Genesis{Profile: profile, NetworkID: network, GenesisMs: genesisMs, WindowMs: cfg.WindowMs,
			Params: params, Checkpoint: &ledger.Anchor{Effective: 0, Hash: checkpoint.Hash(genesisBytes), Key: objstore.CheckpointKey(0)}},
		Options: ledger.Options{Rate: Rate},
	})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	led := storeLedger{store}
	now := uint64(genesisMs + 1)
	apply := func(op ledger.Op) (ledger.Result, error) {
		op.NowMs = now
		return led.Apply(ctx, op)
	}

	// Accounts: premint, then register miners and validators.
	var allocs []ledger.Allocation
	for i := range nMiners {
		allocs = append(allocs, ledger.Allocation{Address: fmt.Sprintf("miner-%d", i), Amount: 10 * rewards.Unit})
	}
	for i, st := range validatorStakes {
		allocs = append(allocs, ledger.Allocation{Address: fmt.Sprintf("validator-%d", i), Amount: (2_100 + st) * rewards.Unit})
	}
	if _, err := apply(ledger.Op{Type: ledger.OpPremint, Sender: admin, Allocations: allocs}); err != nil {
		return nil, fmt.Errorf("premint: %w", err)
	}

	var servers []*http.Server
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	serve := func(h http.Handler) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		s := &http.Server{Handler: h}
		servers = append(servers, s)
		go func() { _ = s.Serve(ln) }()
		return "http://" + ln.Addr().String(), nil
	}

	buckets := map[uint64]*objstore.Dir{}
	bucketOf := func(uid uint64) (objstore.Store, error) {
		b, ok := buckets[uid]
		if !ok {
			return nil, fmt.Errorf("uid %d has no bucket", uid)
		}
		return b, nil
	}
	var miners []*node
	for i := range nMiners {
		addr := fmt.Sprintf("miner-%d", i)
		bucket, err := objstore.NewDir(filepath.Join(cfg.Dir, "buckets", addr))
		if err != nil {
			return nil, err
		}
		res, err := apply(ledger.Op{Type: ledger.OpRegisterPeer, Sender: addr, Amount: rewards.Unit,
			Credentials: &ledger.Credentials{Bucket: addr}})
		if err != nil {
			return nil, fmt.Errorf("register %s: %w", addr, err)
		}
		n := &node{uid: res.UID, address: addr, bucket: bucket}
		if i == nMiners-1 {
			n.behavior = miner.Noise
		}
		buckets[n.uid] = bucket
		srv, err := sidecar.NewServer(sidecar.ServerConfig{Model: m0.Clone(), Batch: batch, Stage1Fraction: cfg.Stage1Fraction})
		if err != nil {
			return nil, err
		}
		url, err := serve(srv)
		if err != nil {
			return nil, err
		}
		topK := compress.DefaultTopK * 8
		if i%2 == 1 {
			topK = compress.DefaultTopK * 4 // honest miners differ in topk_compression
		}
		n.miner, err = miner.New(miner.Config{Ledger: led, Trainer: &sidecar.Client{URL: url}, Address: addr, UID: n.uid,
			Checkpoints: aggStore, Bucket: bucket, NumParams: m0.NumParams(), Compress: compress.Config{TopK: topK},
			Behavior: n.behavior, Seed: uint64(i), Logger: cfg.Logger.With("component", "miner", "uid", n.uid)})
		if err != nil {
			return nil, err
		}
		miners = append(miners, n)
	}

	scorer, err := enclave.NewScorer(enclave.ScorerConfig{Model: cfg.Model, Data: spec, Corpus: corpus})
	if err != nil {
		return nil, err
	}
	type vnode struct {
		uid     uint64
		address string
		v       *validator.Validator
	}
	var validators []vnode
	var forgeKey ed25519.PublicKey
	for i, st := range validatorStakes {
		addr := fmt.Sprintf("validator-%d", i)
		res, err := apply(ledger.Op{Type: ledger.OpRegisterValidator, Sender: addr, Amount: st * rewards.Unit})
		if err != nil {
			return nil, fmt.Errorf("register %s: %w", addr, err)
		}
		vc := validator.Config{Ledger: led, Address: addr, UID: res.UID, Mode: enclave.ModeSimulated, Checkpoints: aggStore,
			Buckets: bucketOf, NumParams: m0.NumParams(), Logger: cfg.Logger.With("component", "validator", "uid", res.UID)}
		if !cfg.Simulated {
			srv, err := enclavehttp.NewServer(enclavehttp.ServerConfig{Scorer: scorer, Mode: enclave.ModeDev,
				Logger: cfg.Logger.With("component", "enclave", "validator", res.UID)})
			if err != nil {
				return nil, err
			}
			url, err := serve(srv)
			if err != nil {
				return nil, err
			}
			client, err := enclavehttp.NewClient(enclavehttp.ClientConfig{Mode: enclave.ModeDev, URL: url, Verifier: ledger.DevVerifier{}})
			if err != nil {
				return nil, err
			}
			att, err := client.Attestation(ctx)
			if err != nil {
				return nil, fmt.Errorf("enclave of %s: %w", addr, err)
			}
			if _, err := apply(ledger.Op{Type: ledger.OpRegisterEnclave, Sender: addr, UID: res.UID,
				PublicKey: att.PublicKey, Document: att.AttestationDocument}); err != nil {
				return nil, fmt.Errorf("register enclave of %s: %w", addr, err)
			}
			vc.Mode, vc.Enclave, vc.EnclaveKey = enclave.ModeDev, client, ed25519.PublicKey(att.PublicKey)
			if i == 0 {
				forgeKey = vc.EnclaveKey
			}
		}
		v, err := validator.New(vc)
		if err != nil {
			return nil, err
		}
		validators = append(validators, vnode{uid: res.UID, address: addr, v: v})
	}
	agg, err := aggregator.New(aggregator.Config{Ledger: led, Address: aggAddress, Store: aggStore, Buckets: bucketOf,
		ModelID: m0.ID(), NumParams: m0.NumParams(), Logger: cfg.Logger.With("component", "aggregator")})
	if err != nil {
		return nil, err
	}

	eval := m0.Clone()
	evalBatch, err := data.Assign(data.EvalUID, 0, spec, corpus)
	if err != nil {
		return nil, err
	}
	result := &Result{}
	var mu sync.Mutex
	for w := uint64(0); w < uint64(cfg.Windows); w++ {
		start := genesisMs + w*cfg.WindowMs
		// Upload phase: every miner trains and submits.
		now = start + 10
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(2)
		for _, n := range miners {
			g.Go(func() error {
				_, err := n.miner.Step(gctx, now)
				if errors.Is(err, miner.ErrNothingToDo) {
					return nil
				}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		// Scoring phase. In window 0 a forged submission goes first: the
		// ledger must refuse it.
		now = start + cfg.PutWindowOpenMs + 10
		if w == 0 && !cfg.Simulated {
			result.ForgedSubmissionRejected = forge(ctx, led, now, validators[0].address, validators[0].uid, forgeKey)
		}
		g, gctx = errgroup.WithContext(ctx)
		g.SetLimit(2)
		for _, vn := range validators {
			g.Go(func() error {
				_, err := vn.v.Step(gctx, now)
				switch {
				case err == nil, errors.Is(err, validator.ErrNothingToDo):
					return nil
				case errors.Is(err, ledger.ErrBadSignature):
					mu.Lock()
					result.RejectedHonestSubmissions++
					mu.Unlock()
					cfg.Logger.Error("honest submission rejected", "validator", vn.uid, "err", err)
					return nil
				}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		// Closed: finalize, aggregate, anchor.
		now = start + cfg.WindowMs + 10
		fin, err := agg.Step(ctx, now)
		if err != nil {
			return nil, err
		}
		for _, f := range fin {
			wr, err := windowResult(ctx, led, aggStore, eval, evalBatch, miners, f)
			if err != nil {
				return nil, err
			}
			result.Windows = append(result.Windows, wr)
			result.EvalLossPerWindow = append(result.EvalLossPerWindow, wr.EvalLoss)
			if wr.Submissions > 0 {
				result.WindowsScored++
			}
			if cfg.OnWindow != nil {
				cfg.OnWindow(wr)
			}
		}
	}
	if n := len(result.Windows); n > 0 {
		result.Miners = result.Windows[n-1].Miners
	}
	err = led.View(ctx, func(l *ledger.Ledger) {
		for _, n := range miners {
			result.MinerTokensMinted += vram(l.Earned(n.address))
		}
		for i, vn := range validators {
			p, _ := l.Peer(vn.uid)
			result.Validators = append(result.Validators, ValidatorResult{UID: vn.uid, Stake: vram(p.Stake),
				Tokens: vram(l.Earned(validators[i].address))})
		}
		if rec, ok := l.WindowRecord(uint64(cfg.Windows - 1)); ok {
			for _, pay := range rec.Validators {
				for i := range result.Validators {
					if result.Validators[i].UID == pay.UID {
						result.Validators[i].Weight = float64(pay.Weight) / 1e9
					}
				}
			}
		}
	})
	return result, err
}

// forge submits scores with a signature the enclave never made, as a
// validator trying to hand its miner a top score would. It reports whether
// the ledger refused it with ErrBadSignature.
func forge(ctx context.Context, led storeLedger, now uint64, address string, vuid uint64, key ed25519.PublicKey) bool {
	var (
		anchor ledger.Anchor
		win    uint64
		miner0 uint64
		found  bool
	)
	_ = led.View(ctx, func(l *ledger.Ledger) {
		win, _ = l.Window(now)
		anchor, _ = l.Anchored(win)
		for _, p := range l.Peers() {
			if _, ok := l.Gradient(win, p.UID); ok && !p.Validator {
				miner0, found = p.UID, true
				break
			}
		}
	})
	if !found {
		return false
	}
	sig := sha256.Sum256([]byte("not the enclave's signature"))
	sub := ledger.ScoreSubmission{Checkpoint: anchor.Hash, Scores: []ledger.UIDScore{{UID: miner0, Score: ledger.MaxAbsScore}},
		EnclaveKey: ledger.HexBytes(key), Signature: append(sig[:], sig[:]...)}
	_, err := led.Apply(ctx, ledger.Op{Type: ledger.OpSubmitScores, NowMs: now, Sender: address, UID: vuid, Window: win, Scores: &sub})
	return errors.Is(err, ledger.ErrBadSignature)
}

// windowResult gathers one finalized window's numbers and evaluates the
// newest checkpoint on the fixed evaluation batch.
func windowResult(ctx context.Context, led storeLedger, st objstore.Store, eval *model.Model, evalBatch [][]int32, miners []*node, f aggregator.Finalized) (WindowResult, error) {
	wr := WindowResult{Window: f.Record.Window, Minted: vram(f.Record.Emission), Merged: f.Merged}
	var latest ledger.Anchor
	err := led.View(ctx, func(l *ledger.Ledger) {
		as := l.Anchors()
		latest = as[len(as)-1]
		scores := map[uint64]int64{}
		for _, p := range f.Record.Players {
			scores[p.UID] = p.Score
		}
		weights := map[uint64]uint64{}
		for _, p := range f.Record.Miners {
			weights[p.UID] = p.Weight
		}
		for _, p := range l.Peers() {
			if _, ok := l.Submission(f.Record.Window, p.UID); ok {
				wr.Submissions++
			}
		}
		for _, n := range miners {
			r := l.Rating(n.uid)
			wr.Miners = append(wr.Miners, MinerResult{UID: n.uid, Behavior: n.behavior.String(), Cheater: n.behavior != miner.Honest,
				Score: scores[n.uid], Mu: float64(r.MuFp) / 1e9, Sigma: float64(r.SigmaFp) / 1e9,
				Weight: float64(weights[n.uid]) / 1e9, Tokens: vram(l.Earned(n.address))})
		}
	})
	if err != nil {
		return wr, err
	}
	wr.Checkpoint = fmt.Sprintf("%x", latest.Hash[:8])
	b, err := st.Get(ctx, latest.Key)
	if err != nil {
		return wr, err
	}
	file, err := checkpoint.Decode(b)
	if err != nil {
		return wr, err
	}
	if err := eval.SetParams(file.Params); err != nil {
		return wr, err
	}
	if wr.EvalLoss, err = eval.Loss(evalBatch); err != nil {
		return wr, err
	}
	if math.IsNaN(wr.EvalLoss) {
		return wr, errors.New("evaluation loss is NaN")
	}
	return wr, nil
}
