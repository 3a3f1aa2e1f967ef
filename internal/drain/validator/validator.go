// Package validator is the DRAIN (subnet 58) validator's shell. Each round
// it reads the metagraph, sends the ProviderCheck synapse to every served
// miner (signed with the Bittensor axon scheme), verifies each wallet proof
// against the metagraph's hotkey for that UID (never the one a response
// names), scans ChannelClaimed claims over the rolling window, and feeds
// it all to the pure scoring core (package score). Weights go to the chain
// when more than EpochLength blocks have passed since the validator's own
// last update.
//
// Order of effects in a round, as in raft: measure, score, persist the
// state, then send the weights. A round whose scan fails (a chunk no
// endpoint could read) changes nothing: scores are never computed from a
// partial scan.
package validator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/drain/miner"
	"github.com/subnetkit/subnetkit/internal/drain/scanner"
	"github.com/subnetkit/subnetkit/internal/drain/score"
	"github.com/subnetkit/subnetkit/internal/keys"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

// Chain is what the validator needs from the Bittensor chain.
type Chain interface {
	chain.MetagraphReader
	chain.WeightSetter
}

// Scanner sums claims per provider over the window.
type Scanner interface {
	Scan(ctx context.Context) (scanner.Result, error)
}

// Config configures a Validator. Zero fields take the defaults.
type Config struct {
	Chain   Chain       // required
	Scanner Scanner     // required
	Signer  keys.Signer // the validator hotkey (required)
	// NetUID is the subnet (default 58).
	NetUID uint16
	// Params are the scoring constants (default score.DefaultParams()).
	Params score.Params
	// EpochLength is how many blocks must pass since the validator's last
	// weights before it sets them again (default 100).
	EpochLength uint64
	// VersionKey is sent with weights (default 1).
	VersionKey uint64
	// QueryTimeout bounds each ProviderCheck (default 12 s).
	QueryTimeout time.Duration
	// Concurrency bounds parallel queries (default 16).
	Concurrency int
	// HTTP sends the queries (default: a client without an overall timeout).
	HTTP *http.Client
	// AllowPrivate queries loopback and private axons (local networks
	// only); otherwise they are skipped.
	AllowPrivate bool
	// DataDir persists the scoring state ("" = memory only).
	DataDir string
	Logger  *slog.Logger
	Now     func() time.Time
}

// Validator scores DRAIN providers.
type Validator struct {
	cfg      Config
	dendrite *axon.Dendrite
	self     keys.PublicKey
	state    score.State
}

// New returns a Validator, loading persisted state from DataDir.
func New(cfg Config) (*Validator, error) {
	if cfg.Chain == nil || cfg.Scanner == nil || cfg.Signer == nil {
		return nil, errors.New("drain validator: Chain, Scanner and Signer are required")
	}
	if cfg.NetUID == 0 {
		cfg.NetUID = 58
	}
	if cfg.Params == (score.Params{}) {
		cfg.Params = score.DefaultParams()
	}
	if cfg.EpochLength == 0 {
		cfg.EpochLength = 100
	}
	if cfg.VersionKey == 0 {
		cfg.VersionKey = 1
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 12 * time.Second
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v := &Validator{cfg: cfg, dendrite: axon.NewDendrite(cfg.Signer, cfg.Now, ""), self: cfg.Signer.PublicKey()}
	if cfg.DataDir != "" {
		b, err := os.ReadFile(v.statePath())
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &v.state); err != nil {
				return nil, fmt.Errorf("drain validator: state %s: %w", v.statePath(), err)
			}
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("drain validator: %w", err)
		}
	}
	return v, nil
}

func (v *Validator) statePath() string {
	return filepath.Join(v.cfg.DataDir, "drain-validator-state.json")
}

