package wal

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/subnetkit/subnetkit/internal/vfs"
)

const (
	magic      = "EGRMWAL1"
	headerSize = 9
	// MaxRecord is the largest payload a record may carry.
	MaxRecord = 16 << 20
	// DefaultSegmentBytes is the size after which a new segment starts.
	DefaultSegmentBytes = 64 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("wal: closed")

// CorruptError reports damage that recovery must not repair silently: a bad
// record in a segment other than the last.
type CorruptError struct {
	Segment uint64
	Offset  int64
	Reason  string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("wal: segment %d corrupt at offset %d: %s", e.Segment, e.Offset, e.Reason)
}

// Record is one log entry.
type Record struct {
	Type    byte
	Payload []byte
}

// Config configures a WAL.
type Config struct {
	// FS is the file system (default vfs.OS).
	FS vfs.FS
	// Dir holds the segments.
	Dir string
	// SegmentBytes starts a new segment after this many bytes (default
	// DefaultSegmentBytes).
	SegmentBytes int64
	// OnSync, if set, is called after each group commit with the number of
	// records and bytes written and whether the sync failed; for metrics.
	OnSync func(records, bytes int, seconds float64, err error)
	// Clock returns seconds for OnSync timing (default: not timed, 0).
	Clock func() float64
}

// RecoveryInfo describes what Open found.
type RecoveryInfo struct {
	Segments     int
	Records      int
	TruncatedAt  int64 // offset in the last segment where a torn tail was cut, or -1
	TruncatedLen int64 // bytes removed
}

type request struct {
	recs   []Record
	apply  func()
	rotate func(newSegment uint64) // a rotation barrier (see RotateBarrier)
	done   chan error
}

// WAL is an open log.
type WAL struct {
	cfg Config

	mu      sync.Mutex // guards everything below and the active file
	queue   []*request
	closed  bool
	wake    chan struct{}
	stopped chan struct{}
	failed  error // a write or sync failed: the log refuses further appends

	segID   uint64
	segSize int64
	f       vfs.File
}

func segName(dir string, id uint64) string {
	return filepath.Join(dir, fmt.Sprintf("wal-%016d.log", id))
}

func parseSegName(name string) (uint64, bool) {
	if !strings.HasPrefix(name, "wal-") || !strings.HasSuffix(name, ".log") {
		return 0, false
	}
	id, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "wal-"), ".log"), 10, 64)
	return id, err == nil
}

