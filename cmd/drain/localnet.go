package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/drain/localnet"
)

func newLocalnetCmd(e *env) *cobra.Command {
	var (
		cfg    localnet.Config
		asJSON bool
		log    cliflag.Log
	)
	cmd := &cobra.Command{
		Use:   "localnet",
		Short: "Run a whole DRAIN network in one process and print the scores",
		Long: `Run, in one process: an EVM chain (go-ethereum's simulated backend) with the
DrainChannel contract and a 6-decimal test USDC, a Bittensor devchain with
subnet 58, three providers behind the DRAIN payment middleware (the third
one's wallet proof is signed with a key that is not its wallet), an agent
that opens a channel to each provider and pays for chat requests with
EIP-712 vouchers, the providers' claims, and validator rounds.

Each round prints uid, wallet, claims (USDC over the window), whether the
proof is valid, the round's raw score and the weight. --json prints, as the
last stdout line, {"max_claims_usdc", "miners": [{"uid", "wallet",
"claims_usdc", "proof_valid", "score", "weight"}]} for the last round.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lg, err := logger(&log, e.stderr)
			if err != nil {
				return err
			}
			cfg.Logger = lg
			out := e.stdout
			if asJSON {
				out = e.stderr
			}
			cfg.OnRound = func(r localnet.RoundResult) { printRound(out, r) }
			rounds, err := localnet.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				last := rounds[len(rounds)-1]
				b, err := json.Marshal(struct {
					MaxClaims float64                `json:"max_claims_usdc"`
					Miners    []localnet.MinerResult `json:"miners"`
				}{last.MaxClaimsUSDC, last.Miners})
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, string(b))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&cfg.Rounds, "rounds", 1, "validator rounds to run (the agent pays before each)")
	fl.StringVar(&cfg.Dir, "dir", "", "directory for voucher logs and validator state (default: temporary)")
	fl.BoolVar(&asJSON, "json", false, "print the last round as one JSON object on the last stdout line (tables go to stderr)")
	cliflag.Env(cmd, "rounds", "DRAIN_LOCALNET_ROUNDS")
	cliflag.Env(cmd, "dir", "DRAIN_LOCALNET_DIR")
	cliflag.Env(cmd, "json", "DRAIN_JSON")
	log.Register(cmd, "DRAIN_", "warn")
	return cmd
}

func printRound(w io.Writer, r localnet.RoundResult) {
	fmt.Fprintf(w, "\nround %d: %d paid requests, max claims %.6f USDC, weights set: %v\n", r.Round, r.Requests, r.MaxClaimsUSDC, r.WeightsSet)
	fmt.Fprintf(w, "  %-4s %-42s %12s %6s %8s %8s  %s\n", "uid", "wallet", "claims USDC", "proof", "score", "weight", "reason")
	for _, m := range r.Miners {
		fmt.Fprintf(w, "  %-4d %-42s %12.6f %6v %8.4f %8.4f  %s\n", m.UID, m.Wallet, m.ClaimsUSDC, m.ProofValid, m.Score, m.Weight, m.Reason)
	}
}
