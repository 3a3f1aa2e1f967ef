package ledgerhttp

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vfs"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

const (
	genesisMs = 1_000_000
	windowMs  = 3_000
	putMs     = 1_500
	vram      = rewards.Unit
)

var (
	pcrs  = [3]ledger.HexBytes{bytes.Repeat([]byte{1}, 48), bytes.Repeat([]byte{2}, 48), bytes.Repeat([]byte{3}, 48)}
	ckpt0 = ledger.Hash(sha256.Sum256([]byte("checkpoint-0")))
	encl  = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
)

func testGenesis() ledger.Genesis {
	p := ledger.DefaultParams()
	p.PutWindowOpenMs = putMs
	p.ExpectedPCRs = pcrs
	p.Admin, p.Aggregator = "admin", "agg"
	return ledger.Genesis{Profile: ledger.ProfileDev, NetworkID: "vramhub-dev", GenesisMs: genesisMs, WindowMs: windowMs,
		Params: p, Checkpoint: &ledger.Anchor{Hash: ckpt0, Key: "checkpoint-0-v1.pt"}}
}

func at(w, off uint64) uint64 { return genesisMs + w*windowMs + off }

// ops returns a short run: two miners (uids 0, 1), one validator (uid 2)
// with an enclave, n windows of uploads, scores and finalization. The
// transfer in the middle is rejected.
func ops(n uint64) []ledger.Op {
	pub := ledger.HexBytes(encl.Public().(ed25519.PublicKey))
	out := []ledger.Op{
		{Type: ledger.OpPremint, Sender: "admin", Allocations: []ledger.Allocation{{Address: "m0", Amount: 10 * vram}, {Address: "m1", Amount: 10 * vram}, {Address: "v0", Amount: 5_000 * vram}}},
		{Type: ledger.OpRegisterPeer, Sender: "m0", Amount: vram},
		{Type: ledger.OpRegisterPeer, Sender: "m1", Amount: vram},
		{Type: ledger.OpTransfer, Sender: "m0", To: "x", Amount: 100 * vram},
		{Type: ledger.OpRegisterValidator, Sender: "v0", Amount: 10 * vram},
		{Type: ledger.OpRegisterEnclave, Sender: "v0", UID: 2, PublicKey: pub, Document: ledger.DevDocument([3][]byte{pcrs[0], pcrs[1], pcrs[2]}, pub)},
	}
	for w := range n {
		for uid := range uint64(2) {
			g := ledger.GradientUpload{Key: ledger.GradientKey(w, uid), ContentHash: sha256.Sum256(fmt.Appendf(nil, "%d/%d", w, uid)), Size: 100, Checkpoint: ckpt0}
			out = append(out, ledger.Op{Type: ledger.OpSubmitGradient, NowMs: at(w, 1), Sender: fmt.Sprintf("m%d", uid), UID: uid, Window: w, Gradient: &g})
		}
		scores := []ledger.UIDScore{{UID: 0, Score: int64(w)}, {UID: 1, Score: 3}}
		out = append(out,
			ledger.Op{Type: ledger.OpSubmitScores, NowMs: at(w, putMs), Sender: "v0", UID: 2, Window: w, Scores: signed(w, scores)},
			ledger.Op{Type: ledger.OpFinalize, NowMs: at(w+1, 0), Window: w})
	}
	return out
}

func signed(w uint64, scores []ledger.UIDScore) *ledger.ScoreSubmission {
	msg, err := ledger.ScoreMessage("vramhub-dev", 2, w, ckpt0, scores)
	if err != nil {
		panic(err)
	}
	return &ledger.ScoreSubmission{Checkpoint: ckpt0, Scores: scores, EnclaveKey: ledger.HexBytes(encl.Public().(ed25519.PublicKey)), Signature: ed25519.Sign(encl, msg)}
}

