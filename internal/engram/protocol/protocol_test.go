package protocol

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

type cidVectors struct {
	EmbeddingHash string `json:"embedding_hash"`
	Cases         []struct {
		Note         string `json:"note"`
		Metadata     string `json:"metadata"`
		ModelVersion string `json:"model_version"`
		MetaStr      string `json:"meta_str"`
		CID          string `json:"cid"`
	} `json:"cases"`
}

func testVector() []float32 {
	v := make([]float32, EmbeddingDim)
	for i := range v {
		v[i] = float32(float64((i*37)%101-50) / 64)
	}
	v[0] = 0.1
	return v
}

func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestCIDVectors(t *testing.T) {
	var vs cidVectors
	loadJSON(t, "cid_vectors.json", &vs)
	vec := testVector()
	if got := EmbeddingHash(vec); got != vs.EmbeddingHash {
		t.Fatalf("EmbeddingHash = %s, want %s", got, vs.EmbeddingHash)
	}
	for _, c := range vs.Cases {
		t.Run(c.Note+"/"+c.ModelVersion, func(t *testing.T) {
			ms, err := metaString([]byte(c.Metadata))
			if err != nil {
				t.Fatalf("metaString(%s): %v", c.Metadata, err)
			}
			if ms != c.MetaStr {
				t.Errorf("metaString(%s) = %q, want %q", c.Metadata, ms, c.MetaStr)
			}
			got, err := CID(vec, []byte(c.Metadata), c.ModelVersion)
			if err != nil || got != c.CID {
				t.Errorf("CID(%s, %s) = %s, %v; want %s", c.Metadata, c.ModelVersion, got, err, c.CID)
			}
			// The compact form the miner stores must give the same CID.
			if c.Metadata != "null" {
				compact, err := CompactMetadata(json.RawMessage(c.Metadata))
				if err != nil {
					t.Fatal(err)
				}
				if got2, _ := CID(vec, compact, c.ModelVersion); got2 != c.CID {
					t.Errorf("CID of compact %s = %s, want %s", compact, got2, c.CID)
				}
			}
		})
	}
}

func TestProofVectors(t *testing.T) {
	var vs struct {
		Cases []struct {
			NonceHex      string `json:"nonce_hex"`
			EmbeddingHash string `json:"embedding_hash"`
			Proof         string `json:"proof"`
		} `json:"cases"`
	}
	loadJSON(t, "proof_vectors.json", &vs)
	vec := testVector()
	for _, c := range vs.Cases {
		var n [NonceBytes]byte
		b, _ := hex.DecodeString(c.NonceHex)
		copy(n[:], b)
		if got := Proof(n, c.EmbeddingHash); got != c.Proof {
			t.Errorf("Proof(%s) = %s, want %s", c.NonceHex, got, c.Proof)
		}
		if !VerifyProof(vec, n, c.EmbeddingHash, c.Proof) {
			t.Errorf("VerifyProof(%s) = false for the right answer", c.NonceHex)
		}
		other := append([]float32(nil), vec...)
		other[383] = math.Nextafter32(other[383], 2)
		if VerifyProof(other, n, c.EmbeddingHash, c.Proof) {
			t.Error("VerifyProof accepted a proof for a vector one ulp away")
		}
		bad := []byte(c.Proof)
		bad[0] ^= 1
		if VerifyProof(vec, n, c.EmbeddingHash, string(bad)) {
			t.Error("VerifyProof accepted a tampered proof")
		}
		if VerifyProof(vec, n, "", "") {
			t.Error("VerifyProof accepted empty answers")
		}
	}
}

// pointThree is 0.1+0.2 computed at run time (constants fold exactly).
var pointOne, pointTwo = 0.1, 0.2
var pointThree = pointOne + pointTwo

