package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
)

type benchFlags struct {
	target                 string
	self                   bool
	vectors, queries, conc int
	clusters               int
	seed                   uint64
	jsonOut                bool
}

func newBenchCmd(e *env) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load-test a miner: durable ingest rate and query latency over HTTP",
		Long: `Ingest --vectors random clustered unit vectors into a miner with --concurrency
parallel clients, then send --queries vector queries one at a time, and print
the ingest rate (each ingest is acknowledged only after the miner synced it)
and the client-measured query latency percentiles.

--self starts an in-process miner on a loopback port with a temporary data
directory instead of using --target.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBench(cmd.Context(), e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.target, "target", "http://127.0.0.1:8091", "miner base URL")
	fl.BoolVar(&f.self, "self", false, "start an in-process miner on a temporary directory and bench it")
	fl.IntVar(&f.vectors, "vectors", 10_000, "vectors to ingest")
	fl.IntVar(&f.queries, "queries", 2_000, "queries to send after ingesting")
	fl.IntVar(&f.conc, "concurrency", 32, "parallel ingest clients")
	fl.IntVar(&f.clusters, "clusters", 1_000, "clusters in the synthetic data")
	fl.Uint64Var(&f.seed, "seed", 1, "data seed")
	fl.BoolVar(&f.jsonOut, "json", false, "print the result as one JSON line")
	for n, v := range map[string]string{
		"target": "ENGRAM_BENCH_TARGET", "self": "ENGRAM_BENCH_SELF", "vectors": "ENGRAM_BENCH_VECTORS",
		"queries": "ENGRAM_BENCH_QUERIES", "concurrency": "ENGRAM_BENCH_CONCURRENCY", "clusters": "ENGRAM_BENCH_CLUSTERS",
		"seed": "ENGRAM_BENCH_SEED", "json": "ENGRAM_BENCH_JSON",
	} {
		flagEnv(cmd, n, v)
	}
	return cmd
}

// clusteredVectors returns n unit vectors around k random centres.
func clusteredVectors(n, k int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	centres := make([][]float32, k)
	for i := range centres {
		centres[i] = randUnit(r, nil, 0)
	}
	out := make([][]float32, n)
	for i := range out {
		out[i] = randUnit(r, centres[r.IntN(k)], 0.15)
	}
	return out
}

func randUnit(r *rand.Rand, centre []float32, noise float64) []float32 {
	v := make([]float32, protocol.EmbeddingDim)
	var n float64
	for i := range v {
		x := r.NormFloat64()
		if centre != nil {
			x = float64(centre[i]) + noise*x
		}
		v[i] = float32(x)
		n += x * x
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / math.Sqrt(n))
	}
	return v
}

type benchResult struct {
	Vectors       int     `json:"vectors"`
	IngestSeconds float64 `json:"ingest_seconds"`
	IngestPerSec  float64 `json:"ingest_vectors_per_sec"`
	IngestErrors  int64   `json:"ingest_errors"`
	Queries       int     `json:"queries"`
	P50MS         float64 `json:"query_p50_ms"`
	P90MS         float64 `json:"query_p90_ms"`
	P99MS         float64 `json:"query_p99_ms"`
	QPS           float64 `json:"queries_per_sec_sequential"`
}

func runBench(ctx context.Context, e *env, f benchFlags) error {
	target := f.target
	if f.self {
		dir, err := os.MkdirTemp("", "engram-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		store, err := vecstore.Open(ctx, vecstore.Config{Dir: dir})
		if err != nil {
			return err
		}
		defer store.Close()
		m, err := miner.New(miner.Config{Store: store, Embedder: embed.Lexical{}, RateLimit: -1})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		mctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- m.Run(mctx, ln) }()
		defer func() { stop(); <-done }()
		target = "http://" + ln.Addr().String()
		fmt.Fprintf(e.stderr, "bench: in-process miner at %s, data in %s\n", target, dir)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: f.conc + 4}, Timeout: 60 * time.Second}
	post := func(path string, body []byte, out any) error {
		resp, err := client.Post(target+path, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: HTTP %d: %s", path, resp.StatusCode, b)
		}
		return json.Unmarshal(b, out)
	}
	vecs := clusteredVectors(f.vectors, f.clusters, f.seed)
	bar := progressbar.NewOptions(f.vectors, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("ingest"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	var next, errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range f.conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(vecs) || ctx.Err() != nil {
					return
				}
				body, _ := json.Marshal(protocol.IngestRequest{RawEmbedding: vecs[i], Metadata: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))})
				var resp protocol.IngestResponse
				if err := post("/IngestSynapse", body, &resp); err != nil || resp.Error != nil {
					errs.Add(1)
					if err == nil {
						err = fmt.Errorf("%s", *resp.Error)
					}
					firstErr.CompareAndSwap(nil, err.Error())
				}
				bar.Add(1)
			}
		})
	}
	wg.Wait()
	bar.Finish()
	ingest := time.Since(start)
	if errs.Load() > 0 {
		fmt.Fprintf(e.stderr, "bench: %d ingest errors, first: %v\n", errs.Load(), firstErr.Load())
	}
	if err := waitIndexed(ctx, client, target, e); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(f.seed+1, 7))
	lat := make([]float64, 0, f.queries)
	qbar := progressbar.NewOptions(f.queries, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("query"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	qstart := time.Now()
	for range f.queries {
		q := randUnit(r, vecs[r.IntN(len(vecs))], 0.05)
		body, _ := json.Marshal(protocol.QueryRequest{QueryVector: q, TopK: 10})
		t0 := time.Now()
		var resp protocol.QueryResponse
		if err := post("/QuerySynapse", body, &resp); err != nil {
			return err
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		qbar.Add(1)
	}
	qbar.Finish()
	qdur := time.Since(qstart)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	res := benchResult{
		Vectors: f.vectors, IngestSeconds: ingest.Seconds(), IngestPerSec: float64(f.vectors) / ingest.Seconds(),
		IngestErrors: errs.Load(), Queries: f.queries, P50MS: pct(0.5), P90MS: pct(0.9), P99MS: pct(0.99),
		QPS: float64(f.queries) / qdur.Seconds(),
	}
	if f.jsonOut {
		b, _ := json.Marshal(res)
		fmt.Fprintln(e.stdout, string(b))
		return nil
	}
	fmt.Fprintf(e.stdout, "ingest: %d vectors in %.2fs = %.0f vectors/s (durable, %d clients, %d errors)\n",
		res.Vectors, res.IngestSeconds, res.IngestPerSec, f.conc, res.IngestErrors)
	fmt.Fprintf(e.stdout, "query:  %d sequential vector queries: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%.0f q/s)\n",
		res.Queries, res.P50MS, res.P90MS, res.P99MS, res.QPS)
	return nil
}

// waitIndexed polls the miner's /stats until its index has no vectors
// waiting to enter the HNSW graph, so query latency is measured on a
// settled index (a miner without index stats is not waited for).
func waitIndexed(ctx context.Context, client *http.Client, target string, e *env) error {
	deadline := time.Now().Add(10 * time.Minute)
	for announced := false; ; {
		resp, err := client.Get(target + "/stats")
		if err != nil {
			return err
		}
		var st struct {
			Index *vecstore.Stats `json:"index"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		pending := 0
		if err == nil && st.Index != nil {
			for _, sp := range st.Index.Namespaces {
				pending += sp.Pending
			}
		}
		if pending == 0 {
			return nil
		}
		if !announced {
			fmt.Fprintf(e.stderr, "bench: waiting for the miner to index %d vectors\n", pending)
			announced = true
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("index still has %d pending vectors after 10 minutes", pending)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond): // polling interval
		}
	}
}
