// Package localnet runs a whole Engram network in one process: an embedded
// devchain producing fast blocks, honest miners and one faulty miner (it
// acknowledges every write but silently drops most of them), each on its
// own loopback listener and data directory, and a validator that seeds the
// bundled corpus, scores rounds and sets weights. It is what
// "engram localnet" runs. Run owns every goroutine it starts and stops them
// before returning.
package localnet

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/engram/corpus"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/validator"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// NetUID is the subnet localnet creates (Engram's testnet netuid).
const NetUID = 450

// Config configures Run.
type Config struct {
	// Dir holds the chain, miners and validator; "" uses a temporary
	// directory removed afterwards.
	Dir string
	// Honest and Faulty are miner counts (defaults 3 and 1).
	Honest, Faulty int
	// DropFraction is the share of writes the faulty miners drop (default 0.8).
	DropFraction float64
	// Rounds stops after this many rounds; 0 runs until ctx ends.
	Rounds int
	// Synthetic is the number of synthetic vectors added to the bundled
	// sentences (default 300).
	Synthetic int
	// ChallengesPerRound per miner (default 20, so slashing happens reliably in
	// the first rounds).
	ChallengesPerRound int
	// BlockTime of the devchain (default 100 ms).
	BlockTime time.Duration
	// JSON prints, as the last line of Out, the final result as JSON.
	JSON bool
	// Out receives scoreboards (and the JSON line); Progress receives the
	// progress bar; Logger receives logs.
	Out, Progress io.Writer
	Logger        *slog.Logger
}

// Result is the final outcome (the --json line).
type Result struct {
	WeightsBlock uint64        `json:"weights_block"`
	Miners       []MinerResult `json:"miners"`
}

// MinerResult is one miner's line of the result.
type MinerResult struct {
	UID       uint16  `json:"uid"`
	Hotkey    string  `json:"hotkey"`
	Recall    float64 `json:"recall_at_10"`
	LatencyMS float64 `json:"latency_ms"`
	ProofRate float64 `json:"proof_rate"`
	Score     float64 `json:"score"`
	Weight    float64 `json:"weight"`
	Faulty    bool    `json:"faulty"`
}

// faultyStore acknowledges every Put but keeps only some records.
type faultyStore struct {
	*vecstore.Store
	drop float64
}

func (f faultyStore) Put(ctx context.Context, recs ...vecstore.Record) ([]vecstore.PutResult, error) {
	var keep []vecstore.Record
	for _, r := range recs {
		h := sha256.Sum256([]byte(r.CID))
		if float64(h[0])/256 >= f.drop {
			keep = append(keep, r)
		}
	}
	if len(keep) > 0 {
		if _, err := f.Store.Put(ctx, keep...); err != nil {
			return nil, err
		}
	}
	return make([]vecstore.PutResult, len(recs)), nil
}

