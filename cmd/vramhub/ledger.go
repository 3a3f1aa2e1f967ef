package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/httpmetrics"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger/ledgerhttp"
	"github.com/subnetkit/subnetkit/internal/vramhub/localdemo"
)

func newLedgerCmd(e *env) *cobra.Command {
	var (
		dir, listen, genesisFile string
		metrics                  cliflag.Metrics
		log                      logFlags
	)
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Serve a durable VRAM HUB ledger over HTTP for multi-process runs",
		Long: `Serve the ledger state machine (peer and validator registries, enclave
registry, round state, score ledger, rewards and balances) over HTTP, persisted
in --dir as a snapshot plus an fsynced operation log (replayed on start).

A new --dir needs --genesis, a JSON file with the ledger.Genesis fields
(profile, network_id, genesis_ms, window_ms, params, checkpoint). API:
POST /v1/ops/{type} (rejections are 4xx with {"error","code","name"}),
GET /v1/state, GET /v1/events?since=N, GET /v1/clock. The server stamps
every operation with its own clock.

The HTTP API trusts the "sender" of each operation: serve it on loopback
or a private network only; signed operations come with the on-chain ledger.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			cfg := ledgerhttp.Config{Dir: dir, Options: ledger.Options{Rate: localdemo.Rate}}
			if genesisFile != "" {
				b, err := os.ReadFile(genesisFile)
				if err != nil {
					return err
				}
				dec := json.NewDecoder(bytes.NewReader(b))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&cfg.Genesis); err != nil {
					return fmt.Errorf("--genesis %s: %w", genesisFile, err)
				}
			}
			st, err := ledgerhttp.Open(cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			reg, stop, err := metrics.Start(logger)
			if err != nil {
				return err
			}
			defer stop()
			routes := []string{"/v1/state", "/v1/events", "/v1/clock"}
			for _, t := range ledger.OpTypes {
				routes = append(routes, "/v1/ops/"+string(t))
			}
			h := httpmetrics.Wrap(ledgerhttp.NewHandler(st, ledgerhttp.HandlerConfig{Logger: logger}), reg, "vramhub_ledger", routes...)
			return serve(cmd.Context(), listen, h, logger, "ledger")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&dir, "dir", "./vramhub-ledger", "data directory (snapshot and operation log)")
	fl.StringVar(&listen, "listen", "127.0.0.1:7100", "address to serve on")
	fl.StringVar(&genesisFile, "genesis", "", "genesis JSON for a new data directory")
	cliflag.Env(cmd, "dir", "VRAMHUB_LEDGER_DIR")
	cliflag.Env(cmd, "listen", "VRAMHUB_LEDGER_LISTEN")
	cliflag.Env(cmd, "genesis", "VRAMHUB_GENESIS")
	metrics.Register(cmd, "VRAMHUB_LEDGER_METRICS_LISTEN")
	log.register(cmd, "VRAMHUB_", "info")
	return cmd
}
