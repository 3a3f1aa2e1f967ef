package flat

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func randVecs(n, dim int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = v
	}
	return out
}

func naive(vs map[uint32][]float32, q []float32, k int, allow func(uint32) bool) []Neighbor {
	var all []Neighbor
	for id, v := range vs {
		if allow != nil && !allow(id) {
			continue
		}
		var s float32
		for i := range v {
			s += v[i] * q[i]
		}
		all = append(all, Neighbor{id, s})
	}
	sort.Slice(all, func(i, j int) bool { return Better(all[i], all[j]) })
	return all[:min(k, len(all))]
}

func TestSearchMatchesNaive(t *testing.T) {
	const dim = 24
	x := New(dim)
	vs := map[uint32][]float32{}
	for i, v := range randVecs(500, dim, 1) {
		x.Add(uint32(i*3), v)
		vs[uint32(i*3)] = v
	}
	for i := uint32(0); i < 1500; i += 9 { // delete some, replace some
		x.Delete(i)
		delete(vs, i)
	}
	for i, v := range randVecs(20, dim, 2) {
		id := uint32(3 * (i*7 + 1))
		if _, ok := vs[id]; ok {
			x.Add(id, v)
			vs[id] = v
		}
	}
	if x.Len() != len(vs) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(vs))
	}
	even := func(id uint32) bool { return id%2 == 0 }
	for qi, q := range randVecs(30, dim, 3) {
		for _, allow := range []func(uint32) bool{nil, even} {
			got, want := x.Search(q, 10, allow), naive(vs, q, 10, allow)
			if len(got) != len(want) {
				t.Fatalf("query %d: %d results, want %d", qi, len(got), len(want))
			}
			for i := range got {
				// Summation order differs from the SIMD kernel: compare ids,
				// and scores within rounding.
				if got[i].ID != want[i].ID && (got[i].Score-want[i].Score > 1e-4 || want[i].Score-got[i].Score > 1e-4) {
					t.Fatalf("query %d rank %d = %v, want %v", qi, i, got[i], want[i])
				}
			}
		}
	}
}

func TestTiesByID(t *testing.T) {
	x := New(2)
	for _, id := range []uint32{9, 3, 7} {
		x.Add(id, []float32{1, 0})
	}
	got := x.Search([]float32{1, 0}, 3, nil)
	if ids := []uint32{got[0].ID, got[1].ID, got[2].ID}; !slices.Equal(ids, []uint32{3, 7, 9}) {
		t.Errorf("tie order = %v, want [3 7 9]", ids)
	}
}

func BenchmarkFlatSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run("n="+itoa(n)+"/dim=384", func(b *testing.B) {
			x := New(384)
			for i, v := range randVecs(n, 384, 5) {
				x.Add(uint32(i), v)
			}
			q := randVecs(1, 384, 6)[0]
			b.ReportAllocs()
			for b.Loop() {
				x.Search(q, 10, nil)
			}
		})
	}
}

func itoa(n int) string {
	if n >= 1000 {
		return itoa(n/1000) + "k"
	}
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
