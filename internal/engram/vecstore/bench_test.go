package vecstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
)

// BenchmarkPut measures durable ingest (every Put is synced before it
// returns) with concurrent writers, as a miner under load sees it. The
// vectors/s metric is the figure docs/performance.md reports.
func BenchmarkPut(b *testing.B) {
	for _, writers := range []int{2, 16, 64} { // multiples of GOMAXPROCS (2 here) so the label is exact
		b.Run(fmt.Sprintf("dim=384/writers=%d", writers), func(b *testing.B) {
			s, err := Open(context.Background(), Config{Dir: b.TempDir(), SnapshotEvery: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			r := rand.New(rand.NewPCG(1, 2))
			vecs := make([][]float32, 4096)
			for i := range vecs {
				vecs[i] = unit(r, 384)
			}
			var next atomic.Int64
			b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0))) // RunParallel starts GOMAXPROCS×p goroutines
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					rec := Record{Namespace: "__public__", CID: fmt.Sprintf("v1::%064x", i), Vector: vecs[i%4096], Metadata: []byte(`{"n":1}`)}
					if _, err := s.Put(context.Background(), rec); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vectors/s")
		})
	}
}

// BenchmarkSearch measures a namespace of 100k vectors in exact and HNSW
// modes.
func BenchmarkSearch(b *testing.B) {
	if testing.Short() {
		b.Skip("builds 100k vectors")
	}
	r := rand.New(rand.NewPCG(3, 4))
	vecs := make([]Record, 100_000)
	for i := range vecs {
		vecs[i] = Record{Namespace: "__public__", CID: fmt.Sprintf("v1::%064x", i), Vector: unit(r, 384)}
	}
	for _, mode := range []string{"exact", "hnsw"} {
		b.Run("n=100k/"+mode, func(b *testing.B) {
			exactMax := 1_000_000
			if mode == "hnsw" {
				exactMax = 1000
			}
			s, err := Open(context.Background(), Config{Dir: b.TempDir(), ExactMax: exactMax, SnapshotEvery: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for i := 0; i < len(vecs); i += 1000 {
				if _, err := s.Put(context.Background(), vecs[i:i+1000]...); err != nil {
					b.Fatal(err)
				}
			}
			for s.Stats().Namespaces["__public__"].Pending > 0 {
				s.kick()
				s.indexStep()
			}
			q := unit(r, 384)
			b.ResetTimer()
			b.ReportAllocs()
			for b.Loop() {
				s.Search("__public__", q, 10, nil)
			}
		})
	}
}
