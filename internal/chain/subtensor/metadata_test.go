package subtensor

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
)

// loadMetadataBytes returns the recorded runtime metadata of a real
// Subtensor node (state_getMetadata answer, "meta"-prefixed).
func loadMetadataBytes(t testing.TB, name string) []byte {
	t.Helper()
	f, err := os.Open("testdata/" + name + ".metadata.scale.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRealMetadata(t *testing.T) {
	for _, name := range []string{"finney-spec219", "testnet-spec224"} {
		t.Run(name, func(t *testing.T) {
			m, err := ParseMetadata(loadMetadataBytes(t, name))
			if err != nil {
				t.Fatal(err)
			}
			p, ok := m.Pallet("SubtensorModule")
			if !ok || p.Index != 7 {
				t.Fatalf("SubtensorModule pallet = %v, %v; want index 7", p, ok)
			}
			var ids []string
			for _, e := range m.SignedExtensions {
				ids = append(ids, e.Identifier)
			}
			t.Logf("signed extensions: %v", ids)
			pi, ci, fields, err := m.Call("SubtensorModule", "set_weights")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("set_weights = %d/%d fields %+v", pi, ci, fields)
			_, ci, _, err = m.Call("SubtensorModule", "serve_axon")
			t.Logf("serve_axon = %d %v", ci, err)
			e := p.Storage["CommitRevealWeightsEnabled"]
			t.Logf("CR entry %+v", e)
		})
	}
}

func TestParseMetadataRejectsDamage(t *testing.T) {
	b := loadMetadataBytes(t, "finney-spec219")
	for _, n := range []int{0, 4, 5, 100, len(b) / 2, len(b) - 1} {
		if _, err := ParseMetadata(b[:n]); err == nil {
			t.Errorf("ParseMetadata(first %d bytes) succeeded", n)
		}
	}
	bad := bytes.Clone(b)
	bad[4] = 15
	if _, err := ParseMetadata(bad); err == nil {
		t.Error("ParseMetadata accepted version 15")
	}
}
