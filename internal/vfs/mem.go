package vfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ErrInjected is the error returned by injected faults.
var ErrInjected = errors.New("vfs: injected fault")

type inode struct {
	data   []byte
	synced []byte // contents as of the last Sync
}

// MemFS is an in-memory FS that tracks what would survive a crash. The zero
// value is not ready; use [NewMem].
type MemFS struct {
	mu      sync.Mutex
	live    map[string]*inode // the view running code sees
	durable map[string]*inode // names as of the last SyncDir of their dir
	dirs    map[string]bool

	failWriteAfter int // fail the Nth future write (1 = next); 0 = never
	failSyncAfter  int
}

// NewMem returns an empty MemFS.
func NewMem() *MemFS {
	return &MemFS{live: map[string]*inode{}, durable: map[string]*inode{}, dirs: map[string]bool{}}
}

var _ FS = (*MemFS)(nil)

// FailWrite makes the nth next Write (1 = the very next) return ErrInjected
// after writing nothing.
func (m *MemFS) FailWrite(n int) { m.mu.Lock(); m.failWriteAfter = n; m.mu.Unlock() }

// FailSync makes the nth next Sync or SyncDir return ErrInjected.
func (m *MemFS) FailSync(n int) { m.mu.Lock(); m.failSyncAfter = n; m.mu.Unlock() }

func (m *MemFS) tick(counter *int) bool {
	if *counter == 0 {
		return false
	}
	*counter--
	return *counter == 0
}

// CrashClone returns the file system as a crash at this instant would leave
// it: only names made durable by SyncDir, each with only its synced bytes.
func (m *MemFS) CrashClone() *MemFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := NewMem()
	for d := range m.dirs {
		c.dirs[d] = true
	}
	for name, ino := range m.durable {
		n := &inode{data: append([]byte(nil), ino.synced...), synced: append([]byte(nil), ino.synced...)}
		c.live[name] = n
		c.durable[name] = n
	}
	return c
}

// ReadFile returns a file's live contents (for tests).
func (m *MemFS) ReadFile(name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ino, ok := m.live[filepath.Clean(name)]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return append([]byte(nil), ino.data...), nil
}

// WriteFile replaces a file's contents, durably (for tests that craft damage).
func (m *MemFS) WriteFile(name string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	name = filepath.Clean(name)
	ino := &inode{data: append([]byte(nil), data...), synced: append([]byte(nil), data...)}
	m.live[name] = ino
	m.durable[name] = ino
}

type memFile struct {
	fs     *MemFS
	name   string
	ino    *inode
	off    int64
	write  bool
	append bool
	closed bool
}

func (m *MemFS) open(name string, create, truncate, write, app bool) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	name = filepath.Clean(name)
	if !m.dirs[filepath.Dir(name)] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	ino, ok := m.live[name]
	switch {
	case !ok && !create:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case !ok || truncate:
		ino = &inode{}
		m.live[name] = ino
	}
	return &memFile{fs: m, name: name, ino: ino, write: write, append: app}, nil
}

// Create implements FS.
func (m *MemFS) Create(name string) (File, error) { return m.open(name, true, true, true, false) }

// Open implements FS.
func (m *MemFS) Open(name string) (File, error) { return m.open(name, false, false, false, false) }

// OpenAppend implements FS.
func (m *MemFS) OpenAppend(name string) (File, error) { return m.open(name, false, false, true, true) }

// Remove implements FS.
func (m *MemFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	name = filepath.Clean(name)
	if _, ok := m.live[name]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(m.live, name)
	return nil
}

// Rename implements FS.
func (m *MemFS) Rename(o, n string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, n = filepath.Clean(o), filepath.Clean(n)
	ino, ok := m.live[o]
	if !ok {
		return &fs.PathError{Op: "rename", Path: o, Err: fs.ErrNotExist}
	}
	delete(m.live, o)
	m.live[n] = ino
	return nil
}

// List implements FS.
func (m *MemFS) List(dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	dir = filepath.Clean(dir)
	if !m.dirs[dir] {
		return nil, &fs.PathError{Op: "readdir", Path: dir, Err: fs.ErrNotExist}
	}
	var names []string
	for name := range m.live {
		if filepath.Dir(name) == dir {
			names = append(names, filepath.Base(name))
		}
	}
	sort.Strings(names)
	return names, nil
}

// MkdirAll implements FS. Directories are durable at once.
func (m *MemFS) MkdirAll(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		m.dirs[d] = true
		if d == "." || d == "/" || !strings.Contains(d, string(filepath.Separator)) {
			break
		}
	}
	return nil
}

// SyncDir implements FS: the directory's current names become durable.
func (m *MemFS) SyncDir(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tick(&m.failSyncAfter) {
		return ErrInjected
	}
	dir = filepath.Clean(dir)
	for name := range m.durable {
		if filepath.Dir(name) == dir {
			delete(m.durable, name)
		}
	}
	for name, ino := range m.live {
		if filepath.Dir(name) == dir {
			m.durable[name] = ino
		}
	}
	return nil
}

func (f *memFile) Read(p []byte) (int, error) {
	n, err := f.ReadAt(p, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, fs.ErrClosed
	}
	if off >= int64(len(f.ino.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.ino.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed || !f.write {
		return 0, fmt.Errorf("write %s: %w", f.name, fs.ErrPermission)
	}
	if f.fs.tick(&f.fs.failWriteAfter) {
		return 0, ErrInjected
	}
	if f.append {
		f.off = int64(len(f.ino.data))
	}
	end := f.off + int64(len(p))
	if end > int64(len(f.ino.data)) {
		f.ino.data = append(f.ino.data, make([]byte, end-int64(len(f.ino.data)))...)
	}
	copy(f.ino.data[f.off:], p)
	f.off = end
	return len(p), nil
}

func (f *memFile) Sync() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.fs.tick(&f.fs.failSyncAfter) {
		return ErrInjected
	}
	f.ino.synced = append(f.ino.synced[:0], f.ino.data...)
	return nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if size < int64(len(f.ino.data)) {
		f.ino.data = f.ino.data[:size]
	} else {
		f.ino.data = append(f.ino.data, make([]byte, size-int64(len(f.ino.data)))...)
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return int64(len(f.ino.data)), nil
}

func (f *memFile) Close() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	f.closed = true
	return nil
}
