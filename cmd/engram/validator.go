package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/engram/corpus"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/validator"
)

func newValidatorCmd(e *env) *cobra.Command {
	var chainURL, dataDir, corpusFile string
	var metrics cliflag.Metrics
	var netuid uint16
	var synthetic, challenges, challengeSecs, replication int
	var evalEvery, weightsEvery time.Duration
	var allowPrivate bool
	var hkf cliflag.Hotkey
	var log logFlags
	cmd := &cobra.Command{
		Use:   "validator",
		Short: "Run an Engram validator: seed ground truth, query, challenge, score, set weights",
		Long: `Run an Engram validator against a chain. Every --eval-interval it reads the
metagraph, seeds its ground-truth corpus into 3 miners per item, queries every
serving miner (recall@10 against exact ground truth, its own round-trip
latency), sends storage challenges, and scores with 0.5 recall + 0.3 latency
+ 0.2 proof rate (slashed below a 0.5 proof rate); every --weights-interval it
sets weights. State is saved in --data-dir before weights are sent.

On subnets with commit-reveal enabled (Subtensor's default on many subnets)
the chain refuses plain set_weights; the validator then logs that a
drand-timelocked commit is required and keeps scoring.

` + chainHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, err := log.logger(e.stderr)
			if err != nil {
				return err
			}
			hk, err := hkf.Load(e.getenv)
			if err != nil {
				return fmt.Errorf("validator hotkey: %w", err)
			}
			ch, err := dialChain(cmd.Context(), chainURL, hk, logger)
			if err != nil {
				return err
			}
			var set *corpus.Set
			if corpusFile != "" {
				f, err := os.Open(corpusFile)
				if err != nil {
					return err
				}
				set, err = corpus.Load(f)
				f.Close()
				if err != nil {
					return err
				}
			} else if set, err = corpus.Build(cmd.Context(), embed.Lexical{}, corpus.Sample(), synthetic, 1); err != nil {
				return err
			}
			reg, stopMetrics, err := metrics.Start(logger)
			if err != nil {
				return err
			}
			defer stopMetrics()
			v, err := validator.New(validator.Config{
				Registerer: reg,
				Chain:      ch, NetUID: netuid, Signer: hk, Corpus: set, DataDir: dataDir,
				ChallengesPerRound: challenges, EvalInterval: evalEvery, WeightsInterval: weightsEvery,
				ChallengeInterval: time.Duration(challengeSecs) * time.Second, Replication: replication,
				AllowLoopback: allowPrivate, Logger: logger.With("component", "validator"),
			})
			if err != nil {
				return err
			}
			logger.Info("validator starting", "hotkey", hk.SS58(), "chain", chainURL, "netuid", netuid, "corpus", len(set.Items))
			return v.Run(cmd.Context(), func(r validator.Report) {
				for _, m := range r.Miners {
					logger.Info("miner scored", "uid", m.UID, "recall_at_10", m.Recall, "latency_ms", m.LatencyMS,
						"proof_rate", m.ProofRate, "score", m.Composite, "weight", m.Weight, "slashed", m.Slashed)
				}
				if r.WeightsSet {
					logger.Info("weights set", "block", r.WeightsBlock)
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&chainURL, "chain", "http://127.0.0.1:9944", "chain: finney, test, local, a Subtensor ws(s):// URL or a devchain http(s):// URL")
	fl.Uint16Var(&netuid, "netuid", 450, "subnet")
	fl.StringVar(&dataDir, "data-dir", "./validator-data", "directory of the validator's persisted state")
	fl.StringVar(&corpusFile, "corpus", "", "ground-truth JSONL ({text, embedding, cid, top_k_cids}); default: the bundled sample plus synthetic vectors")
	fl.IntVar(&synthetic, "synthetic", 300, "synthetic vectors added to the bundled sample (without --corpus)")
	fl.IntVar(&challenges, "challenges", 1, "storage challenges per miner per challenged round")
	fl.IntVar(&challengeSecs, "challenge-interval-secs", 300, "seconds between rounds that issue storage challenges")
	fl.IntVar(&replication, "replication", 3, "miners each ground-truth item is stored on")
	fl.DurationVar(&evalEvery, "eval-interval", 120*time.Second, "time between scoring rounds")
	fl.DurationVar(&weightsEvery, "weights-interval", 600*time.Second, "minimum time between weight submissions")
	fl.BoolVar(&allowPrivate, "allow-private-axons", false, "query loopback and private-network axons (local networks only)")
	metrics.Register(cmd, "ENGRAM_VALIDATOR_METRICS_LISTEN")
	for n, v := range map[string]string{
		"chain": "ENGRAM_CHAIN_URL", "netuid": "NETUID", "data-dir": "ENGRAM_VALIDATOR_DIR", "corpus": "ENGRAM_CORPUS",
		"synthetic": "ENGRAM_VALIDATOR_SYNTHETIC", "challenges": "ENGRAM_CHALLENGES_PER_ROUND",
		"challenge-interval-secs": "CHALLENGE_INTERVAL_SECS", "replication": "REPLICATION_FACTOR", "eval-interval": "ENGRAM_EVAL_INTERVAL",
		"weights-interval": "ENGRAM_WEIGHTS_INTERVAL", "allow-private-axons": "ENGRAM_ALLOW_PRIVATE_AXONS",
	} {
		flagEnv(cmd, n, v)
	}
	hkf.Register(cmd, "ENGRAM_")
	log.register(cmd, "ENGRAM_", "info")
	return cmd
}
