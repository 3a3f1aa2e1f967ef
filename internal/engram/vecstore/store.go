package vecstore

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore/flat"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore/hnsw"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore/wal"
	"github.com/subnetkit/subnetkit/internal/vfs"
	"github.com/viterin/vek/vek32"
)

const snapMagic = "EGRMSNP1"

// ErrClosed is returned after Close.
var ErrClosed = errors.New("vecstore: closed")

// ErrDimension is returned by Put for a vector of the wrong length.
var ErrDimension = errors.New("vecstore: wrong vector dimension")

// Config configures a Store. Zero fields take the defaults.
type Config struct {
	// Dir is the data directory.
	Dir string
	// FS is the file system (default the OS).
	FS vfs.FS
	// Dim is the vector dimension (default 384).
	Dim int
	// HNSW holds the graph parameters of large namespaces.
	HNSW hnsw.Config
	// ExactMax is the namespace size up to which search is an exact scan
	// (default 20 000: about 0.5 ms per query at 384 dimensions).
	ExactMax int
	// TargetRecall is the recall@10 the efSearch tuner aims for (default 0.95).
	TargetRecall float64
	// SnapshotEvery is the log size in bytes after which a background
	// snapshot compacts the log (default 64 MiB; negative disables).
	SnapshotEvery int64
	// Logger receives lifecycle logs (default: discard).
	Logger *slog.Logger
	// Registerer registers the store's metrics (nil: none).
	Registerer prometheus.Registerer
}

func (c Config) withDefaults() Config {
	if c.FS == nil {
		c.FS = vfs.OS{}
	}
	if c.Dim <= 0 {
		c.Dim = 384
	}
	if c.ExactMax <= 0 {
		c.ExactMax = 20_000
	}
	if c.TargetRecall <= 0 {
		c.TargetRecall = 0.95
	}
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 64 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// PutResult reports what Put did with one record.
type PutResult struct {
	// Seq is the record's ingestion sequence number.
	Seq uint64
	// Existed is true when the (namespace, CID) was already stored; the
	// store kept the existing record.
	Existed bool
}

// Hit is a search result.
type Hit struct {
	CID      string
	Score    float32
	Metadata json.RawMessage
}

type key struct{ ns, cid string }

type entry struct {
	rec *Record
	id  uint32
	vec []float32 // rec.Vector, L2-normalised (aliases it when already unit length)
}

// unitVector returns v when its norm is 1 within float32 rounding, else a
// normalised copy: the index scores by dot product, which is cosine only
// for unit vectors, while the record keeps the exact bytes it was given.
func unitVector(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if math.Abs(n-1) < 1e-5 || n == 0 {
		return v
	}
	out := make([]float32, len(v))
	inv := 1 / math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out
}

type space struct {
	ns    string
	ids   []uint32 // ingestion order (deleted ids removed lazily)
	count int

	exact   *flat.Index
	mu      sync.Mutex                 // serialises moving vectors between exact and graph with deletes
	graph   atomic.Pointer[hnsw.Index] // nil while the namespace is small; read without mu
	tunedAt int                        // graph size at the last efSearch tuning (guarded by mu)
}

// Store is an open vector store.
type Store struct {
	cfg Config
	log *wal.WAL
	m   *metrics

	mu      sync.RWMutex
	byKey   map[key]*entry
	byID    map[uint32]*entry
	spaces  map[string]*space
	nextID  uint32
	nextSeq uint64
	closed  bool

	snapMu    sync.Mutex // one snapshot at a time
	snapBytes int64      // log bytes since the last snapshot

	wake   chan struct{}
	stop   chan struct{}
	bgDone sync.WaitGroup
}

// Open opens or creates the store in cfg.Dir, recovering its contents.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("vecstore: Config.Dir is required")
	}
	s := &Store{
		cfg: cfg, m: newMetrics(cfg.Registerer),
		byKey: map[key]*entry{}, byID: map[uint32]*entry{}, spaces: map[string]*space{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}),
	}
	if err := cfg.FS.MkdirAll(cfg.Dir); err != nil {
		return nil, fmt.Errorf("vecstore: create %s: %w", cfg.Dir, err)
	}
	from, n, err := s.loadSnapshot()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	walCfg := wal.Config{
		FS: cfg.FS, Dir: filepath.Join(cfg.Dir, "wal"),
		OnSync: s.m.onSync,
		Clock:  func() float64 { return float64(time.Now().UnixNano()) / 1e9 },
	}
	log, info, err := wal.Open(walCfg, from, s.replay)
	if err != nil {
		return nil, fmt.Errorf("vecstore: recover log: %w", err)
	}
	s.log = log
	if info.TruncatedAt >= 0 {
		s.m.truncations.Inc()
		cfg.Logger.Warn("log tail was torn or damaged; truncated", "offset", info.TruncatedAt, "bytes", info.TruncatedLen)
	}
	cfg.Logger.Info("store opened", "dir", cfg.Dir, "snapshot_records", n,
		"log_records", info.Records, "vectors", len(s.byKey), "recovery_ms", time.Since(start).Milliseconds())
	s.m.vectors.Set(float64(len(s.byKey)))
	s.bgDone.Add(1)
	go s.background()
	s.kick()
	return s, nil
}

