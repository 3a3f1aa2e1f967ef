package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/chain/subtensor"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// chainHelp documents what --chain accepts; commands append it to --help.
const chainHelp = `--chain selects the chain:
  finney                    Bittensor mainnet (wss://entrypoint-finney.opentensor.ai:443)
  test                      Bittensor testnet (wss://test.finney.opentensor.ai:443)
  local                     a local Subtensor node (ws://127.0.0.1:9944)
  ws://… or wss://…         any Subtensor node (its HTTP JSON-RPC on the same port is used)
  subtensor+http(s)://…     a Subtensor node's HTTP JSON-RPC endpoint
  http(s)://…               an engram devchain (engram devchain --listen …)`

// subtensorURL returns the Subtensor endpoint --chain names, or "" when it
// names a devchain.
func subtensorURL(s string) string {
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

// dialChain opens the chain client --chain names (see chainHelp). signer
// may be nil for read-only use of a Subtensor node.
func dialChain(ctx context.Context, url string, signer keys.Signer, logger *slog.Logger) (chain.Client, error) {
	if u := subtensorURL(url); u != "" {
		return subtensor.Dial(ctx, subtensor.Config{URL: u, Signer: signer, Logger: logger.With("component", "subtensor")})
	}
	return devchain.Dial(ctx, url, signer, nil)
}
