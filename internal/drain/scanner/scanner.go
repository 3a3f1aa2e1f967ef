package scanner

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/subnetkit/subnetkit/internal/drain/score"
)

// Reader is what the scanner needs from a JSON-RPC endpoint; an
// ethclient.Client, an evm.LogReader or the simulated chain's client all
// implement it.
type Reader interface {
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	BlockNumber(ctx context.Context) (uint64, error)
}

// Endpoint is one RPC endpoint, tried in the order given to [New].
type Endpoint struct {
	// Name identifies the endpoint in logs; it must not hold secrets such
	// as an API key in the URL (metrics use the position instead).
	Name   string
	Reader Reader
}

// ErrUnavailable is wrapped by every error of a request that no endpoint
// answered within the configured attempts.
var ErrUnavailable = errors.New("scanner: no endpoint answered")

// ChunkError reports a block range no endpoint could read; the round that
// hit it returned no result and changed no state.
type ChunkError struct {
	From, To uint64
	// Errs holds each failed try in order ("<endpoint> try <n>: <cause>").
	Errs []error
}

func (e *ChunkError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		msgs[i] = err.Error()
	}
	return fmt.Sprintf("scanner: logs of blocks [%d, %d] unavailable: %s", e.From, e.To, strings.Join(msgs, "; "))
}

// Unwrap returns ErrUnavailable and every try's error, so errors.Is finds
// [ErrUnavailable], [ErrMalformedLog] or a context error.
func (e *ChunkError) Unwrap() []error { return append([]error{ErrUnavailable}, e.Errs...) }

// Result is one round's claims totals.
type Result struct {
	// From and To are the scanned window, inclusive; Head is the chain
	// head the endpoint reported (To = Head − Confirmations).
	From, To, Head uint64
	// PerProvider is the sum of claimed amounts per provider address (USDC
	// base units) over the window. The caller owns the map and values.
	PerProvider map[common.Address]*big.Int
	// MaxClaims is the largest total in PerProvider, or 1 when there is
	// none ([score.MaxClaims]).
	MaxClaims *big.Int
	// Logs is the number of ChannelClaimed events in the window.
	Logs int
	// Requested is the number of eth_getLogs ranges this round read (the
	// rest came from the cache).
	Requested int
}

// Log attribute keys.
const (
	attrEndpoint = "endpoint"
	attrTry      = "try"
	attrFrom     = "from"
	attrTo       = "to"
	attrHead     = "head"
	attrErr      = "err"
	attrLogs     = "logs"
	attrChunks   = "chunks"
	attrElapsed  = "elapsed"
)

// Scanner scans ChannelClaimed events incrementally. It is safe for
// concurrent use; rounds are serialised.
type Scanner struct {
	cfg Config
	eps []Endpoint
	m   *metrics

	mu     sync.Mutex
	loaded bool
	c      *cache
}

// New returns a Scanner reading from endpoints in priority order. It
// returns an error for an invalid Config, no endpoints, or metrics that
// cannot be registered. The cache file is read at the first round.
func New(cfg Config, endpoints ...Endpoint) (*Scanner, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(endpoints) == 0 {
		return nil, errors.New("scanner: at least one endpoint is required")
	}
	endpoints = append([]Endpoint(nil), endpoints...) // the caller keeps its slice
	for i, ep := range endpoints {
		if ep.Reader == nil {
			return nil, fmt.Errorf("scanner: endpoint %d has no reader", i)
		}
		if ep.Name == "" {
			endpoints[i].Name = fmt.Sprintf("rpc%d", i)
		}
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, fmt.Errorf("scanner: register metrics: %w", err)
	}
	cfg.Logger = cfg.Logger.With("component", "drain-scanner")
	return &Scanner{cfg: cfg, eps: endpoints, m: m, c: &cache{}}, nil
}

