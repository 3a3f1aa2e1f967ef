package vecstore

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/engram/vecstore/flat"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

const dim = 32

func unit(r *rand.Rand, d int) []float32 {
	v := make([]float32, d)
	var n float64
	for i := range v {
		x := r.NormFloat64()
		v[i] = float32(x)
		n += x * x
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / math.Sqrt(n))
	}
	return v
}

func mkRec(i int, ns string, r *rand.Rand) Record {
	return Record{Namespace: ns, CID: fmt.Sprintf("v1::%064x", i), Vector: unit(r, dim),
		Metadata: json.RawMessage(fmt.Sprintf(`{"i":%d,"even":%v}`, i, i%2 == 0))}
}

func open(t testing.TB, fsys vfs.FS, mut func(*Config)) *Store {
	t.Helper()
	cfg := Config{Dir: "/data", FS: fsys, Dim: dim}
	if mut != nil {
		mut(&cfg)
	}
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestPutGetDeleteList(t *testing.T) {
	fsys := vfs.NewMem()
	s := open(t, fsys, nil)
	r := rand.New(rand.NewPCG(1, 1))
	var recs []Record
	for i := range 20 {
		recs = append(recs, mkRec(i, "__public__", r))
	}
	res, err := s.Put(t.Context(), recs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, pr := range res {
		if pr.Existed || pr.Seq != uint64(i) {
			t.Fatalf("Put result %d = %+v, want seq %d new", i, pr, i)
		}
	}
	again, _ := s.Put(t.Context(), recs[3])
	if !again[0].Existed || again[0].Seq != 3 || s.Len() != 20 {
		t.Fatalf("re-put = %+v (len %d), want existed seq 3, len 20", again[0], s.Len())
	}
	got, ok := s.Get("__public__", recs[5].CID)
	if !ok || got.Vector[0] != recs[5].Vector[0] || string(got.Metadata) != string(recs[5].Metadata) {
		t.Fatalf("Get = %+v, %v", got, ok)
	}
	if _, ok := s.Get("other", recs[5].CID); ok {
		t.Fatal("record visible in another namespace")
	}
	if ok, err := s.Delete(t.Context(), "__public__", recs[5].CID); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if ok, _ := s.Delete(t.Context(), "__public__", recs[5].CID); ok {
		t.Fatal("second Delete reported true")
	}
	list := s.List("__public__", 2, 5, nil)
	if len(list) != 5 || list[0].CID != recs[2].CID || list[3].CID != recs[6].CID {
		t.Fatalf("List(offset 2, limit 5) = %v", cids(list))
	}
	even := s.List("__public__", 0, 100, func(m json.RawMessage) bool { return strings.Contains(string(m), `"even":true`) })
	if len(even) != 10 {
		t.Fatalf("filtered List = %d records, want 10", len(even))
	}
	if _, err := s.Put(t.Context(), Record{Namespace: "x", CID: "c", Vector: []float32{1}}); err == nil {
		t.Fatal("Put accepted a wrong-dimension vector")
	}
	s.Close()
	// Everything acknowledged survives a crash.
	s2 := open(t, fsys.CrashClone(), nil)
	defer s2.Close()
	if s2.Len() != 19 {
		t.Fatalf("after restart Len = %d, want 19", s2.Len())
	}
	if _, ok := s2.Get("__public__", recs[5].CID); ok {
		t.Fatal("deleted record came back after restart")
	}
	if got, _ := s2.Get("__public__", recs[7].CID); got.Seq != 7 {
		t.Fatalf("Seq after replay = %d, want 7", got.Seq)
	}
	res, _ = s2.Put(t.Context(), mkRec(100, "__public__", r))
	if res[0].Seq != 20 {
		t.Fatalf("next Seq after restart = %d, want 20", res[0].Seq)
	}
}

func cids(rs []Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.CID[len(r.CID)-4:])
	}
	return out
}

func bruteForce(vecs map[string][]float32, q []float32, k int) map[string]bool {
	ex := flat.New(dim)
	names := map[uint32]string{}
	i := uint32(0)
	for c, v := range vecs {
		ex.Add(i, v)
		names[i] = c
		i++
	}
	out := map[string]bool{}
	for _, n := range ex.Search(q, k, nil) {
		out[names[n.ID]] = true
	}
	return out
}