func open(t *testing.T, dir string, every int) *Store {
	t.Helper()
	s, err := Open(Config{Dir: dir, Genesis: testGenesis(), CompactEvery: every})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// applyAll applies ops and returns how many were accepted.
func applyAll(t *testing.T, s *Store, ops []ledger.Op) int {
	t.Helper()
	n := 0
	for _, op := range ops {
		_, err := s.Apply(op)
		if _, rejected := errors.AsType[*ledger.RejectError](err); err != nil && !rejected {
			t.Fatalf("Apply(%s): %v", op, err)
		}
		if err == nil {
			n++
		}
	}
	return n
}

func snap(t *testing.T, s *Store) []byte {
	t.Helper()
	b, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStoreReopen(t *testing.T) {
	for _, every := range []int{-1, 4} {
		t.Run(fmt.Sprintf("compact every %d", every), func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, every)
			accepted := applyAll(t, s, ops(3))
			want := snap(t, s)
			if s.Seq() != uint64(accepted) {
				t.Errorf("Seq() = %d, want %d", s.Seq(), accepted)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2 := open(t, dir, every)
			defer s2.Close()
			if got := snap(t, s2); !bytes.Equal(got, want) {
				t.Error("reopened state differs")
			}
			if s2.Seq() != uint64(accepted) {
				t.Errorf("reopened Seq() = %d, want %d", s2.Seq(), accepted)
			}
			var issued uint64
			s2.View(func(l *ledger.Ledger) { issued = l.MiningIssued() })
			if issued != 3*70*vram {
				t.Errorf("MiningIssued() = %d, want %d", issued, 3*70*vram)
			}
		})
	}
}

// TestStoreCrash abandons a store without closing it, as a killed process
// would, and damages the log tail in the ways a crash can.
func TestStoreCrash(t *testing.T) {
	tests := []struct {
		name string
		tail string
	}{
		{"clean", ""},
		{"torn line", `{"seq":99,"op":{"type":"tra`},
		{"garbled final line", "{\"seq\":99,\x00\x00\n"},
		{"torn after newline-less json", `{"seq":99,"op":{"type":"finalize"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, -1)
			all := ops(2)
			applyAll(t, s, all[:len(all)-3])
			want := snap(t, s)
			logPath := filepath.Join(dir, LogFile)
			size := fileSize(t, logPath)
			appendFile(t, logPath, tt.tail)

			s2 := open(t, dir, -1) // s is never closed: the crash
			if got := snap(t, s2); !bytes.Equal(got, want) {
				t.Fatal("state after crash differs from the last acknowledged state")
			}
			if got := fileSize(t, logPath); got != size {
				t.Errorf("log size after recovery = %d, want %d (torn tail removed)", got, size)
			}
			// The recovered store keeps working and stays consistent.
			applyAll(t, s2, all[len(all)-3:])
			want = snap(t, s2)
			s2.Close()
			s3 := open(t, dir, -1)
			defer s3.Close()
			if got := snap(t, s3); !bytes.Equal(got, want) {
				t.Error("state after recovery and more ops differs on reopen")
			}
		})
	}
}

func TestStoreCrashDuringCompaction(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, -1)
	applyAll(t, s, ops(2))
	logPath := filepath.Join(dir, LogFile)
	oldLog, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if fileSize(t, logPath) != 0 {
		t.Fatal("log not emptied by Compact")
	}
	want := snap(t, s)
	// Put the pre-compaction log back: the snapshot was renamed into place
	// but the truncation never happened.
	if err := os.WriteFile(logPath, oldLog, 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, dir, -1)
	defer s2.Close()
	if got := snap(t, s2); !bytes.Equal(got, want) {
		t.Error("ops already in the snapshot were replayed twice")
	}
}

func TestStoreCorruptLog(t *testing.T) {
	tests := []struct {
		name string
		edit func(lines [][]byte) [][]byte
	}{
		{"garbage in the middle", func(l [][]byte) [][]byte { l[1] = []byte("not json\n"); return l }},
		{"gap in seq", func(l [][]byte) [][]byte { return append(l[:1], l[2:]...) }},
		{"op the ledger rejects", func(l [][]byte) [][]byte {
			l[2] = bytes.Replace(l[1], []byte(`"seq":2`), []byte(`"seq":3`), 1) // m0 registers twice
			return l
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, -1)
			applyAll(t, s, ops(1))
			s.Close()
			logPath := filepath.Join(dir, LogFile)
			raw, _ := os.ReadFile(logPath)
			lines := bytes.SplitAfter(raw, []byte("\n"))
			lines = tt.edit(lines[:len(lines)-1])
			if err := os.WriteFile(logPath, bytes.Join(lines, nil), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(Config{Dir: dir})
			if _, ok := errors.AsType[*CorruptError](err); !ok {
				t.Errorf("Open(%s) = %v, want *CorruptError", tt.name, err)
			}
		})
	}
}

func TestStoreGenesisChecks(t *testing.T) {
	if _, err := Open(Config{Dir: t.TempDir()}); err == nil {
		t.Error("Open(new dir, no genesis) = nil error")
	}
	dir := t.TempDir()
	open(t, dir, -1).Close()
	g := testGenesis()
	g.NetworkID = "other"
	if _, err := Open(Config{Dir: dir, Genesis: g}); err == nil {
		t.Error("Open(other genesis) = nil error")
	}
	s, err := Open(Config{Dir: dir}) // zero genesis: use the stored one
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestStoreBreaksOnWriteFailure(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, -1)
	all := ops(1)
	applyAll(t, s, all[:2])
	want := snap(t, s)
	s.log.Close() // the next append fails
	if _, err := s.Apply(all[2]); err == nil {
		t.Fatal("Apply with a failing log = nil error")
	}
	if _, err := s.Apply(all[4]); !errors.Is(err, ErrBroken) {
		t.Errorf("Apply after failure = %v, want ErrBroken", err)
	}
	s2 := open(t, dir, -1)
	defer s2.Close()
	if got := snap(t, s2); !bytes.Equal(got, want) {
		t.Error("reopened state includes the op that was never persisted")
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestStoreMemFSCrashAndFailingSync runs the store on an in-memory file
// system: a crash right after acknowledged ops keeps them (compaction
// included), and an op whose fsync fails is neither acknowledged nor
// present after a crash.
func TestStoreMemFSCrashAndFailingSync(t *testing.T) {
	for _, every := range []int{-1, 3} {
		mem := vfs.NewMem()
		s, err := Open(Config{Dir: "l", Genesis: testGenesis(), CompactEvery: every, FS: mem})
		if err != nil {
			t.Fatal(err)
		}
		all := ops(2)
		applyAll(t, s, all[:8])
		want := snap(t, s)
		reopened, err := Open(Config{Dir: "l", FS: mem.CrashClone()})
		if err != nil {
			t.Fatalf("every=%d: reopen after crash: %v", every, err)
		}
		if got := snap(t, reopened); !bytes.Equal(got, want) {
			t.Fatalf("every=%d: state after a crash differs from the acknowledged state", every)
		}
		reopened.Close()

		mem.FailSync(1) // the next fsync fails
		if _, err := s.Apply(all[8]); err == nil {
			t.Fatalf("every=%d: Apply with a failing fsync = nil error", every)
		}
		crashed, err := Open(Config{Dir: "l", FS: mem.CrashClone()})
		if err != nil {
			t.Fatalf("every=%d: reopen: %v", every, err)
		}
		if got := snap(t, crashed); !bytes.Equal(got, want) {
			t.Errorf("every=%d: an op whose fsync failed survived the crash", every)
		}
		crashed.Close()
		s.Close()
	}
}
