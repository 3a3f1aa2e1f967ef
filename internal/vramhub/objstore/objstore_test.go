package objstore

import (
	"errors"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vfs"
)

func TestDir(t *testing.T) {
	mem := vfs.NewMem()
	d := &Dir{FS: mem, Path: "b"}
	if err := mem.MkdirAll("b"); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := d.Put(ctx, "gradient-3-1-v1.pt", []byte("abc")); err != nil {
		t.Fatal(err)
	}
	// Puts are durable: a crash right after keeps the object.
	crashed := &Dir{FS: mem.CrashClone(), Path: "b"}
	if b, err := crashed.Get(ctx, "gradient-3-1-v1.pt"); err != nil || string(b) != "abc" {
		t.Fatalf("Get after crash = %q, %v", b, err)
	}
	if _, err := d.Get(ctx, "checkpoint-1-v1.pt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(missing) err = %v, want ErrNotFound", err)
	}
	for _, k := range []string{"", "../x", "a/b", ".hidden", "x y"} {
		if err := d.Put(ctx, k, nil); !errors.Is(err, ErrBadKey) {
			t.Errorf("Put(%q) err = %v, want ErrBadKey", k, err)
		}
		if _, err := d.Get(ctx, k); !errors.Is(err, ErrBadKey) {
			t.Errorf("Get(%q) err = %v, want ErrBadKey", k, err)
		}
	}
	if CheckpointKey(4) != "checkpoint-4-v1.pt" || AggregationKey(2) != "aggregation-2.pt" {
		t.Error("key formats changed")
	}
}
