package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/chain/connect"
	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/drain/scanner"
	"github.com/subnetkit/subnetkit/internal/drain/validator"
)

// drainV1 is the scored DrainChannel V1 contract on Polygon PoS.
const drainV1 = "0x1C1918C99b6DcE977392E4131C91654d8aB71e64"

func newValidatorCmd(e *env) *cobra.Command {
	var (
		chainURL, rpcs, contract, dataDir string
		netuid                            uint16
		windowDays, chunk, epoch          uint64
		blocksPerDay                      uint64
		confirmations                     int
		interval                          time.Duration
		allowPrivate                      bool
		hk                                cliflag.Hotkey
		log                               cliflag.Log
		metrics                           cliflag.Metrics
	)
	cmd := &cobra.Command{
		Use:   "validator",
		Short: "Score providers from on-chain claims and wallet proofs; set weights",
		Long: `Each round (at most every 12 s): read the metagraph, send ProviderCheck to
every served miner, verify each wallet proof against the metagraph hotkey,
scan ChannelClaimed over the rolling window (chunked eth_getLogs with retries
and failover across --rpc URLs; a chunk no endpoint can read abandons the
round rather than under-count), score 0.4 + 0.6·claims/max_claims (0 without
a response or a valid proof; a wallet proved by several UIDs counts for the
lowest UID only), EMA α = 0.1, and set normalised weights when more than
--epoch-length blocks passed since this validator's last update. State and
the claims cache persist in --data-dir.

` + connect.Help,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lg, err := logger(&log, e.stderr)
			if err != nil {
				return err
			}
			if !common.IsHexAddress(contract) {
				return fmt.Errorf("--contract %q: want a 0x address", contract)
			}
			var eps []scanner.Endpoint
			for _, u := range strings.Split(rpcs, ",") {
				if u = strings.TrimSpace(u); u == "" {
					continue
				}
				c, err := ethclient.DialContext(cmd.Context(), u)
				if err != nil {
					return fmt.Errorf("--rpc %s: %w", u, err)
				}
				defer c.Close()
				eps = append(eps, scanner.Endpoint{Name: fmt.Sprintf("rpc%d", len(eps)), Reader: c})
			}
			if len(eps) == 0 {
				return fmt.Errorf("--rpc: at least one Polygon JSON-RPC URL is required")
			}
			hot, err := hk.Load(e.getenv)
			if err != nil {
				return err
			}
			ch, err := connect.Dial(cmd.Context(), chainURL, hot, lg)
			if err != nil {
				return err
			}
			reg, stopMetrics, err := metrics.Start(lg)
			if err != nil {
				return err
			}
			defer stopMetrics()
			sc, err := scanner.New(scanner.Config{Contract: common.HexToAddress(contract), WindowBlocks: windowDays * blocksPerDay,
				ChunkSize: chunk, Confirmations: confirmations, DataDir: dataDir, Logger: lg, Registerer: reg}, eps...)
			if err != nil {
				return err
			}
			v, err := validator.New(validator.Config{Chain: ch, Scanner: sc, Signer: hot, NetUID: netuid, EpochLength: epoch,
				AllowPrivate: allowPrivate, DataDir: dataDir, Logger: lg})
			if err != nil {
				return err
			}
			lg.Info("drain validator starting", "hotkey", hot.SS58(), "netuid", netuid, "contract", contract, "rpc_endpoints", len(eps))
			return v.Run(cmd.Context(), interval, func(r validator.Report) {
				lg.Info("round scored", "block", r.Block, "scan_from", r.ScanFrom, "scan_to", r.ScanTo,
					"max_claims_usdc", validator.ClaimsUSDC(r.MaxClaims), "weights_set", r.WeightsSet)
				for _, m := range r.Miners {
					lg.Info("miner scored", "uid", m.UID, "wallet", m.Wallet.Hex(), "claims_usdc", validator.ClaimsUSDC(m.Claims),
						"reason", m.Reason, "reward", m.Reward, "score", m.Score, "weight", m.Weight)
				}
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&chainURL, "chain", "finney", "Bittensor chain")
	fl.Uint16Var(&netuid, "netuid", 58, "subnet")
	fl.StringVar(&rpcs, "rpc", "", "comma-separated Polygon JSON-RPC URLs, tried in order for every chunk")
	fl.StringVar(&contract, "contract", drainV1, "DrainChannel contract whose claims are scored")
	fl.Uint64Var(&windowDays, "window-days", 7, "rolling claims window in days")
	fl.Uint64Var(&blocksPerDay, "blocks-per-day", 43_200, "EVM blocks per day (Polygon PoS: 43,200 at 2 s)")
	fl.Uint64Var(&chunk, "log-chunk-size", 2000, "blocks per eth_getLogs request (1000 or 500 for public RPCs)")
	fl.IntVar(&confirmations, "confirmations", 32, "blocks below the head the scan stops at")
	fl.Uint64Var(&epoch, "epoch-length", 100, "blocks between this validator's weight submissions")
	fl.DurationVar(&interval, "interval", 12*time.Second, "time between rounds (at least 12 s)")
	fl.StringVar(&dataDir, "data-dir", "./drain-validator", "directory for scores and the claims cache")
	fl.BoolVar(&allowPrivate, "allow-private-axons", false, "query loopback and private axons (local networks only)")
	for n, v := range map[string]string{
		"chain": "DRAIN_CHAIN_URL", "netuid": "NETUID", "rpc": "POLYGON_RPC_URLS", "contract": "DRAIN_CONTRACT",
		"window-days": "DRAIN_WINDOW_DAYS", "blocks-per-day": "DRAIN_BLOCKS_PER_DAY", "log-chunk-size": "LOG_CHUNK_SIZE",
		"confirmations": "CONFIRMATIONS", "epoch-length": "EPOCH_LENGTH", "interval": "DRAIN_ROUND_INTERVAL",
		"data-dir": "DRAIN_VALIDATOR_DIR", "allow-private-axons": "DRAIN_ALLOW_PRIVATE_AXONS",
	} {
		cliflag.Env(cmd, n, v)
	}
	hk.Register(cmd, "DRAIN_")
	metrics.Register(cmd, "DRAIN_VALIDATOR_METRICS_LISTEN")
	log.Register(cmd, "DRAIN_", "info")
	return cmd
}
