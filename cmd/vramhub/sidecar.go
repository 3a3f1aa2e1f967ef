package main

import (
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/httpmetrics"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
	"github.com/subnetkit/subnetkit/internal/vramhub/sidecar"
)

func newSidecarCmd(e *env) *cobra.Command {
	var (
		listen  string
		frac    float64
		seed    uint64
		mf      modelFlags
		metrics cliflag.Metrics
		log     logFlags
	)
	cmd := &cobra.Command{
		Use:   "sidecar",
		Short: "Serve the Go trainer over the sidecar protocol (loopback)",
		Long: `Serve the pure-Go model over the miner ↔ trainer protocol: GET /health,
POST /train, /forward_loss, /save_checkpoint and /load_checkpoint. A miner
loads the anchored checkpoint into it, asks for the gradient on its assigned
batch and compresses it; a PyTorch trainer that speaks the same protocol can
take its place. It listens on loopback only by default: the protocol has no
authentication.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			cfg, spec, corpus, err := mf.resolve()
			if err != nil {
				return err
			}
			m, err := model.New(cfg, seed)
			if err != nil {
				return err
			}
			srv, err := sidecar.NewServer(sidecar.ServerConfig{Model: m, Stage1Fraction: frac, Logger: logger,
				Batch: func(uid, w uint64) ([][]int32, error) { return data.Assign(uid, w, spec, corpus) }})
			if err != nil {
				return err
			}
			reg, stop, err := metrics.Start(logger)
			if err != nil {
				return err
			}
			defer stop()
			h := httpmetrics.Wrap(srv, reg, "vramhub_sidecar", "/health", "/train", "/forward_loss", "/save_checkpoint", "/load_checkpoint")
			return serve(cmd.Context(), listen, h, logger, "sidecar")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:7070", "address to serve on")
	fl.Float64Var(&frac, "stage1-fraction", 0.001, "share of gradient entries /train keeps (stage 1)")
	fl.Uint64Var(&seed, "seed", 1, "initialization seed of the weights before a checkpoint is loaded")
	cliflag.Env(cmd, "listen", "VRAMHUB_SIDECAR_LISTEN")
	cliflag.Env(cmd, "stage1-fraction", "VRAMHUB_STAGE1_FRACTION")
	cliflag.Env(cmd, "seed", "VRAMHUB_SIDECAR_SEED")
	metrics.Register(cmd, "VRAMHUB_SIDECAR_METRICS_LISTEN")
	mf.register(cmd, true)
	log.register(cmd, "VRAMHUB_", "info")
	return cmd
}
