// Package flat is the exact nearest-neighbour index of the vector store: a
// contiguous slab of float32 vectors scanned with a SIMD dot product. It is
// the ground truth the HNSW index is tested against, and the index the store
// uses while a namespace is small or a filter is selective.
//
// Scores are dot products, which equal cosine similarity for the
// L2-normalised vectors the store keeps. An Index is safe for concurrent use:
// searches share a read lock, Add and Delete take the write lock.
package flat

import (
	"container/heap"
	"sync"

	"github.com/viterin/vek/vek32"
)

// Neighbor is a search hit.
type Neighbor struct {
	ID    uint32
	Score float32
}

// Index is an exact index.
type Index struct {
	dim int

	mu   sync.RWMutex
	data []float32 // len(ids)*dim
	ids  []uint32  // slot -> id
	slot map[uint32]int
}

// New returns an empty index of dim-dimensional vectors.
func New(dim int) *Index { return &Index{dim: dim, slot: map[uint32]int{}} }

// Add stores a copy of vec under id, replacing any vector id had.
func (x *Index) Add(id uint32, vec []float32) {
	if len(vec) != x.dim {
		panic("flat: vector dimension mismatch") // a store invariant
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if s, ok := x.slot[id]; ok {
		copy(x.data[s*x.dim:(s+1)*x.dim], vec)
		return
	}
	x.slot[id] = len(x.ids)
	x.ids = append(x.ids, id)
	x.data = append(x.data, vec...)
}

// Delete removes id and reports whether it was present.
func (x *Index) Delete(id uint32) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.slot[id]
	if !ok {
		return false
	}
	last := len(x.ids) - 1
	if s != last {
		moved := x.ids[last]
		copy(x.data[s*x.dim:(s+1)*x.dim], x.data[last*x.dim:(last+1)*x.dim])
		x.ids[s] = moved
		x.slot[moved] = s
	}
	x.ids = x.ids[:last]
	x.data = x.data[:last*x.dim]
	delete(x.slot, id)
	return true
}

// Len returns the number of vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Vector returns a copy of id's vector.
func (x *Index) Vector(id uint32) ([]float32, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.slot[id]
	if !ok {
		return nil, false
	}
	return append([]float32(nil), x.data[s*x.dim:(s+1)*x.dim]...), true
}

// Search returns the k vectors with the highest dot product with q among
// those allow accepts (nil accepts all), best first, ties by ascending id.
func (x *Index) Search(q []float32, k int, allow func(id uint32) bool) []Neighbor {
	if k <= 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	h := make(MinHeap, 0, k+1)
	for s, id := range x.ids {
		if allow != nil && !allow(id) {
			continue
		}
		score := vek32.Dot(q, x.data[s*x.dim:(s+1)*x.dim])
		if len(h) < k {
			heap.Push(&h, Neighbor{id, score})
		} else if Better(Neighbor{id, score}, h[0]) {
			h[0] = Neighbor{id, score}
			heap.Fix(&h, 0)
		}
	}
	return h.Sorted()
}

// Better reports whether a ranks before b: higher score, then lower id.
func Better(a, b Neighbor) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// MinHeap keeps the worst neighbour on top (for bounded top-k).
type MinHeap []Neighbor

func (h MinHeap) Len() int           { return len(h) }
func (h MinHeap) Less(i, j int) bool { return Better(h[j], h[i]) }
func (h MinHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *MinHeap) Push(v any)        { *h = append(*h, v.(Neighbor)) }
func (h *MinHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// Sorted empties the heap into a best-first slice.
func (h *MinHeap) Sorted() []Neighbor {
	out := make([]Neighbor, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Neighbor)
	}
	return out
}

// IDs returns up to n ids currently in the index (in slot order).
func (x *Index) IDs(n int) []uint32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return append([]uint32(nil), x.ids[:min(n, len(x.ids))]...)
}