// replay applies one recovered record.
func (s *Store) replay(r wal.Record) error {
	switch r.Type {
	case typePut:
		rec, err := decodePut(r.Payload)
		if err != nil {
			return err
		}
		// A record's sequence number is its position in the log.
		s.mu.Lock()
		rec.Seq = s.nextSeq
		s.nextSeq++
		s.mu.Unlock()
		s.applyPut(rec)
	case typeDelete:
		ns, cid, err := decodeDelete(r.Payload)
		if err != nil {
			return err
		}
		s.applyDelete(ns, cid)
	default:
		return fmt.Errorf("vecstore: unknown record type %d", r.Type)
	}
	return nil
}

func (s *Store) spaceLocked(ns string) *space {
	sp := s.spaces[ns]
	if sp == nil {
		sp = &space{ns: ns, exact: flat.New(s.cfg.Dim)}
		s.spaces[ns] = sp
	}
	return sp
}

// applyPut adds rec unless its key exists; it reports the stored sequence
// number and whether the key existed. Caller must not hold s.mu.
func (s *Store) applyPut(rec *Record) (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key{rec.Namespace, rec.CID}
	if e, ok := s.byKey[k]; ok {
		return e.rec.Seq, true
	}
	if rec.Seq >= s.nextSeq {
		s.nextSeq = rec.Seq + 1
	}
	e := &entry{rec: rec, id: s.nextID, vec: unitVector(rec.Vector)}
	s.nextID++
	s.byKey[k] = e
	s.byID[e.id] = e
	sp := s.spaceLocked(rec.Namespace)
	sp.ids = append(sp.ids, e.id)
	sp.count++
	sp.exact.Add(e.id, e.vec)
	return rec.Seq, false
}

func (s *Store) applyDelete(ns, cid string) bool {
	s.mu.Lock()
	e, ok := s.byKey[key{ns, cid}]
	if !ok {
		s.mu.Unlock()
		return false
	}
	delete(s.byKey, key{ns, cid})
	delete(s.byID, e.id)
	sp := s.spaces[ns]
	sp.count--
	s.mu.Unlock()
	sp.mu.Lock()
	sp.exact.Delete(e.id)
	if g := sp.graph.Load(); g != nil {
		g.Delete(e.id)
	}
	sp.mu.Unlock()
	return true
}