// Segments returns the ids of the segments in dir, ascending.
func Segments(fsys vfs.FS, dir string) ([]uint64, error) {
	names, err := fsys.List(dir)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, n := range names {
		if id, ok := parseSegName(n); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// Open recovers the log in cfg.Dir, calling replay for every record of
// segments with id ≥ from (in order), truncates a torn tail, and returns
// the log ready for appends. Replay errors abort Open.
func Open(cfg Config, from uint64, replay func(Record) error) (*WAL, RecoveryInfo, error) {
	if cfg.FS == nil {
		cfg.FS = vfs.OS{}
	}
	if cfg.SegmentBytes <= 0 {
		cfg.SegmentBytes = DefaultSegmentBytes
	}
	info := RecoveryInfo{TruncatedAt: -1}
	if err := cfg.FS.MkdirAll(cfg.Dir); err != nil {
		return nil, info, fmt.Errorf("wal: create dir: %w", err)
	}
	ids, err := Segments(cfg.FS, cfg.Dir)
	if err != nil {
		return nil, info, fmt.Errorf("wal: list: %w", err)
	}
	var live []uint64
	for _, id := range ids {
		if id >= from {
			live = append(live, id)
		}
	}
	w := &WAL{cfg: cfg, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	for i, id := range live {
		last := i == len(live)-1
		end, n, reason, err := readSegment(cfg.FS, segName(cfg.Dir, id), replay)
		if err != nil {
			return nil, info, err
		}
		info.Segments++
		info.Records += n
		if reason == "" {
			if last {
				w.segID, w.segSize = id, end
			}
			continue
		}
		if !last {
			return nil, info, &CorruptError{Segment: id, Offset: end, Reason: reason}
		}
		size, err := truncate(cfg.FS, segName(cfg.Dir, id), end)
		if err != nil {
			return nil, info, err
		}
		info.TruncatedAt, info.TruncatedLen = end, size-end
		w.segID, w.segSize = id, end
	}
	if len(live) == 0 {
		w.segID = from
		if len(ids) > 0 && ids[len(ids)-1] >= from {
			w.segID = ids[len(ids)-1] + 1
		}
		if err := w.createSegment(w.segID); err != nil {
			return nil, info, err
		}
	} else {
		if w.segSize < int64(len(magic)) {
			// The crash cut even the header: start the segment afresh.
			if err := w.createSegment(w.segID); err != nil {
				return nil, info, err
			}
		} else if w.f, err = cfg.FS.OpenAppend(segName(cfg.Dir, w.segID)); err != nil {
			return nil, info, fmt.Errorf("wal: open segment %d: %w", w.segID, err)
		}
	}
	go w.commitLoop()
	return w, info, nil
}

func truncate(fsys vfs.FS, name string, at int64) (int64, error) {
	f, err := fsys.OpenAppend(name)
	if err != nil {
		return 0, fmt.Errorf("wal: open for repair: %w", err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return 0, err
	}
	if err := f.Truncate(at); err != nil {
		return 0, fmt.Errorf("wal: truncate torn tail: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("wal: sync repaired segment: %w", err)
	}
	return size, nil
}

// readSegment replays one segment. It returns the offset just past the last
// good record, the number of good records and, if it stopped early, why.
func readSegment(fsys vfs.FS, name string, replay func(Record) error) (end int64, n int, reason string, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, 0, "", fmt.Errorf("wal: open %s: %w", name, err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return 0, 0, "", err
	}
	hdr := make([]byte, len(magic))
	if _, err := f.ReadAt(hdr, 0); err != nil || string(hdr) != magic {
		return 0, 0, "bad segment header", nil
	}
	off := int64(len(magic))
	var h [headerSize]byte
	for off < size {
		if _, err := f.ReadAt(h[:], off); err != nil {
			return off, n, "incomplete record header", nil
		}
		length := binary.LittleEndian.Uint32(h[0:4])
		sum := binary.LittleEndian.Uint32(h[4:8])
		typ := h[8]
		if typ == 0 {
			return off, n, "zero record type", nil
		}
		if length > MaxRecord || off+headerSize+int64(length) > size {
			return off, n, "incomplete record payload", nil
		}
		payload := make([]byte, length)
		if _, err := f.ReadAt(payload, off+headerSize); err != nil && err != io.EOF {
			return off, n, "unreadable payload", nil
		}
		c := crc32.Update(crc32.Checksum([]byte{typ}, crcTable), crcTable, payload)
		if c != sum {
			return off, n, "checksum mismatch", nil
		}
		if err := replay(Record{Type: typ, Payload: payload}); err != nil {
			return off, n, "", fmt.Errorf("wal: replay %s at %d: %w", name, off, err)
		}
		off += headerSize + int64(length)
		n++
	}
	return off, n, "", nil
}

func (w *WAL) createSegment(id uint64) error {
	f, err := w.cfg.FS.Create(segName(w.cfg.Dir, id))
	if err != nil {
		return fmt.Errorf("wal: create segment %d: %w", id, err)
	}
	if _, err := f.Write([]byte(magic)); err != nil {
		f.Close()
		return fmt.Errorf("wal: write segment header: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("wal: sync segment header: %w", err)
	}
	if err := w.cfg.FS.SyncDir(w.cfg.Dir); err != nil {
		f.Close()
		return fmt.Errorf("wal: sync dir: %w", err)
	}
	if w.f != nil {
		w.f.Close()
	}
	w.f, w.segID, w.segSize = f, id, int64(len(magic))
	return nil
}

// EncodeRecord appends the framed record to dst.
func EncodeRecord(dst []byte, r Record) []byte {
	var h [headerSize]byte
	binary.LittleEndian.PutUint32(h[0:4], uint32(len(r.Payload)))
	c := crc32.Update(crc32.Checksum([]byte{r.Type}, crcTable), crcTable, r.Payload)
	binary.LittleEndian.PutUint32(h[4:8], c)
	h[8] = r.Type
	dst = append(dst, h[:]...)
	return append(dst, r.Payload...)
}

// DecodeRecord decodes one framed record from the start of b, returning it
// and the bytes consumed. It never panics on hostile input.
func DecodeRecord(b []byte) (Record, int, error) {
	if len(b) < headerSize {
		return Record{}, 0, errors.New("wal: short record header")
	}
	length := binary.LittleEndian.Uint32(b[0:4])
	if length > MaxRecord || int64(len(b)-headerSize) < int64(length) {
		return Record{}, 0, errors.New("wal: short record payload")
	}
	typ := b[8]
	if typ == 0 {
		return Record{}, 0, errors.New("wal: zero record type")
	}
	payload := b[headerSize : headerSize+int(length)]
	c := crc32.Update(crc32.Checksum([]byte{typ}, crcTable), crcTable, payload)
	if c != binary.LittleEndian.Uint32(b[4:8]) {
		return Record{}, 0, errors.New("wal: checksum mismatch")
	}
	return Record{Type: typ, Payload: payload}, headerSize + int(length), nil
}

// Append writes recs durably. apply, if not nil, runs on the committer
// goroutine after the records are synced and after the apply callbacks of
// every earlier Append, before Append returns; it must not call back into
// the WAL. If ctx ends first Append returns ctx.Err() but the records may
// still be committed. After a write or sync failure every Append fails.
func (w *WAL) Append(ctx context.Context, recs []Record, apply func()) error {
	for _, r := range recs {
		if r.Type == 0 || len(r.Payload) > MaxRecord {
			return fmt.Errorf("wal: invalid record (type %d, %d bytes)", r.Type, len(r.Payload))
		}
	}
	return w.submit(ctx, &request{recs: recs, apply: apply, done: make(chan error, 1)})
}

// submit queues req for the committer and waits for its outcome.
func (w *WAL) submit(ctx context.Context, req *request) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	if w.failed != nil {
		w.mu.Unlock()
		return w.failed
	}
	w.queue = append(w.queue, req)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *WAL) commitLoop() {
	defer close(w.stopped)
	var buf []byte
	for {
		w.mu.Lock()
		batch := w.queue
		// A rotation barrier ends a batch, so no record queued after it
		// lands in the segment before it.
		for i, req := range batch {
			if req.rotate != nil {
				batch = batch[:i+1]
				break
			}
		}
		w.queue = w.queue[len(batch):]
		closed := w.closed
		w.mu.Unlock()
		if len(batch) == 0 {
			if closed {
				return
			}
			<-w.wake
			continue
		}
		err := w.commit(batch, &buf)
		for _, req := range batch {
			if err == nil && req.rotate != nil {
				var id uint64
				if id, err = w.Rotate(); err == nil {
					req.rotate(id)
				}
			}
			if err == nil && req.apply != nil {
				req.apply()
			}
			req.done <- err
		}
	}
}

func (w *WAL) commit(batch []*request, buf *[]byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed != nil {
		return w.failed
	}
	var t0 float64
	if w.cfg.Clock != nil {
		t0 = w.cfg.Clock()
	}
	b := (*buf)[:0]
	nrec := 0
	for _, req := range batch {
		for _, r := range req.recs {
			b = EncodeRecord(b, r)
			nrec++
		}
	}
	*buf = b
	if nrec == 0 {
		return nil
	}
	_, err := w.f.Write(b)
	if err == nil {
		err = w.f.Sync()
	}
	if w.cfg.OnSync != nil {
		var dt float64
		if w.cfg.Clock != nil {
			dt = w.cfg.Clock() - t0
		}
		w.cfg.OnSync(nrec, len(b), dt, err)
	}
	if err != nil {
		// The file's tail is now unknown: refuse further appends; a
		// restart repairs the tail.
		w.failed = fmt.Errorf("wal: commit: %w", err)
		return w.failed
	}
	w.segSize += int64(len(b))
	if w.segSize >= w.cfg.SegmentBytes {
		if err := w.createSegment(w.segID + 1); err != nil {
			w.failed = err
		}
	}
	return nil
}

// RotateBarrier waits until every record appended before it is committed
// and applied, starts a new segment, and calls capture with the new
// segment's id on the committer goroutine, before any later record is
// applied. A snapshot taken inside capture therefore holds exactly the
// records of the segments below the id.
func (w *WAL) RotateBarrier(ctx context.Context, capture func(newSegment uint64)) error {
	return w.submit(ctx, &request{rotate: capture, done: make(chan error, 1)})
}

// Rotate starts a new segment and returns its id: every record appended
// before Rotate returns is in a segment with a smaller id. Snapshots use it
// to mark what they cover.
func (w *WAL) Rotate() (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed != nil {
		return 0, w.failed
	}
	if err := w.createSegment(w.segID + 1); err != nil {
		w.failed = err
		return 0, err
	}
	return w.segID, nil
}

// RemoveBefore deletes the segments with ids below id.
func (w *WAL) RemoveBefore(id uint64) error {
	ids, err := Segments(w.cfg.FS, w.cfg.Dir)
	if err != nil {
		return err
	}
	for _, s := range ids {
		if s < id {
			if err := w.cfg.FS.Remove(segName(w.cfg.Dir, s)); err != nil {
				return fmt.Errorf("wal: remove segment %d: %w", s, err)
			}
		}
	}
	return w.cfg.FS.SyncDir(w.cfg.Dir)
}

// Size returns the bytes in the active segment.
func (w *WAL) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.segSize
}

// Close waits for queued appends to commit, then closes the active segment.
// It is idempotent.
func (w *WAL) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		<-w.stopped
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.stopped
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.f.Close()
}