// Scan runs one round: read the head, read every block of the window not
// already cached plus the reorg margin, update the cache, and total the
// claims. On any error (a *[ChunkError], a head that cannot be read, ctx
// ending) it returns no result and leaves the cache as it was, so the
// caller should keep its previous scores.
func (s *Scanner) Scan(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.scan(ctx)
	if err != nil {
		s.m.rounds.WithLabelValues("error").Inc()
		return Result{}, err
	}
	s.m.rounds.WithLabelValues("ok").Inc()
	return res, nil
}

func (s *Scanner) scan(ctx context.Context) (Result, error) {
	start := time.Now()
	if !s.loaded {
		s.load()
	}
	head, err := s.head(ctx)
	if err != nil {
		return Result{}, err
	}
	to := satSub(head, uint64(s.cfg.Confirmations))
	from := satSub(to, s.cfg.WindowBlocks)
	first := s.firstToRead(from, to)

	var fresh []Claim
	chunks := 0
	for lo := first; lo <= to; {
		hi := to
		if to-lo >= s.cfg.ChunkSize {
			hi = lo + s.cfg.ChunkSize - 1
		}
		got, err := s.chunk(ctx, lo, hi)
		if err != nil {
			return Result{}, err
		}
		fresh = append(fresh, got...)
		chunks++
		if hi == to {
			break
		}
		lo = hi + 1
	}

	// Commit: keep cached records below the re-read range that are still
	// in the window, then the fresh ones.
	kept := make([]Claim, 0, len(s.c.records)+len(fresh))
	for _, r := range s.c.records {
		if r.Block >= from && r.Block < first {
			kept = append(kept, r)
		}
	}
	kept = append(kept, fresh...)
	sortClaims(kept)
	s.c = &cache{valid: true, from: from, through: to, records: kept}
	s.persist()

	res := Result{From: from, To: to, Head: head, PerProvider: map[common.Address]*big.Int{}, Logs: len(kept), Requested: chunks}
	for _, r := range kept {
		sum, ok := res.PerProvider[r.Provider]
		if !ok {
			sum = new(big.Int)
			res.PerProvider[r.Provider] = sum
		}
		sum.Add(sum, r.Amount)
	}
	res.MaxClaims = score.MaxClaims(res.PerProvider)
	s.m.cached.Set(float64(len(kept)))
	s.m.scanned.Set(float64(to))
	s.cfg.Logger.Info("claims scanned", attrFrom, from, attrTo, to, attrHead, head,
		attrLogs, len(kept), attrChunks, chunks, attrElapsed, time.Since(start))
	return res, nil
}

// firstToRead returns the first block of [from, to] that this round must
// request: from itself without a cache that covers the window's start,
// else the block after the cached range less the reorg margin.
func (s *Scanner) firstToRead(from, to uint64) uint64 {
	c := s.c
	if !c.valid || c.from > from || c.through+1 < from {
		return from
	}
	top := min(c.through, to) // a head that went back drops the records above it
	return max(from, satSub(top+1, uint64(s.cfg.ReorgMargin)))
}

func (s *Scanner) head(ctx context.Context) (uint64, error) {
	var head uint64
	errs := s.try(ctx, "eth_blockNumber", func(ctx context.Context, r Reader) error {
		h, err := r.BlockNumber(ctx)
		head = h
		return err
	})
	if errs != nil {
		return 0, fmt.Errorf("scanner: read head: %w", errors.Join(append([]error{ErrUnavailable}, errs...)...))
	}
	return head, nil
}

// chunk reads and checks the claims of blocks [lo, hi].
func (s *Scanner) chunk(ctx context.Context, lo, hi uint64) ([]Claim, error) {
	q := ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(lo),
		ToBlock:   new(big.Int).SetUint64(hi),
		Addresses: []common.Address{s.cfg.Contract},
		Topics:    [][]common.Hash{{ClaimedTopic}},
	}
	var out []Claim
	errs := s.try(ctx, "eth_getLogs", func(ctx context.Context, r Reader) error {
		logs, err := r.FilterLogs(ctx, q)
		if err != nil {
			return err
		}
		out, err = s.check(logs, lo, hi)
		return err
	})
	if errs != nil {
		return nil, &ChunkError{From: lo, To: hi, Errs: errs}
	}
	s.m.blocks.Add(float64(hi - lo + 1))
	return out, nil
}

