package main

import (
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/drain/provider"
)

func newProviderCmd(e *env) *cobra.Command {
	var (
		listen, upstream, rpc, contract, store string
		inPer1M, outPer1M, threshold           float64
		claimEvery                             time.Duration
		wk                                     walletKey
		log                                    cliflag.Log
	)
	cmd := &cobra.Command{
		Use:   "provider",
		Short: "Put DRAIN payments in front of any OpenAI-compatible endpoint",
		Long: `Wrap an OpenAI-compatible API (--upstream) with DRAIN payments: every
request must carry an X-DRAIN-Voucher (an EIP-712 voucher of the channel's
consumer, cumulative amount covering the cost, increasing nonce) for a channel
on --contract that pays this provider's wallet; otherwise the answer is 402
with the X-DRAIN-* and X-Payment-* headers. Vouchers are recorded in --store
(fsynced JSONL, replayed on start), and the highest voucher per channel is
claimed on chain when its unclaimed amount reaches --claim-threshold or the
channel nears expiry.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lg, err := logger(&log, e.stderr)
			if err != nil {
				return err
			}
			up, err := url.Parse(upstream)
			if err != nil || (up.Scheme != "http" && up.Scheme != "https") || up.Host == "" {
				return fmt.Errorf("--upstream %q: want an http(s) URL", upstream)
			}
			if !common.IsHexAddress(contract) {
				return fmt.Errorf("--contract %q: want a 0x address", contract)
			}
			if rpc == "" {
				return errors.New("--rpc: the EVM JSON-RPC URL of the channel's chain is required")
			}
			key, err := wk.load(e.getenv)
			if err != nil {
				return err
			}
			c, err := ethclient.DialContext(cmd.Context(), rpc)
			if err != nil {
				return err
			}
			defer c.Close()
			usdc := func(x float64) *big.Int { return big.NewInt(int64(x * 1e6)) }
			p, err := provider.New(cmd.Context(), provider.Config{Key: key, Chain: c, Contract: common.HexToAddress(contract),
				StorePath: store, ClaimThreshold: usdc(threshold), ClaimInterval: claimEvery, Logger: lg,
				Pricer: provider.TokenPricer{Default: &provider.ModelPrice{
					InputPer1k: big.NewInt(int64(inPer1M * 1e3)), OutputPer1k: big.NewInt(int64(outPer1M * 1e3))}}})
			if err != nil {
				return err
			}
			defer p.Close()
			go func() {
				if err := p.Run(cmd.Context()); err != nil && cmd.Context().Err() == nil {
					lg.Error("claim loop stopped", "err", err)
				}
			}()
			lg.Info("drain provider serving", "addr", listen, "wallet", crypto.PubkeyToAddress(key.PublicKey).Hex(), "upstream", upstream)
			srv := &http.Server{Addr: listen, Handler: p.Handler(provider.Upstream(up)), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-cmd.Context().Done()
				_ = srv.Close()
			}()
			if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "0.0.0.0:8080", "address to serve the paid API on")
	fl.StringVar(&upstream, "upstream", "", "OpenAI-compatible base URL to forward paid requests to (required)")
	fl.StringVar(&rpc, "rpc", "", "EVM JSON-RPC URL of the channel contract's chain (Polygon)")
	fl.StringVar(&contract, "contract", drainV1, "DrainChannel contract")
	fl.StringVar(&store, "store", "./drain-vouchers.jsonl", "voucher log file")
	fl.Float64Var(&inPer1M, "price-input", 2, "USDC per 1M input tokens")
	fl.Float64Var(&outPer1M, "price-output", 6, "USDC per 1M output tokens")
	fl.Float64Var(&threshold, "claim-threshold", 1, "claim a channel once this many USDC are unclaimed")
	fl.DurationVar(&claimEvery, "claim-interval", 10*time.Minute, "how often to look for channels to claim")
	for n, v := range map[string]string{
		"listen": "DRAIN_PROVIDER_LISTEN", "upstream": "DRAIN_UPSTREAM_URL", "rpc": "POLYGON_RPC_URL", "contract": "DRAIN_CONTRACT",
		"store": "DRAIN_VOUCHER_STORE", "price-input": "DRAIN_PRICE_INPUT_PER_1M", "price-output": "DRAIN_PRICE_OUTPUT_PER_1M",
		"claim-threshold": "DRAIN_CLAIM_THRESHOLD_USDC", "claim-interval": "DRAIN_CLAIM_INTERVAL",
	} {
		cliflag.Env(cmd, n, v)
	}
	wk.register(cmd)
	log.Register(cmd, "DRAIN_", "info")
	return cmd
}
