// Package connect opens the chain client a --chain flag names, the same way
// in every binary: Bittensor network names and Subtensor WebSocket URLs
// open the subtensor client, plain HTTP URLs an engram devchain.
package connect

import (
	"context"
	"log/slog"
	"strings"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/chain/subtensor"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Help documents what a --chain flag accepts, for commands' --help.
const Help = `--chain selects the chain:
  finney                    Bittensor mainnet (wss://entrypoint-finney.opentensor.ai:443)
  test                      Bittensor testnet (wss://test.finney.opentensor.ai:443)
  local                     a local Subtensor node (ws://127.0.0.1:9944)
  ws://… or wss://…         any Subtensor node (its HTTP JSON-RPC on the same port is used)
  subtensor+http(s)://…     a Subtensor node's HTTP JSON-RPC endpoint
  http(s)://…               an engram devchain (engram devchain --listen …)`

// SubtensorURL returns the Subtensor endpoint s names, or "" when s names a
// devchain.
func SubtensorURL(s string) string {
	switch s {
	case "finney":
		return "wss://entrypoint-finney.opentensor.ai:443"
	case "test":
		return "wss://test.finney.opentensor.ai:443"
	case "local":
		return "ws://127.0.0.1:9944"
	}
	switch {
	case strings.HasPrefix(s, "ws://"), strings.HasPrefix(s, "wss://"):
		return s
	case strings.HasPrefix(s, "subtensor+"):
		return strings.TrimPrefix(s, "subtensor+")
	}
	return ""
}

// Dial opens the client url names. signer may be nil for read-only use of
// a Subtensor node.
func Dial(ctx context.Context, url string, signer keys.Signer, logger *slog.Logger) (chain.Client, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if u := SubtensorURL(url); u != "" {
		return subtensor.Dial(ctx, subtensor.Config{URL: u, Signer: signer, Logger: logger.With("component", "subtensor")})
	}
	return devchain.Dial(ctx, url, signer, nil)
}
