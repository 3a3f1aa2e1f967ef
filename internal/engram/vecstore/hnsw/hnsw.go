// Package hnsw is the vector store's approximate nearest-neighbour index: a
// hierarchical navigable small world graph (Malkov & Yashunin) over
// L2-normalised float32 vectors, scored by dot product (= cosine).
//
// Layout for speed: vectors live in one contiguous slab indexed by node
// number; layer-0 links are a flat array with a fixed stride of 2·M; upper
// layers, which hold few nodes, use per-node slices. Search keeps its
// visited set as a generation-stamped array taken from a pool, so a query
// allocates only its result slice.
//
// Levels are drawn from a seeded PCG generator, so the same inserts in the
// same order build the same graph. Deleted vectors stay in the graph as
// routing-only tombstones and are never returned; the store rebuilds the
// index when tombstones pile up.
//
// An Index is safe for concurrent use: searches share a read lock, Add and
// Delete take the write lock.
package hnsw

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/subnetkit/subnetkit/internal/engram/vecstore/flat"
	"github.com/viterin/vek/vek32"
)

// Config holds the graph parameters; zero fields take the defaults.
type Config struct {
	M              int    // links per node on upper layers (default 16); layer 0 has 2·M
	EfConstruction int    // candidate list size while inserting (default 200)
	EfSearch       int    // default candidate list size while searching (default 64)
	Seed           uint64 // level generator seed
}

func (c Config) withDefaults() Config {
	if c.M <= 0 {
		c.M = 16
	}
	if c.EfConstruction <= 0 {
		c.EfConstruction = 200
	}
	if c.EfSearch <= 0 {
		c.EfSearch = 64
	}
	return c
}

// Neighbor is a search hit (the same type as the exact index's).
type Neighbor = flat.Neighbor

type cand struct {
	node  uint32
	score float32
}

// Index is an HNSW graph.
type Index struct {
	dim int
	cfg Config
	m0  int
	mL  float64

	mu       sync.RWMutex
	rng      *rand.Rand
	vecs     []float32    // node -> vector
	ids      []uint32     // node -> external id
	levels   []uint8      // node -> top level
	links0   []uint32     // node*m0 .. +m0
	count0   []uint16     // node -> used links on layer 0
	upper    [][][]uint32 // node -> layer-1 -> links
	deleted  []bool
	byID     map[uint32]uint32 // external id -> live node
	entry    uint32
	maxLevel int
	live     int
	efSearch int

	visited sync.Pool
}

type visitSet struct {
	gen  uint32
	seen []uint32
}

// New returns an empty index of dim-dimensional vectors.
func New(dim int, cfg Config) *Index {
	cfg = cfg.withDefaults()
	return &Index{
		dim: dim, cfg: cfg, m0: 2 * cfg.M, mL: 1 / math.Log(float64(cfg.M)),
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		byID:     map[uint32]uint32{},
		efSearch: cfg.EfSearch,
	}
}

// SetEfSearch sets the default ef used when Search gets ef <= 0.
func (x *Index) SetEfSearch(ef int) {
	x.mu.Lock()
	x.efSearch = max(1, ef)
	x.mu.Unlock()
}

// DefaultEf returns the EfSearch the index was configured with.
func (x *Index) DefaultEf() int { return x.cfg.EfSearch }

// EfSearch returns the default search ef.
func (x *Index) EfSearch() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.efSearch
}

// Len returns the number of live (not deleted) vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Tombstones returns the number of deleted nodes still in the graph.
func (x *Index) Tombstones() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids) - x.live
}

func (x *Index) vec(n uint32) []float32 {
	return x.vecs[int(n)*x.dim : (int(n)+1)*x.dim]
}

func (x *Index) neighbors(n uint32, level int) []uint32 {
	if level == 0 {
		base := int(n) * x.m0
		return x.links0[base : base+int(x.count0[n])]
	}
	return x.upper[n][level-1]
}

