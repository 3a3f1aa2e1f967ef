package hnsw

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/subnetkit/subnetkit/internal/engram/vecstore/flat"
)

// clustered returns n unit vectors around nClusters random centres, the
// shape real embeddings have.
func clustered(n, dim, nClusters int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	centres := make([][]float64, nClusters)
	for i := range centres {
		c := make([]float64, dim)
		for j := range c {
			c[j] = r.NormFloat64()
		}
		centres[i] = c
	}
	out := make([][]float32, n)
	for i := range out {
		c := centres[r.IntN(nClusters)]
		v := make([]float32, dim)
		var norm float64
		for j := range v {
			x := c[j] + 0.6*r.NormFloat64()
			v[j] = float32(x)
			norm += x * x
		}
		for j := range v {
			v[j] = float32(float64(v[j]) / math.Sqrt(norm))
		}
		out[i] = v
	}
	return out
}

func recall(got, want []flat.Neighbor) float64 {
	w := map[uint32]bool{}
	for _, n := range want {
		w[n.ID] = true
	}
	hit := 0
	for _, n := range got {
		if w[n.ID] {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

func build(t testing.TB, vecs [][]float32) (*Index, *flat.Index) {
	x := New(len(vecs[0]), Config{Seed: 1})
	ex := flat.New(len(vecs[0]))
	for i, v := range vecs {
		x.Add(uint32(i), v)
		ex.Add(uint32(i), v)
	}
	return x, ex
}

func TestRecallAgainstBruteForce(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 2000
	}
	vecs := clustered(n, 384, 50, 1)
	x, ex := build(t, vecs)
	queries := clustered(100, 384, 50, 2)
	var sum float64
	for _, q := range queries {
		sum += recall(x.Search(q, 10, 200, nil), ex.Search(q, 10, nil))
	}
	if r := sum / float64(len(queries)); r < 0.95 {
		t.Fatalf("recall@10 at ef=200 = %.3f, want >= 0.95", r)
	}
}

func TestDeleteReplaceAndFilter(t *testing.T) {
	vecs := clustered(3000, 64, 30, 3)
	x, ex := build(t, vecs)
	for i := 0; i < len(vecs); i += 5 {
		x.Delete(uint32(i))
		ex.Delete(uint32(i))
	}
	if x.Len() != ex.Len() || x.Tombstones() != 600 {
		t.Fatalf("Len = %d (tombstones %d), want %d (600)", x.Len(), x.Tombstones(), ex.Len())
	}
	// Replace a few vectors with others' copies.
	for i := 1; i < 50; i += 7 {
		if i%5 == 0 {
			continue
		}
		x.Add(uint32(i), vecs[i+1000])
		ex.Add(uint32(i), vecs[i+1000])
	}
	odd := func(id uint32) bool { return id%2 == 1 }
	var sum, sumF float64
	queries := clustered(60, 64, 30, 4)
	for _, q := range queries {
		got := x.Search(q, 10, 128, nil)
		for _, n := range got {
			if n.ID%5 == 0 {
				t.Fatalf("deleted id %d returned", n.ID)
			}
		}
		sum += recall(got, ex.Search(q, 10, nil))
		gotF := x.Search(q, 10, 256, odd)
		for _, n := range gotF {
			if !odd(n.ID) {
				t.Fatalf("filtered search returned %d", n.ID)
			}
		}
		if len(gotF) != 10 {
			t.Fatalf("filtered search returned %d results, want 10", len(gotF))
		}
		sumF += recall(gotF, ex.Search(q, 10, odd))
	}
	if r := sum / 60; r < 0.9 {
		t.Errorf("recall after deletes = %.3f, want >= 0.9", r)
	}
	if r := sumF / 60; r < 0.9 {
		t.Errorf("filtered recall = %.3f, want >= 0.9", r)
	}
}

func TestDeterministicBuild(t *testing.T) {
	vecs := clustered(500, 32, 10, 5)
	a, _ := build(t, vecs)
	b, _ := build(t, vecs)
	q := clustered(1, 32, 10, 6)[0]
	ra, rb := a.Search(q, 10, 20, nil), b.Search(q, 10, 20, nil)
	for i := range ra {
		if ra[i] != rb[i] {
			t.Fatalf("two identical builds answer differently: %v vs %v", ra, rb)
		}
	}
}

func TestConcurrentAddSearch(t *testing.T) {
	vecs := clustered(2000, 32, 10, 7)
	x := New(32, Config{Seed: 2})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, v := range vecs {
			x.Add(uint32(i), v)
		}
	})
	for range 3 {
		wg.Go(func() {
			for _, q := range vecs[:300] {
				x.Search(q, 5, 32, nil)
			}
		})
	}
	wg.Wait()
	if x.Len() != len(vecs) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(vecs))
	}
}

func BenchmarkHNSW(b *testing.B) {
	vecs := clustered(10_000, 384, 100, 8)
	x := New(384, Config{Seed: 1})
	for i, v := range vecs {
		x.Add(uint32(i), v)
	}
	queries := clustered(256, 384, 100, 9)
	for _, ef := range []int{32, 64, 128} {
		b.Run("search/n=10k/dim=384/ef="+string(rune('0'+ef/100))+string(rune('0'+ef/10%10))+string(rune('0'+ef%10)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				x.Search(queries[i%len(queries)], 10, ef, nil)
				i++
			}
		})
	}
	b.Run("add/dim=384", func(b *testing.B) {
		y := New(384, Config{Seed: 1})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			y.Add(uint32(i), vecs[i%len(vecs)])
			i++
		}
	})
}
