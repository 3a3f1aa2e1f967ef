// Package vfs is the file-system seam that subnetkit's persistent stores do
// every file operation through, so tests can swap the OS for an in-memory
// file system that simulates crashes ([MemFS.CrashClone]) and injects
// faults.
//
// The model of durability is POSIX's: bytes written to a file survive a
// crash only after File.Sync, and a created, renamed or removed name
// survives only after SyncDir on its directory. OS implements FS with the
// os package; MemFS follows the model exactly. Both are safe for concurrent
// use; a single File is not.
package vfs

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// File is an open file.
type File interface {
	io.Reader
	io.ReaderAt
	io.Writer
	io.Closer
	// Sync makes the file's written bytes durable.
	Sync() error
	// Truncate changes the file's size.
	Truncate(size int64) error
	// Size returns the current size.
	Size() (int64, error)
}

// FS is the set of file-system operations stores use.
type FS interface {
	// Create creates or truncates name for writing (and reading).
	Create(name string) (File, error)
	// Open opens name read-only.
	Open(name string) (File, error)
	// OpenAppend opens an existing file for appending writes.
	OpenAppend(name string) (File, error)
	Remove(name string) error
	Rename(oldname, newname string) error
	// List returns the names (not paths) in dir, sorted.
	List(dir string) ([]string, error)
	MkdirAll(dir string) error
	// SyncDir makes creations, renames and removals in dir durable.
	SyncDir(dir string) error
}

// OS is the operating system's file system.
type OS struct{}

var _ FS = OS{}

type osFile struct{ *os.File }

func (f osFile) Size() (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Create implements FS.
func (OS) Create(name string) (File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// Open implements FS.
func (OS) Open(name string) (File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// OpenAppend implements FS.
func (OS) OpenAppend(name string) (File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// Remove implements FS.
func (OS) Remove(name string) error { return os.Remove(name) }

// Rename implements FS.
func (OS) Rename(o, n string) error { return os.Rename(o, n) }

// MkdirAll implements FS.
func (OS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// List implements FS.
func (OS) List(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// SyncDir implements FS.
func (OS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Exists reports whether name exists in fsys.
func Exists(fsys FS, name string) bool {
	names, err := fsys.List(filepath.Dir(name))
	if err != nil {
		return false
	}
	i := sort.SearchStrings(names, filepath.Base(name))
	return i < len(names) && names[i] == filepath.Base(name)
}

// ErrNotExist is returned for missing files (it is fs.ErrNotExist).
var ErrNotExist = fs.ErrNotExist

// WriteFileAtomic replaces name with data so that a crash leaves either the
// old or the new contents: it writes a temporary file beside name, syncs
// it, renames it over name and syncs the directory.
func WriteFileAtomic(fsys FS, name string, data []byte) error {
	tmp := name + ".tmp"
	f, err := fsys.Create(tmp)
	if err != nil {
		return err
	}
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, name)
	}
	if err == nil {
		err = fsys.SyncDir(filepath.Dir(name))
	}
	return err
}
