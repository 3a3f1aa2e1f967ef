package main

import (
	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/engram/localnet"
)

func newLocalnetCmd(e *env) *cobra.Command {
	var cfg localnet.Config
	var log logFlags
	cmd := &cobra.Command{
		Use:   "localnet",
		Short: "Run a whole Engram network on this machine and print the scoreboard",
		Long: `Start, in one process: an embedded devchain (netuid 450, fast blocks), honest
miners and one faulty miner (it acknowledges every write but silently drops
most of them), each on a loopback port with its own data directory, and a
validator. The validator seeds the bundled corpus into 3 miners per item,
then runs scoring rounds (queries, storage challenges, weights) and prints a
scoreboard after each: uid, hotkey, recall@10, latency, proof rate, score and
weight. The faulty miner fails its challenges and is slashed to weight 0.

Runs until Ctrl-C, or --rounds N. --json prints the final result as the last
line of stdout; logs and progress go to stderr. Miners use the lexical
(non-semantic) embedder: localnet measures storage and retrieval, not meaning.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			cfg.Out, cfg.Progress, cfg.Logger = e.stdout, e.stderr, logger
			_, err = localnet.Run(cmd.Context(), cfg)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Dir, "data-dir", "", "directory for the chain, miners and validator (default: a temporary directory, removed at exit)")
	fl.IntVar(&cfg.Rounds, "rounds", 0, "stop after this many scoring rounds (0: run until Ctrl-C)")
	fl.IntVar(&cfg.Honest, "miners", 3, "honest miners")
	fl.IntVar(&cfg.Faulty, "faulty", 1, "faulty miners")
	fl.IntVar(&cfg.Synthetic, "synthetic", 300, "synthetic vectors added to the bundled sentences")
	fl.IntVar(&cfg.ChallengesPerRound, "challenges", 20, "storage challenges per miner per round")
	fl.DurationVar(&cfg.BlockTime, "block-time", 0, "devchain block time (default 100ms)")
	fl.BoolVar(&cfg.JSON, "json", false, "print the final result as one JSON line on stdout")
	for n, v := range map[string]string{
		"data-dir": "ENGRAM_LOCALNET_DIR", "rounds": "ENGRAM_LOCALNET_ROUNDS", "miners": "ENGRAM_LOCALNET_MINERS",
		"faulty": "ENGRAM_LOCALNET_FAULTY", "synthetic": "ENGRAM_LOCALNET_SYNTHETIC", "challenges": "ENGRAM_LOCALNET_CHALLENGES",
		"block-time": "ENGRAM_LOCALNET_BLOCK_TIME", "json": "ENGRAM_LOCALNET_JSON",
	} {
		flagEnv(cmd, n, v)
	}
	log.register(cmd, "ENGRAM_", "warn")
	return cmd
}
