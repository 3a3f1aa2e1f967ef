package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/connect"
	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/drain/miner"
)

func newMinerCmd(e *env) *cobra.Command {
	var (
		listen, apiURL, chainURL, external, marketplace, name string
		netuid                                                uint16
		hk                                                    cliflag.Hotkey
		wk                                                    walletKey
		log                                                   cliflag.Log
		metrics                                               cliflag.Metrics
		anyCaller                                             bool
	)
	cmd := &cobra.Command{
		Use:   "miner",
		Short: "Answer validators' ProviderCheck with the provider wallet and its proof",
		Long: `Serve the ProviderCheck synapse over the Bittensor axon scheme (requests must
be signed by a validator hotkey): the provider's polygon_wallet, a wallet_proof
(EIP-191 personal_sign over "Bittensor Subnet 58 Miner: <hotkey ss58>") and the
api_url where the provider (drain provider) serves.

With --chain the miner checks its hotkey is registered and publishes its axon
(--external-addr). With --marketplace it also registers the provider on the
marketplace (sr25519 signature over "handshake58:<hotkey>:<api_url>").

` + connect.Help,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lg, err := logger(&log, e.stderr)
			if err != nil {
				return err
			}
			hot, err := hk.Load(e.getenv)
			if err != nil {
				return err
			}
			wallet, err := wk.load(e.getenv)
			if err != nil {
				return err
			}
			reg, stopMetrics, err := metrics.Start(lg)
			if err != nil {
				return err
			}
			defer stopMetrics()
			ctx := cmd.Context()
			mcfg := miner.Config{Hotkey: hot.PublicKey(), WalletKey: wallet, APIURL: apiURL, Logger: lg, Registerer: reg}
			var ch chain.Client
			if chainURL != "" {
				if ch, err = connect.Dial(ctx, chainURL, hot, lg); err != nil {
					return err
				}
				if !anyCaller {
					gate := newPermitGate(ch, netuid, lg)
					go gate.run(ctx, 5*time.Minute)
					mcfg.Allowed = gate.allowed
				}
			}
			srv, err := miner.New(mcfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			if ch != nil {
				addr := external
				if addr == "" {
					addr = ln.Addr().String()
				}
				ap, err := netip.ParseAddrPort(addr)
				if err != nil {
					return fmt.Errorf("--external-addr %q: want ip:port", addr)
				}
				if _, err := ch.Register(ctx, netuid); err != nil {
					return fmt.Errorf("register on %s: %w", chainURL, err)
				}
				if err := ch.ServeAxon(ctx, netuid, ap); err != nil {
					return fmt.Errorf("serve axon: %w", err)
				}
			}
			if marketplace != "" {
				reg, err := miner.NewRegistrar(miner.RegistrarConfig{URL: marketplace, Signer: hot, Logger: lg})
				if err != nil {
					return err
				}
				go func() {
					err := reg.Run(ctx, miner.Registration{APIURL: apiURL, ProviderAddress: crypto.PubkeyToAddress(wallet.PublicKey), Name: name})
					if err != nil && !errors.Is(err, ctx.Err()) {
						lg.Error("marketplace registration failed", "err", err)
					}
				}()
			}
			lg.Info("drain miner serving", "addr", ln.Addr().String(), "hotkey", hot.SS58(),
				"wallet", crypto.PubkeyToAddress(wallet.PublicKey).Hex(), "api_url", apiURL)
			return srv.Run(ctx, ln)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "0.0.0.0:8091", "axon address to serve ProviderCheck on")
	fl.StringVar(&apiURL, "api-url", "", "public base URL of the provider API (required)")
	fl.StringVar(&chainURL, "chain", "", "chain to check registration on and publish the axon to (default: none)")
	fl.StringVar(&external, "external-addr", "", "ip:port published as the axon (default: --listen)")
	fl.Uint16Var(&netuid, "netuid", 58, "subnet")
	fl.StringVar(&marketplace, "marketplace", "", "marketplace base URL to register the provider on (default: none)")
	fl.StringVar(&name, "name", "", "provider name shown on the marketplace")
	for n, v := range map[string]string{
		"listen": "DRAIN_MINER_LISTEN", "api-url": "DRAIN_API_URL", "chain": "DRAIN_CHAIN_URL",
		"external-addr": "DRAIN_EXTERNAL_ADDR", "netuid": "NETUID", "marketplace": "DRAIN_MARKETPLACE_URL", "name": "DRAIN_PROVIDER_NAME",
	} {
		cliflag.Env(cmd, n, v)
	}
	fl.BoolVar(&anyCaller, "allow-any-caller", false, "answer every signed caller, not only validators with a permit on the metagraph (needs --chain otherwise)")
	cliflag.Env(cmd, "allow-any-caller", "DRAIN_ALLOW_ANY_CALLER")
	hk.Register(cmd, "DRAIN_")
	metrics.Register(cmd, "DRAIN_MINER_METRICS_LISTEN")
	wk.register(cmd)
	log.Register(cmd, "DRAIN_", "info")
	return cmd
}
