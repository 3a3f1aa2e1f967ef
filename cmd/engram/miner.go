package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

type minerFlags struct {
	listen, dataDir, embedder, modelDir   string
	openaiURL, openaiModel, openaiKeyFile string
	metricsListen, allowedHKs             string
	requireSig                            string
	rateLimit                             int
	rateWindow                            time.Duration
	log                                   logFlags
	hotkey                                cliflag.Hotkey
	chainURL, externalAddr                string
	netuid                                uint16
}

func newMinerCmd(e *env) *cobra.Command {
	var f minerFlags
	cmd := &cobra.Command{
		Use:   "miner",
		Short: "Run an Engram miner: store embeddings, answer queries and storage proofs",
		Long: `Run an Engram miner. It serves POST /IngestSynapse, /QuerySynapse and
/ChallengeSynapse, GET /health, /stats, /retrieve/{cid}, DELETE /retrieve/{cid}
and Prometheus metrics, over a durable vector store in --data-dir (every ingest
is synced to disk before it is acknowledged).

Embedders: "lexical" (default) needs nothing but is NOT semantic: use it for
development only. "openai" calls any OpenAI-compatible /v1/embeddings endpoint
(key from $ENGRAM_OPENAI_API_KEY or --openai-key-file). "minilm" runs
all-MiniLM-L6-v2 from --model-dir (see "engram model pull").

The miner's hotkey (the identity validators sign requests to) comes from
--hotkey-file (a file holding a secret URI or mnemonic), $ENGRAM_HOTKEY_URI, or
the btcli wallet named by --wallet.path/--wallet.name/--wallet.hotkey.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMiner(cmd.Context(), e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8091", "address to serve the miner API on")
	fl.StringVar(&f.dataDir, "data-dir", "./engram-data", "directory of the vector store (write-ahead log and snapshots)")
	fl.StringVar(&f.embedder, "embedder", "", "embedder: lexical, openai or minilm (default: minilm if --model-dir is set, openai if --openai-url is set, else lexical)")
	fl.StringVar(&f.modelDir, "model-dir", "", "all-MiniLM-L6-v2 model directory (config.json, tokenizer.json, model.safetensors)")
	fl.StringVar(&f.openaiURL, "openai-url", "", "base URL of an OpenAI-compatible embeddings API (e.g. https://api.openai.com)")
	fl.StringVar(&f.openaiModel, "openai-model", "text-embedding-3-small", "embedding model name for --openai-url (must yield 384 dimensions)")
	fl.StringVar(&f.openaiKeyFile, "openai-key-file", "", "file holding the API key for --openai-url (or set $ENGRAM_OPENAI_API_KEY)")
	fl.StringVar(&f.metricsListen, "metrics-listen", "", "separate address for Prometheus /metrics (default: /metrics on --listen, loopback clients only)")
	fl.StringVar(&f.requireSig, "require-hotkey-sig", "", "refuse unsigned synapse requests: true or false (default true when $ENGRAM_ENV=mainnet)")
	fl.StringVar(&f.allowedHKs, "allowed-validator-hotkeys", "", "comma-separated SS58 hotkeys allowed to send challenges (default: any)")
	fl.IntVar(&f.rateLimit, "rate-limit", 100, "requests per window per caller and bucket (ingest, query, other); -1 disables")
	fl.DurationVar(&f.rateWindow, "rate-window", 60*time.Second, "rate limit window")
	for name, envName := range map[string]string{
		"listen": "ENGRAM_MINER_LISTEN", "data-dir": "ENGRAM_DATA_DIR", "embedder": "ENGRAM_EMBEDDER",
		"model-dir": "ENGRAM_MODEL_DIR", "openai-url": "ENGRAM_OPENAI_URL", "openai-model": "ENGRAM_OPENAI_MODEL",
		"openai-key-file": "ENGRAM_OPENAI_KEY_FILE", "metrics-listen": "ENGRAM_METRICS_LISTEN",
		"require-hotkey-sig":        "REQUIRE_HOTKEY_SIG",
		"allowed-validator-hotkeys": "ALLOWED_VALIDATOR_HOTKEYS", "rate-limit": "RATE_LIMIT_MAX_REQUESTS",
		"rate-window": "ENGRAM_RATE_WINDOW",
	} {
		flagEnv(cmd, name, envName)
	}
	fl.StringVar(&f.chainURL, "chain", "", "chain to register on and announce the axon to: finney, test, local, ws(s):// (Subtensor) or http(s):// (devchain); default none")
	fl.StringVar(&f.externalAddr, "external-addr", "", "ip:port announced on chain (default: the --listen address)")
	fl.Uint16Var(&f.netuid, "netuid", 450, "subnet to register on with --chain")
	flagEnv(cmd, "chain", "ENGRAM_CHAIN_URL")
	flagEnv(cmd, "external-addr", "ENGRAM_EXTERNAL_ADDR")
	flagEnv(cmd, "netuid", "NETUID")
	f.log.register(cmd, "ENGRAM_", "info")
	f.hotkey.Register(cmd, "ENGRAM_")
	return cmd
}

func runMiner(ctx context.Context, e *env, f minerFlags) error {
	logger, err := f.log.logger(e.stderr)
	if err != nil {
		return err
	}
	requireSig := e.getenv("ENGRAM_ENV") == "mainnet"
	switch strings.ToLower(f.requireSig) {
	case "":
	case "true", "1", "yes":
		requireSig = true
	case "false", "0", "no":
		if e.getenv("ENGRAM_ENV") == "mainnet" {
			return errors.New("--require-hotkey-sig=false is refused when ENGRAM_ENV=mainnet")
		}
		requireSig = false
	default:
		return fmt.Errorf("--require-hotkey-sig %q: want true or false", f.requireSig)
	}
	var allowed []keys.PublicKey
	for _, s := range strings.Split(f.allowedHKs, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		pk, err := keys.ParseSS58(s)
		if err != nil {
			return fmt.Errorf("--allowed-validator-hotkeys: %w", err)
		}
		allowed = append(allowed, pk)
	}
	hk, err := f.hotkey.LoadOptional(e.getenv)
	if err != nil {
		return err
	}
	var hotkey keys.PublicKey
	if hk != nil {
		hotkey = hk.PublicKey()
	} else {
		logger.Warn("miner has no hotkey: signed requests will be refused; set --hotkey-file or $ENGRAM_HOTKEY_URI")
	}
	emb, err := newEmbedder(f, e.getenv, logger)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	store, err := vecstore.Open(ctx, vecstore.Config{Dir: f.dataDir, Logger: logger.With("component", "store"), Registerer: reg})
	if err != nil {
		return err
	}
	defer store.Close() // flushes the log after the server has stopped
	cfg := miner.Config{
		Store: store, Embedder: emb, Hotkey: hotkey, RequireHotkeySig: requireSig, AllowedValidators: allowed,
		RateLimit: f.rateLimit, RateWindow: f.rateWindow,
		Logger: logger.With("component", "miner"), Registerer: reg,
	}
	if f.metricsListen == "" {
		cfg.Gatherer = reg
	} else {
		mln, err := net.Listen("tcp", f.metricsListen)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		msrv := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
	}
	m, err := miner.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		m.Close()
		return fmt.Errorf("listen: %w", err)
	}
	if f.chainURL != "" {
		if hk == nil {
			m.Close()
			return errors.New("--chain needs the miner's hotkey (--hotkey-file, $ENGRAM_HOTKEY_URI or a wallet)")
		}
		if err := announce(ctx, f, hk, ln.Addr().String()); err != nil {
			m.Close()
			return err
		}
	}
	fmt.Fprintf(e.stderr, "engram miner listening on http://%s (data in %s, embedder %s)\n", ln.Addr(), f.dataDir, emb.Info().Name)
	return m.Run(ctx, ln)
}

func newEmbedder(f minerFlags, getenv func(string) string, logger interface {
	Warn(string, ...any)
}) (embed.Embedder, error) {
	name := f.embedder
	if name == "" {
		switch {
		case f.modelDir != "":
			name = "minilm"
		case f.openaiURL != "":
			name = "openai"
		default:
			name = "lexical"
		}
	}
	switch name {
	case "lexical":
		logger.Warn("using the lexical embedder: vectors are NOT semantic; for development only")
		return embed.Lexical{}, nil
	case "openai":
		if f.openaiURL == "" {
			return nil, errors.New("--embedder openai needs --openai-url")
		}
		key := getenv("ENGRAM_OPENAI_API_KEY")
		if f.openaiKeyFile != "" {
			b, err := os.ReadFile(f.openaiKeyFile)
			if err != nil {
				return nil, fmt.Errorf("read --openai-key-file: %w", err)
			}
			key = strings.TrimSpace(string(b))
		}
		return embed.NewOpenAI(embed.OpenAIConfig{BaseURL: f.openaiURL, APIKey: key, Model: f.openaiModel})
	case "minilm":
		return newMiniLM(f.modelDir)
	}
	return nil, fmt.Errorf("--embedder %q: want lexical, openai or minilm", name)
}

// announce registers the miner's hotkey on the chain and publishes its axon.
func announce(ctx context.Context, f minerFlags, hk *keys.Keypair, listenAddr string) error {
	addr := f.externalAddr
	if addr == "" {
		addr = listenAddr
	}
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return fmt.Errorf("--external-addr %q: want ip:port", addr)
	}
	ch, err := dialChain(ctx, f.chainURL, hk, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	if _, err := ch.Register(ctx, f.netuid); err != nil {
		return fmt.Errorf("register on %s: %w", f.chainURL, err)
	}
	if err := ch.ServeAxon(ctx, f.netuid, ap); err != nil {
		return fmt.Errorf("serve axon: %w", err)
	}
	return nil
}
