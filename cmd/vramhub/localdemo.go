package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/vramhub/localdemo"
)

func newLocalDemoCmd(e *env) *cobra.Command {
	var (
		cfg     localdemo.Config
		asJSON  bool
		log     logFlags
		windows int
		mf      modelFlags
	)
	cmd := &cobra.Command{
		Use:   "local-demo",
		Short: "Run a whole VRAM HUB network on this machine (no wallet, no GPU)",
		Long: `Run, in one process: a dev ledger (persisted under --dir), 6 miners training
the pure-Go transformer through their Go sidecars (miner 5 is a cheater that
uploads noise), 3 validators with different stakes, each with a dev-mode
enclave that scores gradients by loss delta and signs the scores, and the
aggregator that finalizes each window, merges the best gradients and anchors
the next checkpoint. Before the first honest submission, a forged enclave
signature is sent to the ledger, which must reject it.

Time is virtual: the demo steps a clock through each window's upload,
scoring and closed phases, so a run takes as long as its computation.

Per window it prints the evaluation loss of the newest checkpoint, each
miner's consensus score, OpenSkill mu/sigma and weight, and the tokens
minted. --json prints one JSON object as the last line on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			cfg.Logger = logger
			cfg.Windows = windows
			if cfg.Model, _, _, err = mf.resolve(); err != nil {
				return err
			}
			cfg.Rows, cfg.RowLen = mf.rows, mf.rowLn
			out := e.stdout
			if asJSON {
				out = e.stderr
			}
			fmt.Fprintf(out, "VRAM HUB local demo: 6 miners (uid 5 uploads noise), 3 validators, %d windows\n", windows)
			started := time.Now()
			cfg.OnWindow = func(w localdemo.WindowResult) { printWindow(out, w, time.Since(started)) }
			res, err := localdemo.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "forged enclave signature rejected by the ledger: %v; honest submissions rejected: %d\n",
				res.ForgedSubmissionRejected, res.RejectedHonestSubmissions)
			fmt.Fprintf(out, "miner tokens minted: %.3f VRAM in %.1fs\n", res.MinerTokensMinted, time.Since(started).Seconds())
			if asJSON {
				b, err := json.Marshal(res)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, string(b))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&windows, "windows", 6, "windows to run")
	fl.Uint64Var(&cfg.WindowMs, "window-ms", 3000, "window length D in (virtual) milliseconds")
	fl.Uint64Var(&cfg.PutWindowOpenMs, "put-window-ms", 1500, "upload phase P in (virtual) milliseconds")
	fl.BoolVar(&cfg.Simulated, "simulated", false, "score without enclaves (norm scores, zero signatures; dev ledgers only)")
	fl.StringVar(&cfg.Dir, "dir", "", "directory for the ledger, buckets and checkpoints (default: a temporary one, removed at exit)")
	fl.Float64Var(&cfg.Stage1Fraction, "stage1-fraction", 0.05, "share of gradient entries miners keep before stage 2")
	fl.Float64Var(&cfg.ApplyScale, "apply-scale", 0.5, "a in θ' = θ − a·ĝ (enclave) and the aggregator's step")
	fl.BoolVar(&asJSON, "json", false, "print the result as one JSON object on the last stdout line (the table goes to stderr)")
	for n, v := range map[string]string{
		"windows": "VRAMHUB_DEMO_WINDOWS", "window-ms": "VRAMHUB_WINDOW_MS", "put-window-ms": "VRAMHUB_PUT_WINDOW_OPEN_MS",
		"simulated": "SIMULATED", "dir": "VRAMHUB_DEMO_DIR", "stage1-fraction": "VRAMHUB_STAGE1_FRACTION", "apply-scale": "VRAMHUB_APPLY_SCALE", "json": "VRAMHUB_JSON",
	} {
		cliflag.Env(cmd, n, v)
	}
	mf.register(cmd, false)
	log.register(cmd, "VRAMHUB_", "warn")
	return cmd
}

func printWindow(w io.Writer, r localdemo.WindowResult, elapsed time.Duration) {
	fmt.Fprintf(w, "\nwindow %d  eval loss %.4f  minted %.3f VRAM  checkpoint %s (%d merged)  [%0.1fs]\n",
		r.Window, r.EvalLoss, r.Minted, r.Checkpoint, r.Merged, elapsed.Seconds())
	fmt.Fprintf(w, "  %-4s %-10s %14s %8s %7s %8s %10s\n", "uid", "behavior", "score(Δloss)", "mu", "sigma", "weight", "tokens")
	for _, m := range r.Miners {
		fmt.Fprintf(w, "  %-4d %-10s %14.6f %8.3f %7.3f %8.4f %10.3f\n", m.UID, m.Behavior, float64(m.Score)/1e9, m.Mu, m.Sigma, m.Weight, m.Tokens)
	}
}