// Put stores records durably. Each record's Vector must have Config.Dim
// values; Seq is assigned. Records whose (namespace, CID) is already stored
// are not written again (Existed). The vectors are owned by the store after
// Put; callers must not modify them.
func (s *Store) Put(ctx context.Context, recs ...Record) ([]PutResult, error) {
	out := make([]PutResult, len(recs))
	var todo []int
	s.mu.RLock()
	closed := s.closed
	for i := range recs {
		if len(recs[i].Vector) != s.cfg.Dim {
			s.mu.RUnlock()
			return nil, fmt.Errorf("%w: got %d, want %d", ErrDimension, len(recs[i].Vector), s.cfg.Dim)
		}
		if e, ok := s.byKey[key{recs[i].Namespace, recs[i].CID}]; ok {
			out[i] = PutResult{Seq: e.rec.Seq, Existed: true}
			continue
		}
		todo = append(todo, i)
	}
	s.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if len(todo) == 0 {
		return out, nil
	}
	owned := make([]*Record, len(todo))
	logRecs := make([]wal.Record, len(todo))
	apply := func() {
		// Runs on the log's committer goroutine, in log order.
		s.mu.Lock()
		for j := range owned {
			owned[j].Seq = s.nextSeq
			s.nextSeq++
		}
		s.mu.Unlock()
		for j, i := range todo {
			seq, existed := s.applyPut(owned[j])
			out[i] = PutResult{Seq: seq, Existed: existed}
		}
	}
	var size int64
	for j, i := range todo {
		r := recs[i]
		if len(r.Metadata) == 0 {
			r.Metadata = json.RawMessage("{}")
		}
		owned[j] = &r
		// The payload is encoded with a placeholder sequence number; the
		// true one is the record's position in the log, so replay assigns
		// the same numbers in the same order.
		logRecs[j] = wal.Record{Type: typePut, Payload: encodePut(owned[j])}
		size += int64(len(logRecs[j].Payload))
	}
	if err := s.log.Append(ctx, logRecs, apply); err != nil {
		return nil, fmt.Errorf("vecstore: put: %w", err)
	}
	s.m.vectors.Set(float64(s.Len()))
	s.noteWritten(size)
	return out, nil
}

// Delete removes a record durably and reports whether it existed.
func (s *Store) Delete(ctx context.Context, ns, cid string) (bool, error) {
	s.mu.RLock()
	_, ok := s.byKey[key{ns, cid}]
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return false, ErrClosed
	}
	if !ok {
		return false, nil
	}
	var existed bool
	payload := encodeDelete(ns, cid)
	if err := s.log.Append(ctx, []wal.Record{{Type: typeDelete, Payload: payload}}, func() {
		existed = s.applyDelete(ns, cid)
	}); err != nil {
		return false, fmt.Errorf("vecstore: delete: %w", err)
	}
	s.m.vectors.Set(float64(s.Len()))
	s.noteWritten(int64(len(payload)))
	return existed, nil
}

// Get returns the record stored under (ns, cid). The returned record shares
// its Vector and Metadata with the store: callers must not modify them.
func (s *Store) Get(ns, cid string) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.byKey[key{ns, cid}]
	if !ok {
		return Record{}, false
	}
	return *e.rec, true
}

// Len returns the number of records in all namespaces.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byKey)
}

// NamespaceLen returns the number of records in ns.
func (s *Store) NamespaceLen(ns string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sp := s.spaces[ns]; sp != nil {
		return sp.count
	}
	return 0
}

// Namespaces returns the namespaces holding records, sorted.
func (s *Store) Namespaces() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for ns, sp := range s.spaces {
		if sp.count > 0 {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// List returns up to limit records of ns that match filter (nil matches
// all), skipping the first offset matches, in ingestion order.
func (s *Store) List(ns string, offset, limit int, filter func(json.RawMessage) bool) []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.spaces[ns]
	if sp == nil || limit <= 0 {
		return nil
	}
	var out []Record
	live := sp.ids[:0:0]
	for _, id := range sp.ids {
		e, ok := s.byID[id]
		if !ok {
			continue
		}
		live = append(live, id)
		if filter != nil && !filter(e.rec.Metadata) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(out) < limit {
			out = append(out, *e.rec)
		}
	}
	return out
}

// Search returns the k records of ns most similar to q (dot product of
// normalised vectors), best first with ties by ascending CID. filter, if
// not nil, is applied before ranking: when at least k records match, k are
// returned.
func (s *Store) Search(ns string, q []float32, k int, filter func(json.RawMessage) bool) []Hit {
	if k <= 0 || len(q) != s.cfg.Dim {
		return nil
	}
	s.mu.RLock()
	sp := s.spaces[ns]
	s.mu.RUnlock()
	if sp == nil {
		return nil
	}
	var allow func(uint32) bool
	if filter != nil {
		allow = func(id uint32) bool {
			s.mu.RLock()
			e, ok := s.byID[id]
			s.mu.RUnlock()
			return ok && filter(e.rec.Metadata)
		}
	}
	// Over-fetch a little so ties at the k-th score can be broken by CID.
	fetch := k + 4
	// The indexer adds a vector to the graph before removing it from the
	// exact index, so every vector is in at least one of the two.
	g := sp.graph.Load()
	res := sp.exact.Search(q, fetch, allow)
	if g != nil {
		var gres []flat.Neighbor
		if filter != nil {
			// A filter may exclude most of the graph's neighbourhood: scan
			// exactly instead of returning too few.
			gres = s.filteredScan(sp, q, fetch, allow)
		} else {
			gres = g.Search(q, fetch, 0, nil)
		}
		res = mergeNeighbors(res, gres)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	hits := make([]Hit, 0, len(res))
	for _, n := range res {
		e, ok := s.byID[n.ID]
		if !ok {
			continue
		}
		hits = append(hits, Hit{CID: e.rec.CID, Score: n.Score, Metadata: e.rec.Metadata})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.CID, b.CID)
	})
	return hits[:min(k, len(hits))]
}

