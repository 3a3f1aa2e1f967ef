package miner

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Store is what the miner needs from the vector store.
type Store interface {
	Put(ctx context.Context, recs ...vecstore.Record) ([]vecstore.PutResult, error)
	Get(ns, cid string) (vecstore.Record, bool)
	Delete(ctx context.Context, ns, cid string) (bool, error)
	Search(ns string, q []float32, k int, filter func(json.RawMessage) bool) []vecstore.Hit
	Len() int
}

// Config configures a Miner. Zero fields take the defaults.
type Config struct {
	// Store holds the records (required).
	Store Store
	// Embedder embeds texts (required).
	Embedder embed.Embedder
	// Hotkey is this miner's hotkey: the axon hotkey request signatures are
	// checked against. Zero means the miner has no identity yet (signed
	// requests are then refused).
	Hotkey keys.PublicKey
	// RequireHotkeySig refuses unsigned synapse requests with 401.
	RequireHotkeySig bool
	// AllowedValidators, if not empty, limits ChallengeSynapse to these
	// hotkeys (403 for others; unsigned challenges are refused too).
	AllowedValidators []keys.PublicKey
	// RateLimit is the number of requests per RateWindow per caller and
	// bucket (default 100 per 60 s); negative disables rate limiting.
	RateLimit  int
	RateWindow time.Duration
	// MaxBodyBytes limits request bodies (default protocol.MaxBodyBytes).
	MaxBodyBytes int64
	// EmbedBatch is the most texts one Embed call gets (default 32).
	EmbedBatch int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives logs (default: discard).
	Logger *slog.Logger
	// Registerer registers metrics (nil: none). Gatherer, if set, is served
	// on GET /metrics to loopback clients.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
}

func (c Config) withDefaults() Config {
	if c.RateLimit == 0 {
		c.RateLimit = 100
	}
	if c.RateWindow <= 0 {
		c.RateWindow = 60 * time.Second
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = protocol.MaxBodyBytes
	}
	if c.EmbedBatch <= 0 {
		c.EmbedBatch = 32
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Store == nil:
		return errors.New("miner: Config.Store is required")
	case c.Embedder == nil:
		return errors.New("miner: Config.Embedder is required")
	case c.Embedder.Info().Dim != protocol.EmbeddingDim:
		return errors.New("miner: embedder dimension must be 384")
	}
	return nil
}
