package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/chain/devchain"
)

func newDevchainCmd(e *env) *cobra.Command {
	var listen, dir string
	var blockTime time.Duration
	var netuid uint16
	var tempo, rateLimit uint64
	var faucet bool
	var log logFlags
	cmd := &cobra.Command{
		Use:   "devchain",
		Short: "Serve the embedded Bittensor-like dev chain over HTTP",
		Long: `Run the embedded dev chain (deterministic blocks, registration, stake,
validator permits, set_weights with Subtensor's checks, 41/41/18 emission) and
serve it over HTTP so miners and validators in separate processes share it.
Writes are sr25519-signed transactions with increasing nonces; --faucet adds
an unsigned POST /v1/faucet that registers a hotkey and adds stake (dev only).
State is saved to --data-dir after every block and resumed on restart.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			c, err := devchain.New(devchain.Config{Dir: dir, BlockTime: blockTime, Logger: logger.With("component", "devchain")})
			if err != nil {
				return err
			}
			c.CreateSubnet(netuid, devchain.SubnetParams{Tempo: tempo, WeightsSetRateLimit: rateLimit})
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: c.Handler(devchain.HandlerConfig{Faucet: faucet}), ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			fmt.Fprintf(e.stderr, "devchain serving on http://%s (netuid %d, block time %s, data in %s)\n", ln.Addr(), netuid, blockTime, dir)
			err = c.Run(cmd.Context())
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(shut)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:9944", "address to serve the chain API on")
	fl.StringVar(&dir, "data-dir", "./devchain-data", "directory the chain state is saved in")
	fl.DurationVar(&blockTime, "block-time", 12*time.Second, "time between blocks")
	fl.Uint16Var(&netuid, "netuid", 450, "subnet to create if absent")
	fl.Uint64Var(&tempo, "tempo", 360, "blocks per epoch of the created subnet")
	fl.Uint64Var(&rateLimit, "weights-rate-limit", 100, "blocks between set_weights of one validator")
	fl.BoolVar(&faucet, "faucet", true, "serve the unsigned registration and stake faucet")
	for n, v := range map[string]string{
		"listen": "ENGRAM_DEVCHAIN_LISTEN", "data-dir": "ENGRAM_DEVCHAIN_DIR", "block-time": "ENGRAM_DEVCHAIN_BLOCK_TIME",
		"netuid": "NETUID", "tempo": "ENGRAM_DEVCHAIN_TEMPO", "weights-rate-limit": "ENGRAM_DEVCHAIN_WEIGHTS_RATE_LIMIT",
		"faucet": "ENGRAM_DEVCHAIN_FAUCET",
	} {
		flagEnv(cmd, n, v)
	}
	log.register(cmd, "ENGRAM_", "info")
	return cmd
}
