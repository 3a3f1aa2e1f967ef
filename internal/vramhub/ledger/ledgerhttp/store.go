package ledgerhttp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/subnetkit/subnetkit/internal/vfs"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// File names inside the data directory.
const (
	GenesisFile  = "genesis.json"
	SnapshotFile = "snapshot.json"
	LogFile      = "ops.jsonl"
)

// ErrBroken is returned by every operation after a failed log append; the
// store must be reopened.
var ErrBroken = errors.New("ledgerhttp: store is broken after a write failure; reopen it")

// CorruptError reports an op log that cannot be replayed.
type CorruptError struct {
	// Offset is the byte offset of the bad line in the log.
	Offset int64
	// Err is the cause.
	Err error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("ledgerhttp: op log corrupt at byte %d: %v", e.Offset, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Config configures a [Store].
type Config struct {
	// Dir is the data directory; it is created if missing.
	Dir string
	// Genesis initializes a new directory. For an existing one it may be
	// left zero; if set it must equal the stored genesis.
	Genesis ledger.Genesis
	// Options are the ledger's pluggable rules, the same on every open.
	Options ledger.Options
	// CompactEvery is how many logged ops trigger a snapshot; 0 means 1000
	// and a negative value disables automatic compaction.
	CompactEvery int
	// FS is the file system (default the operating system's); tests pass a
	// vfs.MemFS to simulate crashes and failing disks.
	FS vfs.FS
}

// Store is a durable ledger: a snapshot plus an append-only op log.
type Store struct {
	mu      sync.Mutex
	cfg     Config
	l       *ledger.Ledger
	log     vfs.File
	seq     uint64 // seq of the last logged op
	snapSeq uint64 // seq the snapshot covers
	broken  error
}

type snapshotFile struct {
	Seq   uint64          `json:"seq"`
	State json.RawMessage `json:"state"`
}

type logLine struct {
	Seq uint64    `json:"seq"`
	Op  ledger.Op `json:"op"`
}

// Open opens or creates the store in cfg.Dir and replays its log. It
// returns a *[CorruptError] for a log that cannot be replayed.
func Open(cfg Config) (*Store, error) {
	if cfg.CompactEvery == 0 {
		cfg.CompactEvery = 1000
	}
	if cfg.FS == nil {
		cfg.FS = vfs.OS{}
	}
	if err := cfg.FS.MkdirAll(cfg.Dir); err != nil {
		return nil, fmt.Errorf("ledgerhttp: create data dir: %w", err)
	}
	g, err := loadGenesis(cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg}
	if raw, err := readFile(cfg.FS, filepath.Join(cfg.Dir, SnapshotFile)); err == nil {
		var sf snapshotFile
		if err := json.Unmarshal(raw, &sf); err != nil {
			return nil, fmt.Errorf("ledgerhttp: read snapshot: %w", err)
		}
		if s.l, err = ledger.FromSnapshot(sf.State, cfg.Options); err != nil {
			return nil, err
		}
		s.seq, s.snapSeq = sf.Seq, sf.Seq
	} else if errors.Is(err, os.ErrNotExist) {
		if s.l, err = ledger.New(g, cfg.Options); err != nil {
			return nil, fmt.Errorf("ledgerhttp: genesis: %w", err)
		}
	} else {
		return nil, fmt.Errorf("ledgerhttp: read snapshot: %w", err)
	}
	logPath := filepath.Join(cfg.Dir, LogFile)
	if !vfs.Exists(cfg.FS, logPath) {
		f, err := cfg.FS.Create(logPath)
		if err != nil {
			return nil, fmt.Errorf("ledgerhttp: create log: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("ledgerhttp: create log: %w", err)
		}
		if err := cfg.FS.SyncDir(cfg.Dir); err != nil {
			return nil, fmt.Errorf("ledgerhttp: create log: %w", err)
		}
	}
	f, err := cfg.FS.OpenAppend(logPath)
	if err != nil {
		return nil, fmt.Errorf("ledgerhttp: open log: %w", err)
	}
	if err := s.replay(f); err != nil {
		f.Close()
		return nil, err
	}
	s.log = f
	return s, nil
}

func loadGenesis(cfg Config) (ledger.Genesis, error) {
	path := filepath.Join(cfg.Dir, GenesisFile)
	raw, err := readFile(cfg.FS, path)
	if errors.Is(err, os.ErrNotExist) {
		if cfg.Genesis.NetworkID == "" {
			return ledger.Genesis{}, errors.New("ledgerhttp: new data dir needs a genesis")
		}
		b, err := json.MarshalIndent(cfg.Genesis, "", "  ")
		if err != nil {
			return ledger.Genesis{}, err
		}
		if err := writeFileSync(cfg.FS, cfg.Dir, GenesisFile, append(b, '\n')); err != nil {
			return ledger.Genesis{}, err
		}
		return cfg.Genesis, nil
	}
	if err != nil {
		return ledger.Genesis{}, fmt.Errorf("ledgerhttp: read genesis: %w", err)
	}
	var g ledger.Genesis
	if err := json.Unmarshal(raw, &g); err != nil {
		return ledger.Genesis{}, fmt.Errorf("ledgerhttp: read genesis: %w", err)
	}
	if cfg.Genesis.NetworkID != "" {
		want, _ := json.Marshal(cfg.Genesis)
		have, _ := json.Marshal(g)
		if !bytes.Equal(want, have) {
			return ledger.Genesis{}, errors.New("ledgerhttp: data dir holds a different genesis")
		}
	}
	return g, nil
}

// replay applies the log lines after the snapshot and truncates a torn
// tail.
func (s *Store) replay(f vfs.File) error {
	r := bufio.NewReader(f)
	var off int64
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if len(line) > 0 { // torn: the newline never made it
				return truncate(f, off)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("ledgerhttp: read log: %w", err)
		}
		var ll logLine
		if err := json.Unmarshal(line, &ll); err != nil {
			if _, peekErr := r.Peek(1); errors.Is(peekErr, io.EOF) {
				return truncate(f, off) // a garbled final line is torn too
			}
			return &CorruptError{Offset: off, Err: err}
		}
		switch {
		case ll.Seq <= s.snapSeq:
			// Already in the snapshot (a crash between snapshot and truncation).
		case ll.Seq != s.seq+1:
			return &CorruptError{Offset: off, Err: fmt.Errorf("seq %d after %d", ll.Seq, s.seq)}
		default:
			if _, err := s.l.Apply(ll.Op); err != nil {
				return &CorruptError{Offset: off, Err: fmt.Errorf("replay %s: %w", ll.Op, err)}
			}
			s.seq = ll.Seq
		}
		off += int64(len(line))
	}
}

func truncate(f vfs.File, off int64) error {
	if err := f.Truncate(off); err != nil {
		return fmt.Errorf("ledgerhttp: truncate torn log tail: %w", err)
	}
	return f.Sync()
}

// Apply applies op and makes it durable before returning. A rejected op
// returns the ledger's *ledger.RejectError and is not logged; an I/O
// failure returns a wrapped error and breaks the store ([ErrBroken]).
func (s *Store) Apply(op ledger.Op) (ledger.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return ledger.Result{}, fmt.Errorf("%w: %w", ErrBroken, s.broken)
	}
	res, err := s.l.Apply(op)
	if err != nil {
		return ledger.Result{}, err
	}
	line, err := json.Marshal(logLine{Seq: s.seq + 1, Op: op})
	if err == nil {
		_, err = s.log.Write(append(line, '\n'))
	}
	if err == nil {
		err = s.log.Sync()
	}
	if err != nil {
		s.broken = err
		return ledger.Result{}, fmt.Errorf("ledgerhttp: append op: %w", err)
	}
	s.seq++
	if s.cfg.CompactEvery > 0 && s.seq-s.snapSeq >= uint64(s.cfg.CompactEvery) {
		if err := s.compact(); err != nil {
			// The op is durable in the log; a failed snapshot means the
			// disk is failing, so stop taking writes.
			s.broken = err
		}
	}
	return res, nil
}

// View calls fn with the ledger under the store's lock. fn must not keep
// the ledger or call the store.
func (s *Store) View(fn func(l *ledger.Ledger)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.l)
}

