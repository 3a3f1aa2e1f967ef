package wal

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vfs"
)

func rec(i int) Record {
	return Record{Type: 1 + byte(i%3), Payload: bytes.Repeat([]byte{byte(i)}, 10+i%17)}
}

func openCollect(t *testing.T, fsys vfs.FS) (*WAL, []Record, RecoveryInfo) {
	t.Helper()
	var got []Record
	w, info, err := Open(Config{FS: fsys, Dir: "/db/wal"}, 0, func(r Record) error {
		got = append(got, Record{r.Type, append([]byte(nil), r.Payload...)})
		return nil
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return w, got, info
}

func appendN(t *testing.T, w *WAL, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := w.Append(t.Context(), []Record{rec(i)}, nil); err != nil {
			t.Fatalf("Append(%d): %v", i, err)
		}
	}
}

func equalRecs(t *testing.T, got []Record, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("replayed %d records, want %d", len(got), n)
	}
	for i, r := range got {
		if want := rec(i); r.Type != want.Type || !bytes.Equal(r.Payload, want.Payload) {
			t.Fatalf("record %d = %v, want %v", i, r, want)
		}
	}
}

func TestRoundTripAndSegments(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	w.cfg.SegmentBytes = 200 // force several segments
	appendN(t, w, 0, 40)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ids, _ := Segments(fsys, "/db/wal")
	if len(ids) < 3 {
		t.Fatalf("segments = %v, want several", ids)
	}
	w2, got, info := openCollect(t, fsys.CrashClone())
	defer w2.Close()
	equalRecs(t, got, 40)
	if info.TruncatedAt != -1 {
		t.Errorf("clean log truncated at %d", info.TruncatedAt)
	}
}

// TestTornTailAtEveryOffset cuts the last record at every byte offset and
// checks that recovery keeps every earlier record, drops the torn one, and
// accepts appends afterwards.
func TestTornTailAtEveryOffset(t *testing.T) {
	base := vfs.NewMem()
	w, _, _ := openCollect(t, base)
	appendN(t, w, 0, 5)
	w.Close()
	name := filepath.Join("/db/wal", "wal-0000000000000000.log")
	full, _ := base.ReadFile(name)
	last := len(EncodeRecord(nil, rec(4)))
	start := len(full) - last
	for cut := start; cut < len(full); cut++ {
		t.Run(fmt.Sprint(cut-start), func(t *testing.T) {
			fsys := base.CrashClone()
			fsys.WriteFile(name, full[:cut])
			w, got, info := openCollect(t, fsys)
			equalRecs(t, got, 4)
			if cut > start && info.TruncatedAt != int64(start) {
				t.Errorf("TruncatedAt = %d, want %d", info.TruncatedAt, start)
			}
			appendN(t, w, 4, 2)
			w.Close()
			_, got, _ = openCollect(t, fsys.CrashClone())
			equalRecs(t, got, 6)
		})
	}
}

func TestBitFlipInTailTruncates(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	appendN(t, w, 0, 5)
	w.Close()
	name := "/db/wal/wal-0000000000000000.log"
	b, _ := fsys.ReadFile(name)
	b[len(b)-3] ^= 0x40
	fsys.WriteFile(name, b)
	_, got, info := openCollect(t, fsys)
	equalRecs(t, got, 4)
	if info.TruncatedAt < 0 {
		t.Error("damaged tail not reported")
	}
}

func TestCorruptOlderSegmentIsAnError(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	appendN(t, w, 0, 3)
	if _, err := w.Rotate(); err != nil {
		t.Fatal(err)
	}
	appendN(t, w, 3, 3)
	w.Close()
	name := "/db/wal/wal-0000000000000000.log"
	b, _ := fsys.ReadFile(name)
	b[len(b)-1] ^= 1
	fsys.WriteFile(name, b)
	_, _, err := Open(Config{FS: fsys, Dir: "/db/wal"}, 0, func(Record) error { return nil })
	if ce, ok := errors.AsType[*CorruptError](err); !ok || ce.Segment != 0 {
		t.Fatalf("Open = %v, want *CorruptError in segment 0", err)
	}
}

func TestUnsyncedAppendsAreLostSyncedKept(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	appendN(t, w, 0, 3)
	fsys.FailSync(1)
	if err := w.Append(t.Context(), []Record{rec(3)}, func() { t.Error("apply ran for a failed commit") }); !errors.Is(err, vfs.ErrInjected) {
		t.Fatalf("Append with failing sync = %v, want ErrInjected", err)
	}
	if err := w.Append(t.Context(), []Record{rec(4)}, nil); err == nil {
		t.Fatal("Append after a failed sync succeeded; the log must refuse")
	}
	_, got, _ := openCollect(t, fsys.CrashClone())
	equalRecs(t, got, 3)
}

func TestWriteFailure(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	fsys.FailWrite(1)
	if err := w.Append(t.Context(), []Record{rec(0)}, nil); !errors.Is(err, vfs.ErrInjected) {
		t.Fatalf("Append with failing write = %v", err)
	}
}

func TestGroupCommitOrderAndApply(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	var mu sync.Mutex
	var applied []byte
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			r := Record{Type: 1, Payload: []byte{byte(i)}}
			if err := w.Append(t.Context(), []Record{r}, func() {
				mu.Lock()
				applied = append(applied, byte(i))
				mu.Unlock()
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	w.Close()
	var logged []byte
	if _, _, err := Open(Config{FS: fsys.CrashClone(), Dir: "/db/wal"}, 0, func(r Record) error {
		logged = append(logged, r.Payload[0])
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(applied, logged) {
		t.Fatalf("apply order %v differs from log order %v", applied, logged)
	}
}

func TestRotateAndRemoveBefore(t *testing.T) {
	fsys := vfs.NewMem()
	w, _, _ := openCollect(t, fsys)
	appendN(t, w, 0, 2)
	id, err := w.Rotate()
	if err != nil || id != 1 {
		t.Fatalf("Rotate = %d, %v", id, err)
	}
	appendN(t, w, 2, 2)
	if err := w.RemoveBefore(id); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var n int
	if _, _, err := Open(Config{FS: fsys.CrashClone(), Dir: "/db/wal"}, id, func(Record) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("replay from %d: %d records, %v; want 2", id, n, err)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	f.Add(EncodeRecord(nil, rec(3)))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, n, err := DecodeRecord(b)
		if err != nil {
			return
		}
		if again := EncodeRecord(nil, r); !bytes.Equal(again, b[:n]) {
			t.Fatalf("re-encode = %x, want %x", again, b[:n])
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	dir := b.TempDir()
	w, _, err := Open(Config{Dir: dir}, 0, func(Record) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	payload := make([]byte, 1700) // a 384-d vector plus metadata
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := w.Append(b.Context(), []Record{{Type: 1, Payload: payload}}, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