func (v *Validator) save() error {
	if v.cfg.DataDir == "" {
		return nil
	}
	if err := os.MkdirAll(v.cfg.DataDir, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(v.state)
	if err != nil {
		return err
	}
	return vfs.WriteFileAtomic(vfs.OS{}, v.statePath(), b)
}

// Report is a round's outcome.
type Report struct {
	Block uint64 `json:"block"`
	// Scan is the claims window that was read.
	ScanFrom, ScanTo uint64 `json:"-"`
	score.Result
	// Claims is the scanned total per provider address (USDC base units).
	Claims map[common.Address]*big.Int `json:"-"`
	// Responses holds each queried UID's answer (failed queries absent).
	Responses    map[uint16]miner.Response `json:"-"`
	WeightsSet   bool                      `json:"weights_set"`
	WeightsError string                    `json:"weights_error,omitempty"`
}

func routable(ip netip.Addr, allowPrivate bool) bool {
	if !ip.IsValid() || ip.IsUnspecified() {
		return false
	}
	if allowPrivate {
		return true
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsMulticast())
}

// Round runs one round; setWeights lets the caller suppress weights (they
// are also skipped while the epoch has not passed).
func (v *Validator) Round(ctx context.Context, setWeights bool) (Report, error) {
	mg, err := v.cfg.Chain.Metagraph(ctx, v.cfg.NetUID)
	if err != nil {
		return Report{}, fmt.Errorf("drain validator: metagraph: %w", err)
	}
	rep := Report{Block: mg.Block, Responses: map[uint16]miner.Response{}}
	round := score.Round{Miners: make([]score.Miner, len(mg.Neurons))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, v.cfg.Concurrency)
	var selfLast uint64
	var selfFound bool
	for i, n := range mg.Neurons {
		round.Miners[i] = score.Miner{UID: n.UID, Hotkey: n.Hotkey.SS58(), RegisteredAt: n.RegisteredAt}
		if n.Hotkey == v.self {
			selfLast, selfFound = n.LastUpdate, true
			continue
		}
		if !n.Axon.IsValid() || n.Axon.Port() == 0 || !routable(n.Axon.Addr(), v.cfg.AllowPrivate) {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			qctx, cancel := context.WithTimeout(ctx, v.cfg.QueryTimeout)
			defer cancel()
			resp, _, err := miner.Checker{HTTP: v.cfg.HTTP}.Check(qctx, v.dendrite, "http://"+n.Axon.String(), n.Hotkey)
			if err != nil {
				v.cfg.Logger.Debug("provider check failed", "uid", n.UID, "err", err)
				return
			}
			m := score.Miner{UID: n.UID, Hotkey: n.Hotkey.SS58(), RegisteredAt: n.RegisteredAt, Responded: true}
			m.Wallet, m.ProofValid = resp.Verify(n.Hotkey.SS58())
			mu.Lock()
			round.Miners[i] = m
			rep.Responses[n.UID] = resp
			mu.Unlock()
		})
	}
	wg.Wait()
	scan, err := v.cfg.Scanner.Scan(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("drain validator: scan claims (round abandoned, scores unchanged): %w", err)
	}
	rep.ScanFrom, rep.ScanTo = scan.From, scan.To
	round.Claims = scan.PerProvider
	rep.Claims = scan.PerProvider
	res, next, err := score.Step(v.state, round, v.cfg.Params)
	if err != nil {
		return Report{}, err
	}
	rep.Result = res
	v.state = next
	if err := v.save(); err != nil {
		return rep, fmt.Errorf("drain validator: save state: %w", err)
	}
	due := !selfFound || mg.Block-min(selfLast, mg.Block) > v.cfg.EpochLength || selfLast == 0
	if setWeights && due && len(res.Weights) > 0 {
		uids, vals, err := chain.WeightsToU16(res.Weights)
		if err == nil {
			err = v.cfg.Chain.SetWeights(ctx, v.cfg.NetUID, uids, vals, v.cfg.VersionKey)
		}
		if err != nil {
			rep.WeightsError = err.Error()
			v.cfg.Logger.Warn("set weights refused", "err", err)
		} else {
			rep.WeightsSet = true
		}
	}
	return rep, nil
}

// Run runs a round every interval (at least 12 s, one block) until ctx
// ends. onRound, if set, receives each report.
func (v *Validator) Run(ctx context.Context, interval time.Duration, onRound func(Report)) error {
	interval = max(interval, 12*time.Second)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rep, err := v.Round(ctx, true)
		if err != nil {
			v.cfg.Logger.Error("round failed", "err", err)
		} else if onRound != nil {
			onRound(rep)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ClaimsUSDC formats base units as USDC.
func ClaimsUSDC(x *big.Int) float64 {
	if x == nil {
		return 0
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(x), big.NewFloat(1e6)).Float64()
	return f
}
