// Package objstore is the object storage VRAM HUB nodes put gradients,
// checkpoints and aggregated updates in: a small interface with the keys of
// the design (gradient-{w}-{uid}-v1.pt, checkpoint-{w}-v1.pt,
// aggregation-{w}.pt), and a directory implementation used by the local
// demo and single-machine runs. S3-compatible buckets implement the same
// interface. Integrity never comes from the store: readers check the
// SHA-256 the ledger records.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/subnetkit/subnetkit/internal/vfs"
)

// ErrNotFound is returned by Get for a missing key.
var ErrNotFound = errors.New("objstore: no such object")

// ErrBadKey is returned for keys that are not a plain object name.
var ErrBadKey = errors.New("objstore: invalid key")

// Store holds objects by key.
type Store interface {
	Put(ctx context.Context, key string, b []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// Dir is a Store in one directory, writing each object atomically.
type Dir struct {
	FS   vfs.FS
	Path string
}

// NewDir returns a Dir on the OS file system, creating path.
func NewDir(path string) (*Dir, error) {
	d := &Dir{FS: vfs.OS{}, Path: path}
	if err := d.FS.MkdirAll(path); err != nil {
		return nil, err
	}
	return d, nil
}

// checkKey allows the object names of the design: one path element of
// letters, digits, '-', '_' and '.', not starting with '.'.
func checkKey(key string) error {
	if key == "" || len(key) > 200 || strings.HasPrefix(key, ".") {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	for _, c := range key {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return fmt.Errorf("%w: %q", ErrBadKey, key)
		}
	}
	return nil
}

// Put writes b under key, replacing any previous object atomically.
func (d *Dir) Put(_ context.Context, key string, b []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return vfs.WriteFileAtomic(d.FS, filepath.Join(d.Path, key), b)
}

// Get reads the object under key.
func (d *Dir) Get(_ context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := d.FS.Open(filepath.Join(d.Path, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// CheckpointKey is the key of the checkpoint effective from window w.
func CheckpointKey(w uint64) string { return fmt.Sprintf("checkpoint-%d-v1.pt", w) }

// AggregationKey is the key of the aggregated update of window w.
func AggregationKey(w uint64) string { return fmt.Sprintf("aggregation-%d.pt", w) }
