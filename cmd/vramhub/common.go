package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

// modelFlags choose the architecture and the dataset batches come from.
// Every node of a network must use the same values (the ledger's dataset
// parameters and the enclave's compiled model).
type modelFlags struct {
	arch        string
	dataset     string
	rows, rowLn int
}

func (m *modelFlags) register(cmd *cobra.Command, withDataset bool) {
	cmd.Flags().StringVar(&m.arch, "model", "small", "architecture: tiny (1 layer, width 32), small (2 layers, width 64) or seed10m (6 layers, width 384)")
	m.dataset = "corpus"
	if withDataset {
		cmd.Flags().StringVar(&m.dataset, "dataset", "corpus", "batch source: corpus (the bundled text, byte tokens) or synthetic (LCG tokens)")
		cliflag.Env(cmd, "dataset", "VRAMHUB_DATASET")
	}
	cmd.Flags().IntVar(&m.rows, "rows", 8, "rows per assigned batch (B)")
	cmd.Flags().IntVar(&m.rowLn, "row-len", 65, "tokens per row including the final target (L)")
	cliflag.Env(cmd, "model", "VRAMHUB_MODEL")
	cliflag.Env(cmd, "rows", "VRAMHUB_ROWS")
	cliflag.Env(cmd, "row-len", "VRAMHUB_ROW_LEN")
}

func (m *modelFlags) resolve() (model.Config, data.Spec, []int32, error) {
	var cfg model.Config
	switch m.arch {
	case "tiny":
		cfg = model.Config{Context: 64, Layers: 1, Width: 32, Heads: 2, MLPRatio: 2}
	case "small":
		cfg = model.Small()
	case "seed10m":
		cfg = model.Seed10M()
	default:
		return cfg, data.Spec{}, nil, fmt.Errorf("--model %q: want tiny, small or seed10m", m.arch)
	}
	cfg.Vocab = data.ByteVocab
	spec := data.Spec{Vocab: cfg.Vocab, Rows: m.rows, RowLen: m.rowLn}
	var corpus []int32
	switch m.dataset {
	case "corpus":
		corpus = data.CorpusTokens()
		spec.Kind, spec.CorpusHash = data.KindCorpus, data.TokensHash(corpus)
	case "synthetic":
		spec.Kind = data.KindSynthetic
	default:
		return cfg, spec, nil, fmt.Errorf("--dataset %q: want corpus or synthetic", m.dataset)
	}
	if m.rows < 1 || m.rowLn < 2 || m.rowLn > cfg.Context+1 {
		return cfg, spec, nil, fmt.Errorf("--rows %d --row-len %d: need rows ≥ 1 and 2 ≤ row-len ≤ %d", m.rows, m.rowLn, cfg.Context+1)
	}
	return cfg, spec, corpus, nil
}

// serve runs h on addr until ctx ends, then shuts down within 10 s.
func serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, what string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	logger.Info(what+" listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
