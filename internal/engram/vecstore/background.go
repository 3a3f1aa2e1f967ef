package vecstore

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/subnetkit/subnetkit/internal/engram/vecstore/hnsw"
)

// indexBatch is how many vectors the indexer moves into a graph per lock.
const indexBatch = 256

// background promotes large namespaces to HNSW, moves pending vectors into
// graphs, tunes efSearch and triggers snapshots. It exits on Close.
func (s *Store) background() {
	defer s.bgDone.Done()
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		for s.indexStep() {
			select {
			case <-s.stop:
				return
			default:
			}
		}
		s.mu.RLock()
		due := s.cfg.SnapshotEvery > 0 && s.snapBytes >= s.cfg.SnapshotEvery
		s.mu.RUnlock()
		if due {
			if err := s.Snapshot(context.Background()); err != nil {
				s.cfg.Logger.Error("background snapshot failed", "err", err)
			} else {
				s.m.snapshots.Inc()
			}
		}
	}
}

// indexStep does one unit of indexing work and reports whether there may
// be more.
func (s *Store) indexStep() bool {
	s.mu.RLock()
	var todo []*space
	for _, sp := range s.spaces {
		todo = append(todo, sp)
	}
	s.mu.RUnlock()
	more := false
	for _, sp := range todo {
		if sp.graph.Load() == nil && sp.exact.Len() > s.cfg.ExactMax {
			sp.graph.Store(hnsw.New(s.cfg.Dim, s.cfg.HNSW))
			s.cfg.Logger.Info("namespace switched to HNSW", "namespace", sp.ns, "vectors", sp.exact.Len())
		}
		g := sp.graph.Load()
		if g == nil {
			continue
		}
		moved := 0
		for _, id := range sp.exact.IDs(indexBatch) {
			// Hold the space lock per vector only, so deletes interleave and
			// searches (which never take it) are not held up.
			sp.mu.Lock()
			if v, ok := sp.exact.Vector(id); ok {
				g.Add(id, v)
				sp.exact.Delete(id)
				moved++
			}
			sp.mu.Unlock()
		}
		if moved == indexBatch {
			more = true
		}
		// Tune when the pending buffer drains and the graph has doubled
		// since the last tuning.
		sp.mu.Lock()
		tune := moved > 0 && sp.exact.Len() == 0 && g.Len() >= 2*sp.tunedAt
		if tune {
			sp.tunedAt = g.Len()
		}
		sp.mu.Unlock()
		if tune {
			s.tune(sp, g)
		}
	}
	return more
}

// tune sets g's efSearch to the smallest value whose recall@10 on sample
// queries (stored vectors, slightly perturbed) meets the target.
func (s *Store) tune(sp *space, g *hnsw.Index) {
	s.mu.RLock()
	ids := append([]uint32(nil), sp.ids...)
	s.mu.RUnlock()
	if len(ids) < 100 {
		return
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(uint64(len(ids)), 42))
	const samples = 40
	queries := make([][]float32, 0, samples)
	truth := make([]map[uint32]bool, 0, samples)
	pick := func() []float32 {
		for {
			s.mu.RLock()
			e, ok := s.byID[ids[r.IntN(len(ids))]]
			s.mu.RUnlock()
			if ok {
				return e.vec
			}
		}
	}
	for len(queries) < samples {
		// Half the queries sit near a stored vector, half between two:
		// the second kind is far harder for a graph and keeps the tuner
		// honest about queries unlike anything stored.
		a := pick()
		q := make([]float32, len(a))
		if len(queries)%2 == 0 {
			for i, x := range a {
				q[i] = x + float32(r.NormFloat64()*0.05)
			}
		} else {
			b := pick()
			for i := range a {
				q[i] = a[i] + b[i] + float32(r.NormFloat64()*0.05)
			}
		}
		var n float64
		for _, x := range q {
			n += float64(x) * float64(x)
		}
		for i := range q {
			q[i] = float32(float64(q[i]) / math.Sqrt(n))
		}
		queries = append(queries, q)
		t := map[uint32]bool{}
		for _, n := range s.filteredScan(sp, q, 10, nil) {
			t[n.ID] = true
		}
		truth = append(truth, t)
	}
	chosen := 0
	var got float64
	// The tuner only raises ef above the configured default: its sample
	// queries come from the stored data, and queries unlike anything
	// stored need more than those samples show.
	floor := g.DefaultEf()
	for _, ef := range []int{16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512} {
		if ef < floor {
			continue
		}
		hit, total := 0, 0
		for i, q := range queries {
			for _, n := range g.Search(q, 10, ef, nil) {
				if truth[i][n.ID] {
					hit++
				}
			}
			total += len(truth[i])
		}
		got = float64(hit) / float64(max(total, 1))
		chosen = ef
		if got >= s.cfg.TargetRecall {
			break
		}
	}
	g.SetEfSearch(chosen)
	s.cfg.Logger.Info("efSearch tuned", "namespace", sp.ns, "ef_search", chosen, "recall_at_10", got,
		"target", s.cfg.TargetRecall, "ms", time.Since(start).Milliseconds())
}