// filteredScan scores every vector of the namespace that passes allow
// (nil: all) and returns the best k.
func (s *Store) filteredScan(sp *space, q []float32, k int, allow func(uint32) bool) []flat.Neighbor {
	s.mu.RLock()
	ids := slices.Clone(sp.ids)
	s.mu.RUnlock()
	h := make(flat.MinHeap, 0, k+1)
	for _, id := range ids {
		if allow != nil && !allow(id) {
			continue
		}
		s.mu.RLock()
		e, ok := s.byID[id]
		s.mu.RUnlock()
		if !ok {
			continue
		}
		n := flat.Neighbor{ID: id, Score: vek32.Dot(q, e.vec)}
		if len(h) < k {
			heap.Push(&h, n)
		} else if flat.Better(n, h[0]) {
			h[0] = n
			heap.Fix(&h, 0)
		}
	}
	return h.Sorted()
}

func mergeNeighbors(a, b []flat.Neighbor) []flat.Neighbor {
	seen := make(map[uint32]bool, len(a)+len(b))
	out := make([]flat.Neighbor, 0, len(a)+len(b))
	for _, n := range append(a, b...) {
		if !seen[n.ID] {
			seen[n.ID] = true
			out = append(out, n)
		}
	}
	return out
}

func (s *Store) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Store) noteWritten(n int64) {
	s.mu.Lock()
	s.snapBytes += n
	s.mu.Unlock()
	s.kick()
}

// Stats describes the store.
type Stats struct {
	Vectors    int              `json:"vectors"`
	Namespaces map[string]Space `json:"namespaces"`
	LogBytes   int64            `json:"log_bytes"`
}

// Space describes one namespace's index.
type Space struct {
	Vectors   int    `json:"vectors"`
	Mode      string `json:"mode"` // "exact" or "hnsw"
	Pending   int    `json:"pending"`
	EfSearch  int    `json:"ef_search,omitempty"`
	Tombstone int    `json:"tombstones,omitempty"`
}

// Stats returns a snapshot of the store's state.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	st := Stats{Vectors: len(s.byKey), Namespaces: map[string]Space{}}
	spaces := make([]*space, 0, len(s.spaces))
	for _, sp := range s.spaces {
		spaces = append(spaces, sp)
	}
	s.mu.RUnlock()
	for _, sp := range spaces {
		info := Space{Vectors: sp.count, Mode: "exact"}
		if g := sp.graph.Load(); g != nil {
			info.Mode, info.EfSearch, info.Tombstone, info.Pending = "hnsw", g.EfSearch(), g.Tombstones(), sp.exact.Len()
		}
		st.Namespaces[sp.ns] = info
	}
	if s.log != nil {
		st.LogBytes = s.log.Size()
	}
	return st
}

// Close stops background work, waits for queued writes and closes the log.
// It is idempotent.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	s.bgDone.Wait()
	return s.log.Close()
}

// loadSnapshot loads the newest complete snapshot and returns the log
// segment id it covers up to.
func (s *Store) loadSnapshot() (uint64, int, error) {
	names, err := s.cfg.FS.List(s.cfg.Dir)
	if err != nil {
		return 0, 0, fmt.Errorf("vecstore: list %s: %w", s.cfg.Dir, err)
	}
	var ids []uint64
	for _, n := range names {
		if id, ok := parseSnapName(n); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for i := len(ids) - 1; i >= 0; i-- {
		recs, next, err := s.readSnapshot(ids[i])
		if err != nil {
			s.cfg.Logger.Warn("skipping unreadable snapshot", "snapshot", ids[i], "err", err)
			continue
		}
		for _, r := range recs {
			s.applyPut(r)
		}
		s.nextSeq = max(s.nextSeq, next)
		return ids[i], len(recs), nil
	}
	return 0, 0, nil
}

func snapName(dir string, id uint64) string {
	return filepath.Join(dir, fmt.Sprintf("snapshot-%016d.snap", id))
}

func parseSnapName(n string) (uint64, bool) {
	if !strings.HasPrefix(n, "snapshot-") || !strings.HasSuffix(n, ".snap") {
		return 0, false
	}
	id, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(n, "snapshot-"), ".snap"), 10, 64)
	return id, err == nil
}

