package vfs

import (
	"errors"
	"testing"
)

func TestMemCrashKeepsOnlySyncedState(t *testing.T) {
	m := NewMem()
	m.MkdirAll("/d")
	f, _ := m.Create("/d/a")
	f.Write([]byte("synced"))
	f.Sync()
	m.SyncDir("/d")
	f.Write([]byte("-lost"))
	g, _ := m.Create("/d/b") // never dir-synced
	g.Write([]byte("x"))
	g.Sync()
	m.Rename("/d/a", "/d/c") // not dir-synced: the crash keeps the old name
	c := m.CrashClone()
	if b, err := c.ReadFile("/d/a"); err != nil || string(b) != "synced" {
		t.Fatalf("crash clone /d/a = %q, %v; want synced", b, err)
	}
	for _, gone := range []string{"/d/b", "/d/c"} {
		if _, err := c.ReadFile(gone); err == nil {
			t.Errorf("%s survived the crash without a directory sync", gone)
		}
	}
	m.SyncDir("/d")
	c = m.CrashClone()
	if _, err := c.ReadFile("/d/c"); err != nil {
		t.Errorf("renamed file lost after SyncDir: %v", err)
	}
}

func TestMemFaultInjection(t *testing.T) {
	m := NewMem()
	m.MkdirAll("/d")
	f, _ := m.Create("/d/a")
	m.FailWrite(2)
	if _, err := f.Write([]byte("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("2")); !errors.Is(err, ErrInjected) {
		t.Fatalf("second write = %v, want ErrInjected", err)
	}
	m.FailSync(1)
	if err := f.Sync(); !errors.Is(err, ErrInjected) {
		t.Fatalf("sync = %v, want ErrInjected", err)
	}
	if err := f.Sync(); err != nil {
		t.Fatalf("fault fired twice: %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	m := NewMem()
	m.MkdirAll("/d")
	if err := WriteFileAtomic(m, "/d/state", []byte("one")); err != nil {
		t.Fatal(err)
	}
	m.FailSync(1) // the new file's sync fails: the old contents must survive
	if err := WriteFileAtomic(m, "/d/state", []byte("two")); !errors.Is(err, ErrInjected) {
		t.Fatalf("WriteFileAtomic with failing sync = %v", err)
	}
	if b, _ := m.CrashClone().ReadFile("/d/state"); string(b) != "one" {
		t.Fatalf("after a failed replace the file holds %q, want one", b)
	}
	if err := WriteFileAtomic(m, "/d/state", []byte("three")); err != nil {
		t.Fatal(err)
	}
	if b, _ := m.CrashClone().ReadFile("/d/state"); string(b) != "three" {
		t.Fatalf("after a crash the file holds %q, want three", b)
	}
}
