package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/drain/miner"
)

// walletKey locates the provider's Polygon key: a file (--wallet-key-file)
// or $DRAIN_WALLET_KEY, never a flag value.
type walletKey struct{ file string }

func (w *walletKey) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&w.file, "wallet-key-file", "", "file holding the provider wallet's secp256k1 private key (hex); or set $DRAIN_WALLET_KEY")
	cliflag.Env(cmd, "wallet-key-file", "DRAIN_WALLET_KEY_FILE")
}

func (w *walletKey) load(getenv func(string) string) (*ecdsa.PrivateKey, error) {
	if w.file != "" {
		k, err := miner.ReadWalletKeyFile(w.file)
		if err != nil {
			return nil, fmt.Errorf("--wallet-key-file: %w", err)
		}
		return k, nil
	}
	if s := getenv("DRAIN_WALLET_KEY"); s != "" {
		k, err := miner.ParseWalletKey(s)
		if err != nil {
			return nil, fmt.Errorf("$DRAIN_WALLET_KEY: %w", err)
		}
		return k, nil
	}
	return nil, errors.New("no wallet key: set --wallet-key-file or $DRAIN_WALLET_KEY")
}