// readSnapshot returns a snapshot's records and the next sequence number
// at the time it was taken.
func (s *Store) readSnapshot(id uint64) ([]*Record, uint64, error) {
	f, err := s.cfg.FS.Open(snapName(s.cfg.Dir, id))
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return nil, 0, err
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil && size > 0 {
		return nil, 0, err
	}
	if !bytes.HasPrefix(b, []byte(snapMagic)) {
		return nil, 0, errors.New("bad snapshot header")
	}
	b = b[len(snapMagic):]
	var recs []*Record
	for {
		r, n, err := wal.DecodeRecord(b)
		if err != nil {
			return nil, 0, fmt.Errorf("snapshot record %d: %w", len(recs), err)
		}
		b = b[n:]
		if r.Type == typeEnd {
			if len(r.Payload) != 16 || binary.LittleEndian.Uint64(r.Payload) != uint64(len(recs)) || len(b) != 0 {
				return nil, 0, errors.New("snapshot trailer does not match its records")
			}
			return recs, binary.LittleEndian.Uint64(r.Payload[8:]), nil
		}
		if r.Type != typePut {
			return nil, 0, fmt.Errorf("snapshot record type %d", r.Type)
		}
		rec, err := decodePut(r.Payload)
		if err != nil {
			return nil, 0, err
		}
		recs = append(recs, rec)
	}
}

// Snapshot writes every record to a snapshot file and removes the log
// segments it covers.
func (s *Store) Snapshot(ctx context.Context) error {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	var recs []*Record
	var seg, next uint64
	err := s.log.RotateBarrier(ctx, func(id uint64) {
		seg = id
		s.mu.Lock()
		recs = make([]*Record, 0, len(s.byKey))
		for _, e := range s.byKey {
			recs = append(recs, e.rec)
		}
		next = s.nextSeq
		s.snapBytes = 0
		s.mu.Unlock()
	})
	if err != nil {
		return fmt.Errorf("vecstore: snapshot barrier: %w", err)
	}
	slices.SortFunc(recs, func(a, b *Record) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	start := time.Now()
	buf := []byte(snapMagic)
	for _, r := range recs {
		buf = wal.EncodeRecord(buf, wal.Record{Type: typePut, Payload: encodePut(r)})
	}
	buf = wal.EncodeRecord(buf, wal.Record{Type: typeEnd, Payload: binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, uint64(len(recs))), next)})
	tmp := filepath.Join(s.cfg.Dir, "snapshot.tmp")
	f, err := s.cfg.FS.Create(tmp)
	if err != nil {
		return fmt.Errorf("vecstore: snapshot: %w", err)
	}
	if _, err = f.Write(buf); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("vecstore: write snapshot: %w", err)
	}
	if err := s.cfg.FS.Rename(tmp, snapName(s.cfg.Dir, seg)); err != nil {
		return fmt.Errorf("vecstore: install snapshot: %w", err)
	}
	if err := s.cfg.FS.SyncDir(s.cfg.Dir); err != nil {
		return fmt.Errorf("vecstore: sync dir: %w", err)
	}
	// Only now is the snapshot durable: drop what it covers.
	if err := s.log.RemoveBefore(seg); err != nil {
		return fmt.Errorf("vecstore: compact log: %w", err)
	}
	names, _ := s.cfg.FS.List(s.cfg.Dir)
	for _, n := range names {
		if id, ok := parseSnapName(n); ok && id < seg {
			_ = s.cfg.FS.Remove(filepath.Join(s.cfg.Dir, n))
		}
	}
	s.cfg.Logger.Info("snapshot written", "records", len(recs), "segment", seg, "bytes", len(buf), "ms", time.Since(start).Milliseconds())
	return nil
}
