package corpus

import (
	"bytes"
	"testing"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
)

func TestBuildSaveLoad(t *testing.T) {
	s, err := Build(t.Context(), embed.Lexical{}, Sample(), 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Items) != len(Sample())+50 {
		t.Fatalf("items = %d", len(s.Items))
	}
	for _, it := range s.Items {
		if it.TopKCIDs[0] != it.CID || len(it.TopKCIDs) != 10 {
			t.Fatalf("top-k of %s = %v, want itself first and 10 entries", it.CID, it.TopKCIDs)
		}
	}
	var buf bytes.Buffer
	if err := s.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := bytes.Clone(buf.Bytes())
	back, err := Load(&buf)
	if err != nil || len(back.Items) != len(s.Items) || back.Items[3].CID != s.Items[3].CID {
		t.Fatalf("Load = %d items, %v", len(back.Items), err)
	}
	bad := bytes.Replace(saved, []byte(s.Items[0].CID[5:20]), []byte("000000000000000"), 1)
	if _, err := Load(bytes.NewReader(bad)); err == nil {
		t.Fatal("Load accepted a CID that does not match its vector")
	}
	again, _ := Build(t.Context(), embed.Lexical{}, Sample(), 50, 1)
	if again.Items[70].CID != s.Items[70].CID {
		t.Fatal("Build is not deterministic")
	}
}