// check decodes one eth_getLogs answer for [lo, hi]. Removed logs are
// skipped; exact duplicates collapse; anything else odd is ErrMalformedLog.
func (s *Scanner) check(logs []types.Log, lo, hi uint64) ([]Claim, error) {
	out := make([]Claim, 0, len(logs))
	for _, l := range logs {
		if l.Removed {
			continue
		}
		if l.Address != s.cfg.Contract {
			return nil, fmt.Errorf("%w: log from %s, want %s", ErrMalformedLog, l.Address, s.cfg.Contract)
		}
		if l.BlockNumber < lo || l.BlockNumber > hi {
			return nil, fmt.Errorf("%w: log in block %d outside the requested [%d, %d]", ErrMalformedLog, l.BlockNumber, lo, hi)
		}
		c, err := DecodeClaim(l)
		if err != nil {
			return nil, fmt.Errorf("block %d log %d: %w", l.BlockNumber, l.Index, err)
		}
		out = append(out, c)
	}
	sortClaims(out)
	dedup := out[:0]
	for _, c := range out {
		if n := len(dedup); n > 0 && dedup[n-1].Block == c.Block && dedup[n-1].Index == c.Index {
			if !dedup[n-1].same(c) {
				return nil, fmt.Errorf("%w: two different logs at block %d index %d", ErrMalformedLog, c.Block, c.Index)
			}
			continue
		}
		dedup = append(dedup, c)
	}
	return dedup, nil
}

// try calls fn on each endpoint in order until one succeeds, for up to
// Attempts passes with a backoff between passes. It returns nil on success,
// else every failure.
func (s *Scanner) try(ctx context.Context, method string, fn func(context.Context, Reader) error) []error {
	var errs []error
	for pass := range s.cfg.Attempts {
		if pass > 0 {
			if err := s.cfg.Sleep(ctx, s.backoff(pass)); err != nil {
				return append(errs, err)
			}
		}
		for i, ep := range s.eps {
			if err := context.Cause(ctx); err != nil {
				return append(errs, err)
			}
			rctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
			err := fn(rctx, ep.Reader)
			cancel()
			s.m.request(i, method, err)
			if err == nil {
				return nil
			}
			s.cfg.Logger.Warn("rpc request failed", "method", method, attrEndpoint, ep.Name, attrTry, pass+1, attrErr, err)
			errs = append(errs, fmt.Errorf("%s try %d: %w", ep.Name, pass+1, err))
		}
	}
	return errs
}

// backoff returns the pause before pass (≥ 1): Backoff·2^(pass−1), capped.
func (s *Scanner) backoff(pass int) time.Duration {
	d := s.cfg.Backoff
	for range pass - 1 {
		if d >= s.cfg.MaxBackoff/2 {
			return s.cfg.MaxBackoff
		}
		d *= 2
	}
	return min(d, s.cfg.MaxBackoff)
}

func (s *Scanner) load() {
	s.loaded = true
	if s.cfg.DataDir == "" {
		return
	}
	c, err := loadCache(s.cfg.DataDir, s.cfg.Contract)
	if err != nil {
		s.cfg.Logger.Warn("claims cache unusable; rescanning the window", attrErr, err)
	}
	s.c = c
}

// persist writes the cache. A failed write only costs a larger rescan
// after a restart, so it is logged and the round goes on.
func (s *Scanner) persist() {
	if s.cfg.DataDir == "" {
		return
	}
	b, err := encodeCache(s.c, s.cfg.Contract)
	if err == nil {
		err = writeAtomic(s.cfg.DataDir, cacheFile, b)
	}
	if err != nil {
		s.cfg.Logger.Warn("claims cache not saved", attrErr, err)
	}
}

func satSub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}