func TestPyFloatRepr(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.5, "0.5"}, {1, "1.0"}, {100, "100.0"}, {1e5, "100000.0"}, {0.0001, "0.0001"},
		{0.00001, "1e-05"}, {1.5e16, "1.5e+16"}, {1e16, "1e+16"}, {1e100, "1e+100"},
		{1234567890123456, "1234567890123456.0"}, {math.Copysign(0, -1), "-0.0"}, {0, "0.0"},
		{-2.5, "-2.5"}, {pointThree, "0.30000000000000004"}, {1e-310, "1e-310"},
		{123.456, "123.456"}, {float64(float32(0.1)), "0.10000000149011612"},
		{math.Inf(1), "inf"}, {math.NaN(), "nan"},
	}
	for _, tt := range tests {
		if got := PyFloatRepr(tt.in); got != tt.want {
			t.Errorf("PyFloatRepr(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderPythonErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{`{"a":1e400}`, ErrInvalidMetadata},
		{`{"a":"\ud800"}`, ErrInvalidMetadata},
		{`{"a":NaN}`, ErrMalformedJSON},
		{`{"a":Infinity}`, ErrMalformedJSON},
		{`{"a":1`, ErrMalformedJSON},
		{`{"a":1} x`, ErrMalformedJSON},
	}
	for _, tt := range tests {
		if _, err := RenderPython(json.RawMessage(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("RenderPython(%s) err = %v, want %v", tt.in, err, tt.want)
		}
	}
	if got, _ := RenderPython(json.RawMessage(`"plain"`)); got != "plain" {
		t.Errorf("RenderPython(string) = %q, want plain", got)
	}
}

func vecJSON(n int, v string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(v+",", n), ",") + "]"
}

func TestDecodeIngest(t *testing.T) {
	ok384 := vecJSON(384, "0.25")
	tests := []struct {
		name      string
		body      string
		malformed bool
		errHas    string
		check     func(t *testing.T, r IngestRequest)
	}{
		{name: "text with defaults", body: `{"text":"hello","name":"IngestSynapse","timeout":12}`, check: func(t *testing.T, r IngestRequest) {
			if r.Text != "hello" || string(r.Metadata) != "{}" || r.ModelVersion != "v1" || r.Namespace != PublicNamespace {
				t.Errorf("got %+v", r)
			}
		}},
		{name: "raw embedding rounded to float32", body: `{"raw_embedding":` + vecJSON(384, "0.1") + `,"metadata":{"b":1, "a" : "x"}}`, check: func(t *testing.T, r IngestRequest) {
			if r.RawEmbedding[0] != float32(0.1) || len(r.RawEmbedding) != 384 || string(r.Metadata) != `{"b":1,"a":"x"}` {
				t.Errorf("got %v %s", r.RawEmbedding[0], r.Metadata)
			}
		}},
		{name: "custom model version with vector", body: `{"raw_embedding":` + ok384 + `,"model_version":"v2"}`, check: func(t *testing.T, r IngestRequest) {
			if r.ModelVersion != "v2" {
				t.Errorf("ModelVersion = %q", r.ModelVersion)
			}
		}},
		{name: "private namespace", body: `{"text":"x","namespace":"my_ns1"}`, check: func(t *testing.T, r IngestRequest) {
			if r.Namespace != "my_ns1" {
				t.Errorf("Namespace = %q", r.Namespace)
			}
		}},
		{name: "empty text with vector counts as absent", body: `{"text":"","raw_embedding":` + ok384 + `}`},
		{name: "not json", body: `hello`, malformed: true},
		{name: "array body", body: `[1,2]`, malformed: true},
		{name: "NaN token", body: `{"raw_embedding":[NaN]}`, malformed: true},
		{name: "truncated", body: `{"text":"x"`, malformed: true},
		{name: "both inputs", body: `{"text":"x","raw_embedding":` + ok384 + `}`, errHas: "not both"},
		{name: "neither input", body: `{"metadata":{}}`, errHas: "send text or raw_embedding"},
		{name: "empty array counts as absent", body: `{"raw_embedding":[]}`, errHas: "send text or raw_embedding"},
		{name: "whitespace text", body: `{"text":"  \n\t"}`, errHas: "whitespace"},
		{name: "text too long", body: `{"text":"` + strings.Repeat("é", 8193) + `"}`, errHas: "8192"},
		{name: "text at limit", body: `{"text":"` + strings.Repeat("é", 8192) + `"}`},
		{name: "wrong dimension", body: `{"raw_embedding":[1,2,3]}`, errHas: "384 numbers, got 3"},
		{name: "string in vector", body: `{"raw_embedding":["1"` + strings.Repeat(",1", 383) + `]}`, errHas: "finite numbers"},
		{name: "float32 overflow", body: `{"raw_embedding":[1e39` + strings.Repeat(",1", 383) + `]}`, errHas: "finite"},
		{name: "text not string", body: `{"text":5}`, errHas: "text must be a string"},
		{name: "metadata not object", body: `{"text":"x","metadata":[1]}`, errHas: "metadata must be a JSON object"},
		{name: "metadata too big", body: `{"text":"x","metadata":{"k":"` + strings.Repeat("a", 4090) + `"}}`, errHas: "limit is 4096"},
		{name: "metadata overflow number", body: `{"text":"x","metadata":{"k":1e400}}`, errHas: "metadata is not valid"},
		{name: "metadata lone surrogate", body: `{"text":"x","metadata":{"k":"\ud800"}}`, errHas: "metadata is not valid"},
		{name: "model version with text", body: `{"text":"x","model_version":"v2"}`, errHas: "cannot be used with text"},
		{name: "model version too long", body: `{"raw_embedding":` + ok384 + `,"model_version":"` + strings.Repeat("v", 65) + `"}`, errHas: "1 to 64"},
		{name: "bad namespace", body: `{"text":"x","namespace":"9bad"}`, errHas: "namespace must match"},
		{name: "legacy namespace_key refused", body: `{"text":"x","namespace":"a","namespace_key":"pw"}`, errHas: "namespace_key"},
		{name: "case-folded field is not text", body: `{"Text":"x"}`, errHas: "send text or raw_embedding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeIngest([]byte(tt.body))
			switch {
			case tt.malformed:
				if !errors.Is(err, ErrMalformedJSON) {
					t.Fatalf("DecodeIngest err = %v, want ErrMalformedJSON", err)
				}
			case tt.errHas != "":
				if err == nil || errors.Is(err, ErrMalformedJSON) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("DecodeIngest err = %v, want business error containing %q", err, tt.errHas)
				}
			default:
				if err != nil {
					t.Fatalf("DecodeIngest err = %v", err)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
			}
		})
	}
}

