package embed

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeAPI serves the real /v1/embeddings response shape.
func fakeAPI(t *testing.T, handle func(w http.ResponseWriter, req embeddingsRequest, call int)) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" || r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, `{"error":{"message":"bad path or key"}}`, 401)
			return
		}
		var req embeddingsRequest
		json.NewDecoder(r.Body).Decode(&req)
		handle(w, req, int(calls.Add(1)))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func vecFor(text string, dim int) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(len(text)+i%7) + 0.5
	}
	return v
}

func writeEmbeddings(w http.ResponseWriter, req embeddingsRequest, dim int, b64 bool, reverse bool) {
	type item struct {
		Object    string `json:"object"`
		Index     int    `json:"index"`
		Embedding any    `json:"embedding"`
	}
	var data []item
	for i, t := range req.Input {
		v := vecFor(t, dim)
		var emb any = v
		if b64 {
			b := make([]byte, 4*len(v))
			for j, x := range v {
				binary.LittleEndian.PutUint32(b[4*j:], math.Float32bits(x))
			}
			emb = base64.StdEncoding.EncodeToString(b)
		}
		data = append(data, item{"embedding", i, emb})
	}
	if reverse {
		for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
			data[i], data[j] = data[j], data[i]
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
}

func newTestClient(t *testing.T, url string, mut func(*OpenAIConfig)) *OpenAI {
	cfg := OpenAIConfig{BaseURL: url, APIKey: "k", Model: "m", sleep: func(context.Context, time.Duration) error { return nil }}
	if mut != nil {
		mut(&cfg)
	}
	c, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpenAIFormatsOrderAndBatching(t *testing.T) {
	for _, tc := range []struct {
		name         string
		b64, reverse bool
	}{{"float", false, false}, {"base64", true, false}, {"out of order", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := fakeAPI(t, func(w http.ResponseWriter, req embeddingsRequest, _ int) {
				writeEmbeddings(w, req, Dim, tc.b64, tc.reverse)
			})
			c := newTestClient(t, srv.URL, func(c *OpenAIConfig) { c.BatchSize = 64 })
			texts := make([]string, 150)
			for i := range texts {
				texts[i] = fmt.Sprintf("text %d %s", i, string(make([]byte, i%5)))
			}
			vs, err := c.Embed(t.Context(), texts)
			if err != nil {
				t.Fatal(err)
			}
			if calls.Load() != 3 || len(vs) != 150 {
				t.Fatalf("calls = %d, vectors = %d; want 3 and 150", calls.Load(), len(vs))
			}
			for i, v := range vs {
				want := normalize(vecFor(texts[i], Dim))
				if v[0] != want[0] || v[383] != want[383] {
					t.Fatalf("vector %d not in input order", i)
				}
			}
		})
	}
}

func TestOpenAIRetriesThenSucceeds(t *testing.T) {
	srv, calls := fakeAPI(t, func(w http.ResponseWriter, req embeddingsRequest, call int) {
		if call <= 2 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, `{"error":{"message":"overloaded"}}`, 503)
			return
		}
		writeEmbeddings(w, req, Dim, false, false)
	})
	var waits []time.Duration
	c := newTestClient(t, srv.URL, func(c *OpenAIConfig) {
		c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	if _, err := c.Embed(t.Context(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || len(waits) != 2 || waits[0] != time.Second {
		t.Fatalf("calls %d waits %v; want 3 calls and two 1s waits (Retry-After)", calls.Load(), waits)
	}
}

func TestOpenAIErrors(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, req embeddingsRequest, call int)
		want   string
	}{
		{"400 not retried", func(w http.ResponseWriter, _ embeddingsRequest, _ int) {
			http.Error(w, `{"error":{"message":"input too long"}}`, 400)
		}, "400: input too long"},
		{"wrong dimension", func(w http.ResponseWriter, req embeddingsRequest, _ int) { writeEmbeddings(w, req, 1536, false, false) }, "1536 dimensions"},
		{"wrong count", func(w http.ResponseWriter, req embeddingsRequest, _ int) {
			req.Input = req.Input[:1]
			writeEmbeddings(w, req, Dim, false, false)
		}, "1 embeddings for 2 inputs"},
		{"always 500", func(w http.ResponseWriter, _ embeddingsRequest, _ int) { http.Error(w, "boom", 500) }, "giving up after 4 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := fakeAPI(t, tt.handle)
			_, err := newTestClient(t, srv.URL, nil).Embed(t.Context(), []string{"a", "b"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Embed err = %v, want %q", err, tt.want)
			}
			if tt.name == "400 not retried" {
				if _, ok := errors.AsType[*APIError](err); !ok || calls.Load() != 1 {
					t.Fatalf("400: err %T after %d calls, want *APIError after 1", err, calls.Load())
				}
			}
		})
	}
	c := newTestClient(t, "http://127.0.0.1:1", nil)
	if _, err := c.Embed(t.Context(), []string{"ok", "  "}); !errors.Is(err, ErrEmptyText) {
		t.Fatalf("blank text: err = %v, want ErrEmptyText", err)
	}
}
