package protocol

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func seedBodies(f *testing.F) {
	f.Add([]byte(`{"text":"hello","metadata":{"a":1}}`))
	f.Add([]byte(`{"query_text":"x","top_k":5,"filter":{"a":[1,{"b":null}]}}`))
	f.Add([]byte(`{"cid":"v1::` + "00000000000000000000000000000000000000000000000000000000000000ff" + `","nonce_hex":"` + "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f" + `","expires_at":5}`))
	f.Add([]byte(`{"raw_embedding":[1,2,3],"metadata":{"\ud800":1}}`))
	var vs cidVectors
	if b, err := os.ReadFile(filepath.Join("testdata", "cid_vectors.json")); err == nil && json.Unmarshal(b, &vs) == nil {
		for _, c := range vs.Cases {
			f.Add([]byte(`{"text":"t","metadata":` + c.Metadata + `}`))
		}
	}
}

func FuzzDecodeIngest(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeIngest(body)
		if err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal(decoded) = %v", err)
		}
		r2, err := DecodeIngest(b)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b, err)
		}
		c1, err1 := CID(r.RawEmbedding, r.Metadata, r.ModelVersion)
		c2, err2 := CID(r2.RawEmbedding, r2.Metadata, r2.ModelVersion)
		if r.Text != r2.Text || c1 != c2 || (err1 == nil) != (err2 == nil) || r.Namespace != r2.Namespace {
			t.Fatalf("round trip changed the request: %+v vs %+v", r, r2)
		}
	})
}

func FuzzDecodeQuery(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeQuery(body)
		if err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := DecodeQuery(b)
		if err != nil || r2.TopK != r.TopK || r2.QueryText != r.QueryText || string(r2.Filter.Raw()) != string(r.Filter.Raw()) {
			t.Fatalf("round trip of %s: %+v, %v", b, r2, err)
		}
	})
}

func FuzzDecodeChallenge(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeChallenge(body)
		if err != nil {
			return
		}
		b, _ := json.Marshal(r)
		if r2, err := DecodeChallenge(b); err != nil || r2 != r {
			t.Fatalf("round trip of %s: %+v, %v", b, r2, err)
		}
	})
}

func FuzzRenderPython(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := RenderPython(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformedJSON) && !errors.Is(err, ErrInvalidMetadata) {
				t.Fatalf("RenderPython error %v is neither malformed nor invalid", err)
			}
			return
		}
		// null compacts to {} by design: only objects must round-trip.
		if _, err := CompactMetadata(raw); err == nil && s != "None" {
			c, _ := CompactMetadata(raw)
			s2, err := RenderPython(c)
			if err != nil || s2 != s {
				t.Fatalf("render of compact form %s = %q, %v; want %q", c, s2, err, s)
			}
		}
	})
}
