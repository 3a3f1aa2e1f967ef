package compress

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that Decode never panics on arbitrary bytes, that every
// accepted message re-encodes to the same bytes, and that the dense
// reconstruction of small accepted messages is finite.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.bin"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(Magic))
	f.Add(header(4, 2, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		re, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode(Decode(%x)) error %v", b, err)
		}
		if !bytes.Equal(re, b) {
			t.Fatalf("Encode(Decode(%x)) = %x", b, re)
		}
		if m.TotalLen > 1<<16 {
			return // keep dense allocations small under fuzzing
		}
		d, err := Decompress(b, int(m.TotalLen))
		if err != nil {
			t.Fatalf("Decompress(%x) error %v", b, err)
		}
		for i, v := range d {
			if v != v || v > 1e30 || v < -1e30 {
				t.Fatalf("Decompress(%x)[%d] = %v, want finite", b, i, v)
			}
		}
	})
}
