package main

import (
	"context"
	"log/slog"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/connect"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// chainHelp documents what --chain accepts; commands append it to --help.
const chainHelp = connect.Help

// dialChain opens the chain client --chain names (see chainHelp).
func dialChain(ctx context.Context, url string, signer keys.Signer, logger *slog.Logger) (chain.Client, error) {
	return connect.Dial(ctx, url, signer, logger)
}
