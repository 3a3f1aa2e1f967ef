package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/pkg/engram"
)

// sdkFlags are the flags shared by ingest and query.
type sdkFlags struct {
	miners   []string
	chainURL string
	netuid   uint16
	timeout  time.Duration
	jsonOut  bool
}

func (f *sdkFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&f.miners, "miner", nil, "miner base URL, optionally URL=HOTKEY (repeatable)")
	cmd.Flags().StringVar(&f.chainURL, "chain", "", "chain to discover miners from instead of --miner: finney, test, local, ws(s):// or a devchain http(s):// URL")
	cmd.Flags().Uint16Var(&f.netuid, "netuid", 450, "subnet for discovery")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 30*time.Second, "per-request timeout")
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print JSON")
	flagEnv(cmd, "miner", "ENGRAM_MINER_URLS")
	flagEnv(cmd, "chain", "ENGRAM_CHAIN_URL")
	flagEnv(cmd, "netuid", "NETUID")
	flagEnv(cmd, "timeout", "ENGRAM_TIMEOUT")
	flagEnv(cmd, "json", "ENGRAM_JSON")
}

func (f *sdkFlags) client(cmd *cobra.Command, e *env) (*engram.Client, error) {
	opts := engram.Options{NetUID: f.netuid, Timeout: f.timeout}
	for _, m := range f.miners {
		url, hk, _ := strings.Cut(m, "=")
		opts.Miners = append(opts.Miners, engram.Miner{URL: url, Hotkey: hk})
	}
	hk, err := cliflag.EnvHotkey(e.getenv, "ENGRAM_HOTKEY_URI")
	if err != nil {
		return nil, err
	}
	if hk != nil {
		opts.Signer = hk
	}
	if len(opts.Miners) == 0 && f.chainURL != "" {
		if hk == nil {
			return nil, errors.New("--chain discovery needs a hotkey ($ENGRAM_HOTKEY_URI) to open the chain client")
		}
		ch, err := dialChain(cmd.Context(), f.chainURL, hk, slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, err
		}
		opts.Chain = ch
	}
	return engram.New(cmd.Context(), opts)
}

func readVector(file string) ([]float32, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var v []float32
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%s: want a JSON array of 384 numbers: %w", file, err)
	}
	return v, nil
}

func newIngestCmd(e *env) *cobra.Command {
	var f sdkFlags
	var text, vecFile, metadata string
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Store a text or a vector on the miners that should hold it",
		Long: `Store --text (embedded by the miners) or --embedding FILE (a JSON array of 384
numbers) with --metadata on 3 replicas chosen from --miner URLs (URL=HOTKEY to
let the client assign replicas and sign requests) or from a devchain
(--chain). Requests are signed when $ENGRAM_HOTKEY_URI is set. Prints the CID.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := f.client(cmd, e)
			if err != nil {
				return err
			}
			var meta map[string]any
			if err := json.Unmarshal([]byte(metadata), &meta); err != nil {
				return fmt.Errorf("--metadata must be a JSON object: %w", err)
			}
			var res engram.IngestResult
			switch {
			case text != "" && vecFile != "":
				return errors.New("give --text or --embedding, not both")
			case text != "":
				res, err = c.Ingest(cmd.Context(), text, meta)
			case vecFile != "":
				var v []float32
				if v, err = readVector(vecFile); err == nil {
					res, err = c.IngestVector(cmd.Context(), v, meta)
				}
			default:
				return errors.New("give --text or --embedding")
			}
			if err != nil {
				return err
			}
			if f.jsonOut {
				b, _ := json.Marshal(map[string]any{"cid": res.CID, "replicas": res.Replicas})
				fmt.Fprintln(e.stdout, string(b))
				return nil
			}
			fmt.Fprintln(e.stdout, res.CID)
			return nil
		},
	}
	cmd.Flags().StringVar(&text, "text", "", "text to store")
	cmd.Flags().StringVar(&vecFile, "embedding", "", "file with a JSON array of 384 numbers")
	cmd.Flags().StringVar(&metadata, "metadata", "{}", "metadata JSON object")
	flagEnv(cmd, "text", "ENGRAM_TEXT")
	flagEnv(cmd, "embedding", "ENGRAM_EMBEDDING_FILE")
	flagEnv(cmd, "metadata", "ENGRAM_METADATA")
	f.register(cmd)
	return cmd
}

func newQueryCmd(e *env) *cobra.Command {
	var f sdkFlags
	var text, vecFile string
	var topK int
	cmd := &cobra.Command{
		Use:   "query",
		Short: "Query the miners and print the merged nearest records",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := f.client(cmd, e)
			if err != nil {
				return err
			}
			var hits []engram.Result
			switch {
			case text != "" && vecFile != "":
				return errors.New("give --text or --vector, not both")
			case text != "":
				hits, err = c.Query(cmd.Context(), text, topK)
			case vecFile != "":
				var v []float32
				if v, err = readVector(vecFile); err == nil {
					hits, err = c.QueryVector(cmd.Context(), v, topK)
				}
			default:
				return errors.New("give --text or --vector")
			}
			if err != nil {
				return err
			}
			if f.jsonOut {
				b, _ := json.Marshal(hits)
				fmt.Fprintln(e.stdout, string(b))
				return nil
			}
			for _, h := range hits {
				fmt.Fprintf(e.stdout, "%s  %.4f  %s\n", h.CID, h.Score, h.Metadata)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&text, "text", "", "query text")
	cmd.Flags().StringVar(&vecFile, "vector", "", "file with a JSON array of 384 numbers")
	cmd.Flags().IntVar(&topK, "top-k", 10, "results (1-100)")
	flagEnv(cmd, "text", "ENGRAM_TEXT")
	flagEnv(cmd, "vector", "ENGRAM_VECTOR_FILE")
	flagEnv(cmd, "top-k", "ENGRAM_TOP_K")
	f.register(cmd)
	return cmd
}
