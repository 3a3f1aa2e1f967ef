package ledgerhttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// FuzzOpenLog opens a store whose op log holds arbitrary bytes: Open must
// not panic, and when it succeeds the store must accept a further op and
// reopen to the same state.
func FuzzOpenLog(f *testing.F) {
	var valid bytes.Buffer
	for i, op := range ops(1)[:3] {
		b, _ := json.Marshal(logLine{Seq: uint64(i + 1), Op: op})
		valid.Write(append(b, '\n'))
	}
	f.Add(valid.Bytes())
	f.Add(valid.Bytes()[:valid.Len()-7])
	f.Add([]byte("{}\n{}\n"))
	f.Add([]byte(`{"seq":1,"op":{"type":"finalize","window":0}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		open(t, dir, -1).Close()
		if err := os.WriteFile(filepath.Join(dir, LogFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Config{Dir: dir})
		if err != nil {
			return
		}
		s.Apply(ledger.Op{Type: ledger.OpFinalize, NowMs: at(100, 0), Window: 0})
		want := snap(t, s)
		s.Close()
		s2, err := Open(Config{Dir: dir})
		if err != nil {
			t.Fatalf("reopen after recovery: %v", err)
		}
		defer s2.Close()
		if !bytes.Equal(snap(t, s2), want) {
			t.Fatal("reopened state differs")
		}
	})
}

func TestConcurrentClients(t *testing.T) {
	s := newServer(t)
	ctx := t.Context()
	const n, each = 8, 10
	var allocs []ledger.Allocation
	for i := range n {
		allocs = append(allocs, ledger.Allocation{Address: fmt.Sprintf("a%d", i), Amount: each})
	}
	if err := NewClient(s.srv.URL, "admin", s.srv.Client()).Premint(ctx, allocs); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n*each)
	for i := range n {
		c := NewClient(s.srv.URL, fmt.Sprintf("a%d", i), s.srv.Client())
		wg.Go(func() {
			for range each {
				if err := c.Transfer(ctx, "sink", 1); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var sink uint64
	s.store.View(func(l *ledger.Ledger) { sink = l.Balance("sink") })
	if sink != n*each {
		t.Errorf("Balance(sink) = %d, want %d", sink, n*each)
	}
	if s.store.Seq() != 1+n*each {
		t.Errorf("Seq() = %d, want %d", s.store.Seq(), 1+n*each)
	}
}