// TestSearchRecallHNSW forces the HNSW path with a small ExactMax and
// checks recall against brute force, deletes and filters.
func TestSearchRecallHNSW(t *testing.T) {
	fsys := vfs.NewMem()
	s := open(t, fsys, func(c *Config) { c.ExactMax = 500 })
	defer s.Close()
	r := rand.New(rand.NewPCG(2, 2))
	vecs := map[string][]float32{}
	var batch []Record
	for i := range 5000 {
		rec := mkRec(i, "__public__", r)
		vecs[rec.CID] = rec.Vector
		batch = append(batch, rec)
		if len(batch) == 250 {
			if _, err := s.Put(t.Context(), batch...); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	for i := 0; i < 5000; i += 10 {
		c := fmt.Sprintf("v1::%064x", i)
		s.Delete(t.Context(), "__public__", c)
		delete(vecs, c)
	}
	// Wait (polling with a deadline) until the indexer has moved everything.
	deadline := time.Now().Add(30 * time.Second)
	for s.Stats().Namespaces["__public__"].Pending > 0 || s.Stats().Namespaces["__public__"].Mode != "hnsw" {
		if time.Now().After(deadline) {
			t.Fatalf("indexer did not finish: %+v", s.Stats())
		}
		s.kick()
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
	var hit, total int
	for range 50 {
		q := unit(r, dim)
		truth := bruteForce(vecs, q, 10)
		for _, h := range s.Search("__public__", q, 10, nil) {
			if _, ok := vecs[h.CID]; !ok {
				t.Fatalf("deleted %s returned", h.CID)
			}
			if truth[h.CID] {
				hit++
			}
		}
		total += 10
		even := s.Search("__public__", q, 10, func(m json.RawMessage) bool { return strings.Contains(string(m), `"even":true`) })
		if len(even) != 10 {
			t.Fatalf("filtered search = %d hits, want 10", len(even))
		}
		for _, h := range even {
			if !strings.Contains(string(h.Metadata), `"even":true`) {
				t.Fatalf("filter not applied: %s", h.Metadata)
			}
		}
	}
	t.Logf("stats: %+v", s.Stats())
	if rec := float64(hit) / float64(total); rec < 0.95 {
		t.Fatalf("recall@10 = %.3f, want >= 0.95", rec)
	}
	if got := s.Search("private_ns", unit(r, dim), 10, nil); len(got) != 0 {
		t.Fatalf("empty namespace returned %d hits", len(got))
	}
}

func TestSearchSeesPutImmediately(t *testing.T) {
	s := open(t, vfs.NewMem(), func(c *Config) { c.ExactMax = 10 })
	defer s.Close()
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 300 {
		rec := mkRec(i, "__public__", r)
		if _, err := s.Put(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
		hits := s.Search("__public__", rec.Vector, 1, nil)
		if len(hits) != 1 || hits[0].CID != rec.CID {
			t.Fatalf("record %d not searchable right after Put: %v", i, hits)
		}
	}
}

func TestSnapshotRestartAndCompaction(t *testing.T) {
	fsys := vfs.NewMem()
	s := open(t, fsys, func(c *Config) { c.SnapshotEvery = -1 })
	r := rand.New(rand.NewPCG(4, 4))
	var recs []Record
	for i := range 50 {
		recs = append(recs, mkRec(i, "ns_a", r))
	}
	s.Put(t.Context(), recs[:30]...)
	s.Delete(t.Context(), "ns_a", recs[0].CID)
	if err := s.Snapshot(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.Put(t.Context(), recs[30:]...)
	s.Delete(t.Context(), "ns_a", recs[40].CID)
	segs, _ := fsys.List("/data/wal")
	if len(segs) != 1 {
		t.Fatalf("segments after snapshot = %v, want only the new one", segs)
	}
	crashed := fsys.CrashClone()
	s.Close()
	s2 := open(t, crashed, nil)
	defer s2.Close()
	if s2.Len() != 48 {
		t.Fatalf("Len after snapshot+log restart = %d, want 48", s2.Len())
	}
	list := s2.List("ns_a", 0, 100, nil)
	for i := 1; i < len(list); i++ {
		if list[i].Seq <= list[i-1].Seq {
			t.Fatalf("ingestion order broken at %d: %d then %d", i, list[i-1].Seq, list[i].Seq)
		}
	}
	if list[0].CID != recs[1].CID || list[len(list)-1].CID != recs[49].CID {
		t.Fatalf("list order = %v ... %v", list[0].CID, list[len(list)-1].CID)
	}
}

// TestCrashAtRandomPointsKeepsAcked clones the file system (keeping only
// synced bytes) while writers run and checks every write acknowledged
// before the clone is in the clone.
func TestCrashAtRandomPointsKeepsAcked(t *testing.T) {
	for round := range 5 {
		fsys := vfs.NewMem()
		s := open(t, fsys, func(c *Config) { c.SnapshotEvery = 4096 })
		var mu sync.Mutex
		acked := map[string][]float32{}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					rec := mkRec(w*1_000_000+i, "__public__", r)
					if _, err := s.Put(context.Background(), rec); err != nil {
						return
					}
					mu.Lock()
					acked[rec.CID] = rec.Vector
					mu.Unlock()
				}
			})
		}
		for {
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= 200+round*100 {
				break
			}
			time.Sleep(time.Millisecond) // polling interval
		}
		mu.Lock()
		snapshot := make(map[string][]float32, len(acked))
		for k, v := range acked {
			snapshot[k] = v
		}
		crashed := fsys.CrashClone()
		mu.Unlock()
		close(stop)
		wg.Wait()
		s.Close()
		s2 := open(t, crashed, nil)
		for cid, v := range snapshot {
			got, ok := s2.Get("__public__", cid)
			if !ok {
				t.Fatalf("round %d: acknowledged %s lost", round, cid)
			}
			for i := range v {
				if got.Vector[i] != v[i] {
					t.Fatalf("round %d: %s vector changed", round, cid)
				}
			}
		}
		s2.Close()
	}
}

func TestFaultyFSPutFails(t *testing.T) {
	fsys := vfs.NewMem()
	s := open(t, fsys, nil)
	defer s.Close()
	r := rand.New(rand.NewPCG(5, 5))
	fsys.FailSync(1)
	rec := mkRec(1, "__public__", r)
	if _, err := s.Put(t.Context(), rec); err == nil {
		t.Fatal("Put succeeded although the sync failed")
	}
	if _, ok := s.Get("__public__", rec.CID); ok {
		t.Fatal("record visible after a failed Put")
	}
}

func FuzzDecodePut(f *testing.F) {
	r := rand.New(rand.NewPCG(6, 6))
	rec := mkRec(1, "__public__", r)
	rec.Ingester = "5Grw"
	f.Add(encodePut(&rec))
	f.Add(encodeDelete("ns", "cid"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if rec, err := decodePut(b); err == nil {
			if again := encodePut(rec); string(again) != string(b) {
				t.Fatalf("re-encode differs")
			}
		}
		if ns, cid, err := decodeDelete(b); err == nil {
			if again := encodeDelete(ns, cid); string(again) != string(b) {
				t.Fatalf("delete re-encode differs")
			}
		}
	})
}

// TestKillProcessKeepsAcked re-executes this test binary as a child that
// writes records and prints each acknowledged CID, SIGKILLs it mid-stream,
// and checks every printed CID survived with its exact vector.
func TestKillProcessKeepsAcked(t *testing.T) {
	if dir := os.Getenv("VECSTORE_KILL_CHILD_DIR"); dir != "" {
		runKillChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillProcessKeepsAcked$")
	cmd.Env = append(os.Environ(), "VECSTORE_KILL_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var acked []string
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "ACK ") {
			acked = append(acked, strings.TrimPrefix(line, "ACK "))
			if len(acked) == 500 {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged only %d records", len(acked))
	}
	s, err := Open(t.Context(), Config{Dir: dir, Dim: dim})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, line := range acked {
		idx := strings.IndexByte(line, ' ')
		cid, seed := line[:idx], line[idx+1:]
		var i int
		fmt.Sscan(seed, &i)
		want := mkRec(i, "__public__", rand.New(rand.NewPCG(uint64(i), 9)))
		got, ok := s.Get("__public__", cid)
		if !ok {
			t.Fatalf("acknowledged %s lost after SIGKILL", cid)
		}
		for j := range want.Vector {
			if got.Vector[j] != want.Vector[j] {
				t.Fatalf("%s vector differs after restart", cid)
			}
		}
	}
	t.Logf("%d acknowledged records survived SIGKILL; store holds %d", len(acked), s.Len())
}

func runKillChild(dir string) {
	s, err := Open(context.Background(), Config{Dir: dir, Dim: dim, SnapshotEvery: 64 << 10})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; ; i += 4 {
				rec := mkRec(i, "__public__", rand.New(rand.NewPCG(uint64(i), 9)))
				if _, err := s.Put(context.Background(), rec); err != nil {
					return
				}
				mu.Lock()
				fmt.Printf("ACK %s %d\n", rec.CID, i)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
