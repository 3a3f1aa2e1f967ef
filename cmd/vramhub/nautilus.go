package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/httpmetrics"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave/enclavehttp"
)

func newNautilusCmd(e *env) *cobra.Command {
	var (
		listen, mode string
		mf           modelFlags
		metrics      cliflag.Metrics
		log          logFlags
	)
	cmd := &cobra.Command{
		Use:   "nautilus",
		Short: "Run the scoring enclave's HTTP API (dev mode on any machine)",
		Long: `Run the enclave that validators send gradients to: GET /health_check,
GET /get_attestation and POST /process_data. It checks the checkpoint hash,
rebuilds each miner's assigned batch from (uid, window), measures the loss
before and after applying the miner's gradient (score = loss delta × 10^9),
previews the OpenSkill update, and signs the canonical score message with an
Ed25519 key generated at start and never stored (a restart means a new key
to register).

--mode dev runs anywhere and attests with a dev document the dev ledger
accepts. --mode nitro needs the Nitro Security Module inside an AWS Nitro
Enclave, which this build does not drive: it refuses to start.

The model and dataset flags must match the ledger's parameters.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			m := enclave.Mode(mode)
			if m != enclave.ModeDev && m != enclave.ModeNitro {
				return fmt.Errorf("--mode %q: want dev or nitro", mode)
			}
			cfg, spec, corpus, err := mf.resolve()
			if err != nil {
				return err
			}
			scorer, err := enclave.NewScorer(enclave.ScorerConfig{Model: cfg, Data: spec, Corpus: corpus})
			if err != nil {
				return err
			}
			srv, err := enclavehttp.NewServer(enclavehttp.ServerConfig{Scorer: scorer, Mode: m, Logger: logger})
			if err != nil {
				return err
			}
			logger.Info("enclave key generated", "public_key", fmt.Sprintf("%x", []byte(srv.PublicKey())), "mode", mode)
			reg, stop, err := metrics.Start(logger)
			if err != nil {
				return err
			}
			defer stop()
			h := httpmetrics.Wrap(srv, reg, "vramhub_enclave", "/health", "/health_check", "/get_attestation", "/process_data")
			return serve(cmd.Context(), listen, h, logger, "enclave")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:3000", "address to serve on")
	fl.StringVar(&mode, "mode", "dev", "dev or nitro")
	cliflag.Env(cmd, "listen", "VRAMHUB_ENCLAVE_LISTEN")
	cliflag.Env(cmd, "mode", "VRAMHUB_ENCLAVE_MODE")
	metrics.Register(cmd, "VRAMHUB_ENCLAVE_METRICS_LISTEN")
	mf.register(cmd, true)
	log.register(cmd, "VRAMHUB_", "info")
	return cmd
}