// Run starts the network, runs rounds and prints scoreboards.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Honest <= 0 && cfg.Faulty <= 0 {
		cfg.Honest, cfg.Faulty = 3, 1
	}
	if cfg.DropFraction <= 0 {
		cfg.DropFraction = 0.8
	}
	if cfg.Synthetic <= 0 {
		cfg.Synthetic = 300
	}
	if cfg.ChallengesPerRound <= 0 {
		cfg.ChallengesPerRound = 20
	}
	if cfg.BlockTime <= 0 {
		cfg.BlockTime = 100 * time.Millisecond
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "engram-localnet-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.Dir = dir
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var stores []*vecstore.Store
	defer func() {
		// Stop the chain and miners, wait for them, then flush the stores.
		cancel()
		wg.Wait()
		for _, s := range stores {
			s.Close()
		}
	}()

	ch, err := devchain.New(devchain.Config{Dir: filepath.Join(cfg.Dir, "chain"), BlockTime: cfg.BlockTime, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	ch.CreateSubnet(NetUID, devchain.SubnetParams{Tempo: 20, WeightsSetRateLimit: 1})
	wg.Go(func() { ch.Run(ctx) })

	valKey, _ := keys.FromURI("//Alice")
	if _, err := ch.Register(NetUID, valKey.PublicKey(), valKey.PublicKey()); err != nil {
		return nil, err
	}
	if err := ch.AddStake(NetUID, valKey.PublicKey(), 1000_000_000_000); err != nil {
		return nil, err
	}
	faulty := map[string]bool{}
	for i := range cfg.Honest + cfg.Faulty {
		kp, _ := keys.FromURI(fmt.Sprintf("//Miner%d", i+1))
		isFaulty := i >= cfg.Honest
		store, err := vecstore.Open(ctx, vecstore.Config{Dir: filepath.Join(cfg.Dir, fmt.Sprintf("miner%d", i+1)), Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		stores = append(stores, store)
		var st miner.Store = store
		if isFaulty {
			st = faultyStore{Store: store, drop: cfg.DropFraction}
			faulty[kp.SS58()] = true
		}
		m, err := miner.New(miner.Config{Store: st, Embedder: embed.Lexical{}, Hotkey: kp.PublicKey(), RateLimit: -1,
			Logger: cfg.Logger.With("component", "miner", "miner", i+1)})
		if err != nil {
			return nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			m.Close()
			return nil, err
		}
		wg.Go(func() { m.Run(ctx, ln) })
		if _, err := ch.Register(NetUID, kp.PublicKey(), kp.PublicKey()); err != nil {
			return nil, err
		}
		if err := ch.ServeAxon(NetUID, kp.PublicKey(), netip.MustParseAddrPort(ln.Addr().String())); err != nil {
			return nil, err
		}
	}
	set, err := corpus.Build(ctx, embed.Lexical{}, corpus.Sample(), cfg.Synthetic, 1)
	if err != nil {
		return nil, err
	}
	v, err := validator.New(validator.Config{
		Chain: ch.Client(valKey), NetUID: NetUID, Signer: valKey, Corpus: set,
		ChallengesPerRound: cfg.ChallengesPerRound, DataDir: filepath.Join(cfg.Dir, "validator"),
		AllowLoopback: true, Logger: cfg.Logger.With("component", "validator"),
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cfg.Progress, "localnet: devchain netuid %d, %d honest + %d faulty miners, validator %s; data in %s\n",
		NetUID, cfg.Honest, cfg.Faulty, valKey.SS58(), cfg.Dir)
	if err := v.Seed(ctx, progressBar(cfg.Progress)); err != nil {
		return nil, err
	}
	var res *Result
	for round := 1; cfg.Rounds == 0 || round <= cfg.Rounds; round++ {
		rep, err := v.Round(ctx, true)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return nil, err
		}
		res = result(rep, faulty)
		if !cfg.JSON {
			printBoard(cfg.Out, round, rep, faulty)
		}
		if ctx.Err() != nil {
			break
		}
		// Let a block pass so the next set_weights clears the rate limit.
		for start := ch.Height(); ch.Height() == start && ctx.Err() == nil; {
			time.Sleep(cfg.BlockTime / 4) // polling the devchain's block height
		}
	}
	if res == nil {
		return nil, errors.New("localnet: no round completed")
	}
	if cfg.JSON {
		b, _ := json.Marshal(res)
		fmt.Fprintln(cfg.Out, string(b))
	}
	return res, nil
}

func result(rep validator.Report, faulty map[string]bool) *Result {
	r := &Result{WeightsBlock: rep.WeightsBlock}
	for _, m := range rep.Miners {
		r.Miners = append(r.Miners, MinerResult{
			UID: m.UID, Hotkey: m.Hotkey, Recall: round(m.Recall, 4), LatencyMS: round(m.LatencyMS, 3),
			ProofRate: round(m.ProofRate, 4), Score: round(m.Composite, 4), Weight: round(m.Weight, 4), Faulty: faulty[m.Hotkey],
		})
	}
	return r
}

func round(x float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	return float64(int64(x*p+0.5)) / p
}

func printBoard(w io.Writer, round int, rep validator.Report, faulty map[string]bool) {
	status := fmt.Sprintf("weights set at block %d", rep.WeightsBlock)
	if !rep.WeightsSet {
		status = "weights not set: " + rep.WeightsError
	}
	fmt.Fprintf(w, "\nround %d (block %d, %s)\n", round, rep.Block, status)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "uid\thotkey\trecall@10\tlatency ms\tproof rate\tscore\tweight\t\t")
	for _, m := range rep.Miners {
		note := ""
		if faulty[m.Hotkey] {
			note = "faulty"
		}
		if m.Slashed {
			note += " slashed"
		}
		fmt.Fprintf(tw, "%d\t%s…\t%.3f\t%.2f\t%.2f\t%.3f\t%.3f\t%s\t\n", m.UID, m.Hotkey[:8], m.Recall, m.LatencyMS, m.ProofRate, m.Composite, m.Weight, note)
	}
	tw.Flush()
}