// Snapshot returns the current ledger snapshot.
func (s *Store) Snapshot() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.l.Snapshot()
}

// Seq returns the sequence number of the last logged op.
func (s *Store) Seq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// Compact writes a snapshot and empties the log.
func (s *Store) Compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return fmt.Errorf("%w: %w", ErrBroken, s.broken)
	}
	return s.compact()
}

func (s *Store) compact() error {
	state, err := s.l.Snapshot()
	if err != nil {
		return err
	}
	b, err := json.Marshal(snapshotFile{Seq: s.seq, State: state})
	if err != nil {
		return err
	}
	if err := writeFileSync(s.cfg.FS, s.cfg.Dir, SnapshotFile, b); err != nil {
		return err
	}
	s.snapSeq = s.seq
	return truncate(s.log, 0)
}

// Close closes the log. It does not compact.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return nil
	}
	err := s.log.Close()
	s.log = nil
	if s.broken == nil {
		s.broken = errors.New("closed")
	}
	return err
}

// writeFileSync atomically replaces dir/name: temporary file, fsync,
// rename, fsync of the directory.
func writeFileSync(fsys vfs.FS, dir, name string, data []byte) error {
	if err := vfs.WriteFileAtomic(fsys, filepath.Join(dir, name), data); err != nil {
		return fmt.Errorf("ledgerhttp: write %s: %w", name, err)
	}
	return nil
}

func readFile(fsys vfs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
