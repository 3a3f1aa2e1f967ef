// Command annbench measures our ANN indexes on a synthetic embedding-like
// data set and writes that data set for the anchor engines (hnswlib and
// faiss, run by bench/anchors.py) so all three answer the same queries.
//
// It writes OUT/base.f32 (n × 384 float32 LE), OUT/query.f32 and
// OUT/truth.i32 (exact top-10 ids per query), then prints one line per
// measurement: engine, ef, recall@10, single-thread queries/s and build
// vectors/s, tab-separated.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/subnetkit/subnetkit/internal/engram/vecstore/flat"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore/hnsw"
)

func main() {
	n := flag.Int("n", 100_000, "base vectors")
	nq := flag.Int("queries", 2_000, "queries")
	dim := flag.Int("dim", 384, "dimension")
	clusters := flag.Int("clusters", 1_000, "Gaussian clusters")
	noise := flag.Float64("noise", 0.08, "per-dimension noise around a cluster centre (centres are unit vectors)")
	out := flag.String("out", "bench/out", "output directory")
	efs := flag.String("ef", "16,32,64,128,256", "ef values")
	exactQ := flag.Int("exact-queries", 200, "queries for the exact-scan measurement")
	flag.Parse()
	runtime.GOMAXPROCS(1) // single-thread numbers, like the anchors
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	base, queries := makeData(*n, *nq, *dim, *clusters, *noise)
	ex := flat.New(*dim)
	for i, v := range base {
		ex.Add(uint32(i), v)
	}
	truth := make([][]uint32, len(queries))
	for i, q := range queries {
		for _, nb := range ex.Search(q, 10, nil) {
			truth[i] = append(truth[i], nb.ID)
		}
	}
	writeF32(filepath.Join(*out, "base.f32"), base)
	writeF32(filepath.Join(*out, "query.f32"), queries)
	writeTruth(filepath.Join(*out, "truth.i32"), truth)

	t0 := time.Now()
	for _, q := range queries[:*exactQ] {
		ex.Search(q, 10, nil)
	}
	fmt.Printf("subnetkit-exact\t-\t1.000\t%.0f\t-\n", float64(*exactQ)/time.Since(t0).Seconds())

	g := hnsw.New(*dim, hnsw.Config{M: 16, EfConstruction: 200, Seed: 1})
	t0 = time.Now()
	for i, v := range base {
		g.Add(uint32(i), v)
	}
	build := float64(len(base)) / time.Since(t0).Seconds()
	var ef int
	for _, s := range splitInts(*efs) {
		ef = s
		hit := 0
		t0 = time.Now()
		for i, q := range queries {
			res := g.Search(q, 10, ef, nil)
			for _, r := range res {
				for _, t := range truth[i] {
					if r.ID == t {
						hit++
						break
					}
				}
			}
		}
		qps := float64(len(queries)) / time.Since(t0).Seconds()
		fmt.Printf("subnetkit-hnsw\t%d\t%.3f\t%.0f\t%.0f\n", ef, float64(hit)/float64(10*len(queries)), qps, build)
	}
}

// makeData draws unit cluster centres and points around them, normalised,
// and queries the same way: the shape of sentence embeddings.
func makeData(n, nq, dim, k int, noise float64) (base, queries [][]float32) {
	r := rand.New(rand.NewPCG(20261122, 384))
	centres := make([][]float64, k)
	for i := range centres {
		c := make([]float64, dim)
		var s float64
		for j := range c {
			c[j] = r.NormFloat64()
			s += c[j] * c[j]
		}
		for j := range c {
			c[j] /= math.Sqrt(s)
		}
		centres[i] = c
	}
	point := func() []float32 {
		c := centres[r.IntN(k)]
		v := make([]float32, dim)
		var s float64
		for j := range v {
			x := c[j] + noise*r.NormFloat64()
			v[j] = float32(x)
			s += x * x
		}
		for j := range v {
			v[j] = float32(float64(v[j]) / math.Sqrt(s))
		}
		return v
	}
	for range n {
		base = append(base, point())
	}
	for range nq {
		queries = append(queries, point())
	}
	return base, queries
}

func writeF32(path string, vs [][]float32) {
	b := make([]byte, 0, len(vs)*len(vs[0])*4)
	for _, v := range vs {
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fail(err)
	}
}

func writeTruth(path string, t [][]uint32) {
	var b []byte
	for _, row := range t {
		for _, id := range row {
			b = binary.LittleEndian.AppendUint32(b, id)
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fail(err)
	}
}

func splitInts(s string) []int {
	var out []int
	cur := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, cur)
			cur = 0
			continue
		}
		cur = cur*10 + int(s[i]-'0')
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "annbench:", err)
	os.Exit(1)
}