func (x *Index) setNeighbors(n uint32, level int, ns []uint32) {
	if level == 0 {
		base := int(n) * x.m0
		copy(x.links0[base:base+x.m0], ns)
		x.count0[n] = uint16(len(ns))
		return
	}
	x.upper[n][level-1] = append(x.upper[n][level-1][:0], ns...)
}

func (x *Index) getVisit() *visitSet {
	v, _ := x.visited.Get().(*visitSet)
	if v == nil {
		v = &visitSet{}
	}
	if len(v.seen) < len(x.ids) {
		v.seen = make([]uint32, len(x.ids)+len(x.ids)/4+64)
		v.gen = 0
	}
	v.gen++
	if v.gen == 0 { // wrapped: clear
		clear(v.seen)
		v.gen = 1
	}
	return v
}

// Delete removes id from results and reports whether it was present.
func (x *Index) Delete(id uint32) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	n, ok := x.byID[id]
	if !ok {
		return false
	}
	x.deleted[n] = true
	delete(x.byID, id)
	x.live--
	return true
}

// Add inserts vec (already normalised) under id; an existing id is
// replaced. The index keeps a copy of vec.
func (x *Index) Add(id uint32, vec []float32) {
	if len(vec) != x.dim {
		panic("hnsw: vector dimension mismatch") // a store invariant
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.byID[id]; ok {
		x.deleted[old] = true
		x.live--
	}
	level := int(math.Floor(-math.Log(1-x.rng.Float64()) * x.mL))
	level = min(level, 31)
	n := uint32(len(x.ids))
	x.vecs = append(x.vecs, vec...)
	x.ids = append(x.ids, id)
	x.levels = append(x.levels, uint8(level))
	x.links0 = append(x.links0, make([]uint32, x.m0)...)
	x.count0 = append(x.count0, 0)
	var up [][]uint32
	if level > 0 {
		up = make([][]uint32, level)
	}
	x.upper = append(x.upper, up)
	x.deleted = append(x.deleted, false)
	x.byID[id] = n
	x.live++
	if n == 0 {
		x.entry, x.maxLevel = 0, level
		return
	}
	q := x.vec(n)
	ep := cand{x.entry, vek32.Dot(q, x.vec(x.entry))}
	for l := x.maxLevel; l > level; l-- {
		ep = x.greedy(q, ep, l)
	}
	vs := x.getVisit()
	defer x.visited.Put(vs)
	for l := min(level, x.maxLevel); l >= 0; l-- {
		w := x.searchLayer(q, []cand{ep}, x.cfg.EfConstruction, l, vs)
		mMax := x.cfg.M
		if l == 0 {
			mMax = x.m0
		}
		sel := x.selectNeighbors(w, x.cfg.M)
		links := make([]uint32, len(sel))
		for i, c := range sel {
			links[i] = c.node
		}
		x.setNeighbors(n, l, links)
		for _, c := range sel {
			x.connect(c.node, n, c.score, l, mMax)
		}
		ep = w[0]
		vs.gen++
		if vs.gen == 0 {
			clear(vs.seen)
			vs.gen = 1
		}
	}
	if level > x.maxLevel {
		x.entry, x.maxLevel = n, level
	}
}

// connect adds a link from a to b on level l, shrinking a's list with the
// selection heuristic when it overflows.
func (x *Index) connect(a, b uint32, score float32, l, mMax int) {
	cur := x.neighbors(a, l)
	if len(cur) < mMax {
		if l == 0 {
			base := int(a) * x.m0
			x.links0[base+len(cur)] = b
			x.count0[a]++
		} else {
			x.upper[a][l-1] = append(x.upper[a][l-1], b)
		}
		return
	}
	va := x.vec(a)
	cs := make([]cand, 0, len(cur)+1)
	for _, o := range cur {
		cs = append(cs, cand{o, vek32.Dot(va, x.vec(o))})
	}
	cs = append(cs, cand{b, score})
	slices.SortFunc(cs, func(p, q cand) int {
		switch {
		case p.score > q.score:
			return -1
		case p.score < q.score:
			return 1
		}
		return int(p.node) - int(q.node)
	})
	sel := x.selectNeighbors(cs, mMax)
	links := make([]uint32, len(sel))
	for i, c := range sel {
		links[i] = c.node
	}
	x.setNeighbors(a, l, links)
}

// selectNeighbors is the heuristic of Malkov & Yashunin (alg. 4): walk the
// candidates best first and keep one only if it is closer to the base than
// to every neighbour already kept, which spreads links across directions.
// cands must be sorted best first.
func (x *Index) selectNeighbors(cands []cand, m int) []cand {
	if len(cands) <= m {
		return cands
	}
	out := make([]cand, 0, m)
	for _, c := range cands {
		if len(out) == m {
			break
		}
		vc := x.vec(c.node)
		good := true
		for _, r := range out {
			if vek32.Dot(vc, x.vec(r.node)) > c.score {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
		}
	}
	return out
}

func (x *Index) greedy(q []float32, ep cand, level int) cand {
	for changed := true; changed; {
		changed = false
		for _, nb := range x.neighbors(ep.node, level) {
			if s := vek32.Dot(q, x.vec(nb)); s > ep.score {
				ep, changed = cand{nb, s}, true
			}
		}
	}
	return ep
}

// searchLayer returns up to ef nodes nearest q on one level, best first.
func (x *Index) searchLayer(q []float32, eps []cand, ef, level int, vs *visitSet) []cand {
	var cands candMaxHeap
	var res candMinHeap
	for _, e := range eps {
		vs.seen[e.node] = vs.gen
		cands.push(e)
		res.push(e)
	}
	for len(cands) > 0 {
		c := cands.pop()
		if len(res) >= ef && c.score < res[0].score {
			break
		}
		for _, nb := range x.neighbors(c.node, level) {
			if vs.seen[nb] == vs.gen {
				continue
			}
			vs.seen[nb] = vs.gen
			s := vek32.Dot(q, x.vec(nb))
			if len(res) < ef || s > res[0].score {
				cands.push(cand{nb, s})
				res.push(cand{nb, s})
				if len(res) > ef {
					res.pop()
				}
			}
		}
	}
	out := make([]cand, len(res))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = res.pop()
	}
	return out
}

// Search returns up to k live vectors nearest q among those allow accepts
// (nil accepts all), best first with ties by ascending id. ef <= 0 uses the
// default; ef is raised to k.
func (x *Index) Search(q []float32, k, ef int, allow func(id uint32) bool) []Neighbor {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if k <= 0 || len(x.ids) == 0 {
		return nil
	}
	if ef <= 0 {
		ef = x.efSearch
	}
	ef = max(ef, k)
	ep := cand{x.entry, vek32.Dot(q, x.vec(x.entry))}
	for l := x.maxLevel; l > 0; l-- {
		ep = x.greedy(q, ep, l)
	}
	vs := x.getVisit()
	w := x.searchLayer(q, []cand{ep}, ef, 0, vs)
	x.visited.Put(vs)
	out := make([]Neighbor, 0, k)
	for _, c := range w {
		if x.deleted[c.node] {
			continue
		}
		id := x.ids[c.node]
		if allow != nil && !allow(id) {
			continue
		}
		out = append(out, Neighbor{ID: id, Score: c.score})
	}
	slices.SortFunc(out, func(a, b Neighbor) int {
		if flat.Better(a, b) {
			return -1
		}
		if flat.Better(b, a) {
			return 1
		}
		return 0
	})
	return out[:min(k, len(out))]
}

// candMaxHeap pops the best candidate; candMinHeap keeps the worst on top.
type candMaxHeap []cand
type candMinHeap []cand

func (h *candMaxHeap) push(c cand) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].score >= s[i].score {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *candMaxHeap) pop() cand {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].score > s[m].score {
			m = l
		}
		if r < len(s) && s[r].score > s[m].score {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

func (h *candMinHeap) push(c cand) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].score <= s[i].score {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *candMinHeap) pop() cand {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].score < s[m].score {
			m = l
		}
		if r < len(s) && s[r].score < s[m].score {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
