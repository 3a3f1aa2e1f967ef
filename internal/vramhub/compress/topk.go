package compress

import (
	"math"
	"slices"
)

// Stage1Fraction is the share of entries stage 1 keeps (0.1%).
const Stage1Fraction = 0.001

// Stage1Count returns how many entries stage 1 keeps of n:
// max(1, floor(n·0.001)) computed exactly as n/1000 in integers; 0 for n ≤ 0.
func Stage1Count(n int) int {
	if n <= 0 {
		return 0
	}
	return max(1, n/1000)
}

// Sparsify is stage 1: it returns a new dense vector that keeps the
// [Stage1Count](len(g)) entries of largest magnitude over the whole gradient
// and zeroes the rest. Ties go to the lower index. NaN entries rank below
// every other value. g is not modified.
func Sparsify(g []float32) []float32 { return SparsifyTopK(g, Stage1Count(len(g))) }

// SparsifyTopK is [Sparsify] with an explicit count k (clamped to
// [0, len(g)]).
func SparsifyTopK(g []float32, k int) []float32 {
	out := make([]float32, len(g))
	for _, i := range topKIndices(len(g), k, func(i int) float64 {
		return float64(g[i])
	}) {
		out[i] = g[i]
	}
	return out
}

// topKIndices returns, in ascending order, the indices of the k values of
// largest magnitude among at(0..n-1), ties to the lower index. NaN ranks
// lowest. It runs in O(n log k) with a bounded min-heap.
func topKIndices(n, k int, at func(int) float64) []int {
	k = min(max(k, 0), n)
	if k == 0 {
		return nil
	}
	h := topHeap{idx: make([]int, 0, k), mag: make([]float64, 0, k)}
	for i := range n {
		m := math.Abs(at(i))
		if m != m {
			m = -1
		}
		if len(h.idx) < k {
			h.push(i, m)
			continue
		}
		// Larger magnitude wins; on equal magnitude the earlier (lower)
		// index already in the heap wins, so i never displaces it.
		if m > h.mag[0] {
			h.replaceTop(i, m)
		}
	}
	idx := h.idx
	sortInts(idx)
	return idx
}

// topHeap is a min-heap ordered by (magnitude ascending, index descending):
// its root is the entry that a better candidate evicts first.
type topHeap struct {
	idx []int
	mag []float64
}

func (h *topHeap) less(a, b int) bool {
	if h.mag[a] != h.mag[b] {
		return h.mag[a] < h.mag[b]
	}
	return h.idx[a] > h.idx[b]
}

func (h *topHeap) swap(a, b int) {
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
	h.mag[a], h.mag[b] = h.mag[b], h.mag[a]
}

func (h *topHeap) push(i int, m float64) {
	h.idx = append(h.idx, i)
	h.mag = append(h.mag, m)
	j := len(h.idx) - 1
	for j > 0 {
		p := (j - 1) / 2
		if !h.less(j, p) {
			break
		}
		h.swap(j, p)
		j = p
	}
}

func (h *topHeap) replaceTop(i int, m float64) {
	h.idx[0], h.mag[0] = i, m
	n := len(h.idx)
	j := 0
	for {
		l := 2*j + 1
		if l >= n {
			return
		}
		s := l
		if r := l + 1; r < n && h.less(r, l) {
			s = r
		}
		if !h.less(s, j) {
			return
		}
		h.swap(j, s)
		j = s
	}
}

func sortInts(s []int) { slices.Sort(s) }
