package scanner

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of drain.md §6.2 and §6.6.
const (
	BlocksPerDay          = 43_200
	DefaultWindowBlocks   = 7 * BlocksPerDay // 302 400
	DefaultChunkSize      = 2000
	DefaultConfirmations  = 32
	DefaultReorgMargin    = 64
	DefaultAttempts       = 3
	DefaultBackoff        = 500 * time.Millisecond
	DefaultMaxBackoff     = 8 * time.Second
	DefaultRequestTimeout = 30 * time.Second
)

// Config configures a [Scanner]. Zero fields take the defaults.
type Config struct {
	// Contract is the DRAIN channel contract whose claims are scanned
	// (required; V1 on Polygon is 0x1C1918C99b6DcE977392E4131C91654d8aB71e64).
	Contract common.Address
	// WindowBlocks is the rolling window: a round scans
	// [max(0, to − WindowBlocks), to] (default 302 400, 7 days of 2 s blocks).
	WindowBlocks uint64
	// ChunkSize is the most blocks one eth_getLogs covers (default 2000;
	// 1000 or 500 for public RPCs).
	ChunkSize uint64
	// Confirmations is how far below the head a round stops (default 32;
	// negative means none).
	Confirmations int
	// ReorgMargin is how many of the previously scanned blocks each round
	// reads again (default 64; negative means none).
	ReorgMargin int
	// Attempts is the number of passes over the endpoints for one request
	// before the round fails (default 3).
	Attempts int
	// Backoff is the pause before the second pass, doubling for each later
	// one up to MaxBackoff (defaults 500 ms and 8 s).
	Backoff, MaxBackoff time.Duration
	// RequestTimeout bounds each RPC call (default 30 s).
	RequestTimeout time.Duration
	// Sleep waits d or until ctx ends, returning the context's cause then
	// (default: a timer). Tests inject one that records and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// DataDir, if set, is where the incremental cache persists (claims.json).
	DataDir string
	// Logger receives logs (default: discard).
	Logger *slog.Logger
	// Registerer registers the scanner's metrics (nil: none).
	Registerer prometheus.Registerer
}

func (c Config) withDefaults() Config {
	if c.WindowBlocks == 0 {
		c.WindowBlocks = DefaultWindowBlocks
	}
	if c.ChunkSize == 0 {
		c.ChunkSize = DefaultChunkSize
	}
	switch {
	case c.Confirmations == 0:
		c.Confirmations = DefaultConfirmations
	case c.Confirmations < 0:
		c.Confirmations = 0
	}
	switch {
	case c.ReorgMargin == 0:
		c.ReorgMargin = DefaultReorgMargin
	case c.ReorgMargin < 0:
		c.ReorgMargin = 0
	}
	if c.Attempts <= 0 {
		c.Attempts = DefaultAttempts
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.Contract == (common.Address{}) {
		return errors.New("scanner: Config.Contract is required")
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