func TestDecodeQuery(t *testing.T) {
	v := vecJSON(384, "0.5")
	tests := []struct {
		name   string
		body   string
		errHas string
		topK   int
	}{
		{"default top_k", `{"query_text":"x"}`, "", 10},
		{"vector", `{"query_vector":` + v + `,"top_k":5}`, "", 5},
		{"integral float top_k", `{"query_text":"x","top_k":7.0}`, "", 7},
		{"top_k 0", `{"query_text":"x","top_k":0}`, "top_k", 0},
		{"top_k 101", `{"query_text":"x","top_k":101}`, "top_k", 0},
		{"top_k string", `{"query_text":"x","top_k":"10"}`, "top_k", 0},
		{"top_k fraction", `{"query_text":"x","top_k":2.5}`, "top_k", 0},
		{"both", `{"query_text":"x","query_vector":` + v + `}`, "not both", 0},
		{"neither", `{}`, "send query_text", 0},
		{"bad filter", `{"query_text":"x","filter":[1]}`, "filter", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeQuery([]byte(tt.body))
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("DecodeQuery err = %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil || r.TopK != tt.topK {
				t.Fatalf("DecodeQuery = %+v, %v; want top_k %d", r.TopK, err, tt.topK)
			}
		})
	}
}

func TestFilterMatch(t *testing.T) {
	f, err := ParseFilter(json.RawMessage(`{"n":1,"s":"x","o":{"a":[1,2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		meta string
		want bool
	}{
		{`{"n":1,"s":"x","o":{"a":[1,2]},"extra":true}`, true},
		{`{"n":1.0,"s":"x","o":{"a":[1.0,2e0]}}`, true},
		{`{"n":2,"s":"x","o":{"a":[1,2]}}`, false},
		{`{"n":1,"s":"y","o":{"a":[1,2]}}`, false},
		{`{"n":1,"s":"x"}`, false},
		{`{"n":"1","s":"x","o":{"a":[1,2]}}`, false},
		{`not json`, false},
	}
	for _, tt := range tests {
		if got := f.Match(json.RawMessage(tt.meta)); got != tt.want {
			t.Errorf("Match(%s) = %v, want %v", tt.meta, got, tt.want)
		}
	}
	if !(Filter{}).Match(json.RawMessage(`{}`)) {
		t.Error("zero Filter does not match")
	}
}

func TestDecodeChallenge(t *testing.T) {
	cid := "v1::" + strings.Repeat("ab", 32)
	nonce := strings.Repeat("0f", 32)
	r, err := DecodeChallenge([]byte(fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":100,"validator_hotkey_hex":"ignored"}`, cid, nonce)))
	if err != nil || r.CID != cid || r.Nonce[0] != 0x0f || r.ExpiresAt != 100 {
		t.Fatalf("DecodeChallenge = %+v, %v", r, err)
	}
	if r.Expired(time.Unix(100, 0)) || !r.Expired(time.Unix(101, 0)) {
		t.Error("Expired: equal must be valid, later must be expired")
	}
	for name, body := range map[string]string{
		"bad cid":         fmt.Sprintf(`{"cid":"v1::xyz","nonce_hex":%q,"expires_at":1}`, nonce),
		"uppercase cid":   fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":1}`, strings.ToUpper(cid), nonce),
		"short nonce":     fmt.Sprintf(`{"cid":%q,"nonce_hex":"abcd","expires_at":1}`, cid),
		"missing expires": fmt.Sprintf(`{"cid":%q,"nonce_hex":%q}`, cid, nonce),
		"string expires":  fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":"1"}`, cid, nonce),
	} {
		if _, err := DecodeChallenge([]byte(body)); err == nil || errors.Is(err, ErrMalformedJSON) {
			t.Errorf("%s: DecodeChallenge err = %v, want a business error", name, err)
		}
	}
}

func TestRequestRoundTrip(t *testing.T) {
	in := IngestRequest{RawEmbedding: testVector(), Metadata: json.RawMessage(`{"b":1,"a":"<&>"}`), ModelVersion: "v1", Namespace: PublicNamespace}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeIngest(b)
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := CID(in.RawEmbedding, in.Metadata, "v1")
	c2, _ := CID(out.RawEmbedding, out.Metadata, out.ModelVersion)
	if c1 != c2 || string(out.Metadata) != string(in.Metadata) {
		t.Errorf("round trip changed the record: %s vs %s, %s", c1, c2, out.Metadata)
	}
	q := QueryRequest{QueryVector: testVector(), TopK: 3}
	b, _ = json.Marshal(q)
	qo, err := DecodeQuery(b)
	if err != nil || qo.TopK != 3 || qo.QueryVector[0] != q.QueryVector[0] {
		t.Errorf("query round trip = %+v, %v", qo.TopK, err)
	}
}

func TestValidNamespace(t *testing.T) {
	for ns, want := range map[string]bool{"a": true, "_x9": true, "A_b_C": true, "9a": false, "": false, "a-b": false, strings.Repeat("a", 64): true, strings.Repeat("a", 65): false, "é": false} {
		if got := ValidNamespace(ns); got != want {
			t.Errorf("ValidNamespace(%q) = %v, want %v", ns, got, want)
		}
	}
}

func BenchmarkCID(b *testing.B) {
	vec := testVector()
	meta := []byte(`{"source":"arxiv","n":3}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CID(vec, meta, "v1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbeddingHash(b *testing.B) {
	vec := testVector()
	b.ReportAllocs()
	for b.Loop() {
		EmbeddingHash(vec)
	}
}

func BenchmarkDecodeQueryVector(b *testing.B) {
	body := []byte(`{"query_vector":` + vecJSON(384, "0.0123456789") + `,"top_k":10}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeQuery(body); err != nil {
			b.Fatal(err)
		}
	}
}
