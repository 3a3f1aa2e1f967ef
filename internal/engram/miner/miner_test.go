package miner

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
	"github.com/subnetkit/subnetkit/internal/keys"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	m     *Miner
	store *vecstore.Store
	clk   *clock
	reg   *prometheus.Registry
	h     http.Handler
}

func newFixture(t *testing.T, mut func(*Config)) *fixture {
	t.Helper()
	st, err := vecstore.Open(t.Context(), vecstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Unix(1_735_000_000, 0)}
	reg := prometheus.NewRegistry()
	miner, _ := keys.FromURI("//Miner1")
	cfg := Config{Store: st, Embedder: embed.Lexical{}, Hotkey: miner.PublicKey(), Now: clk.now, Registerer: reg, Gatherer: reg}
	if mut != nil {
		mut(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); st.Close() })
	return &fixture{m: m, store: st, clk: clk, reg: reg, h: m.Handler()}
}

func (f *fixture) do(t *testing.T, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "203.0.113.7:5555"
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "remote" {
			r.RemoteAddr = hdr[i+1]
			continue
		}
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response %q is not JSON: %v", w.Body.String(), err)
	}
	return v
}

func vec(seed int) []float32 {
	v := make([]float32, protocol.EmbeddingDim)
	v[seed%protocol.EmbeddingDim] = 1
	v[(seed*7+1)%protocol.EmbeddingDim] = 0.5
	return protocol.Normalize(v)
}

func vecJSON(v []float32) string { b, _ := json.Marshal(v); return string(b) }

// TestStatusTable covers every row of engram.md §5.1 the miner serves.
func TestStatusTable(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxBodyBytes = 64 << 10 })
	big := `{"text":"` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		name, method, path, body string
		code                     int
		errHas                   string
	}{
		{"ingest ok", "POST", "/IngestSynapse", `{"text":"hello world"}`, 200, ""},
		{"not json", "POST", "/IngestSynapse", `hello`, 400, "invalid JSON body"},
		{"json array", "POST", "/QuerySynapse", `[1]`, 400, "invalid JSON body"},
		{"NaN", "POST", "/IngestSynapse", `{"raw_embedding":[NaN]}`, 400, "invalid JSON body"},
		{"too big", "POST", "/IngestSynapse", big, 413, "larger than"},
		{"business: both inputs", "POST", "/IngestSynapse", `{"text":"x","raw_embedding":` + vecJSON(vec(1)) + `}`, 200, "not both"},
		{"business: dimension", "POST", "/IngestSynapse", `{"raw_embedding":[1,2]}`, 200, "384 numbers"},
		{"business: top_k", "POST", "/QuerySynapse", `{"query_text":"x","top_k":500}`, 200, "top_k"},
		{"business: bad nonce", "POST", "/ChallengeSynapse", `{"cid":"v1::` + strings.Repeat("a", 64) + `","nonce_hex":"00","expires_at":1}`, 200, "nonce_hex"},
		{"business: private namespace", "POST", "/IngestSynapse", `{"text":"x","namespace":"mine"}`, 200, "private namespaces"},
		{"business: empty text", "POST", "/IngestSynapse", `{"text":"!!!"}`, 200, "no words"},
		{"unknown route", "GET", "/nope", ``, 404, "no such endpoint"},
		{"wrong method", "GET", "/IngestSynapse", ``, 405, ""},
		{"retrieve bad cid", "GET", "/retrieve/abc", ``, 400, "invalid cid"},
		{"retrieve missing", "GET", "/retrieve/v1::" + strings.Repeat("b", 64), ``, 404, "not found"},
		{"metrics from non-loopback", "GET", "/metrics", ``, 403, "loopback"},
		{"delete from non-loopback unsigned", "DELETE", "/retrieve/v1::" + strings.Repeat("b", 64), ``, 404, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(t, tt.method, tt.path, tt.body)
			if w.Code != tt.code {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, w.Code, w.Body, tt.code)
			}
			if tt.errHas != "" && !strings.Contains(w.Body.String(), tt.errHas) {
				t.Fatalf("body %s does not mention %q", w.Body, tt.errHas)
			}
			if w.Code == 200 && tt.errHas != "" {
				var resp map[string]any
				json.Unmarshal(w.Body.Bytes(), &resp)
				if resp["error"] == nil {
					t.Fatalf("business error without error field: %s", w.Body)
				}
			}
		})
	}
}

func TestIngestQueryChallengeRetrieve(t *testing.T) {
	f := newFixture(t, nil)
	v := vec(3)
	w := f.do(t, "POST", "/IngestSynapse", `{"raw_embedding":`+vecJSON(v)+`,"metadata":{"source":"arxiv","n":1.0}}`)
	ir := decode[protocol.IngestResponse](t, w)
	want, _ := protocol.CID(v, []byte(`{"source":"arxiv","n":1.0}`), "v1")
	if ir.CID == nil || *ir.CID != want || ir.Error != nil {
		t.Fatalf("ingest = %s, want cid %s", w.Body, want)
	}
	again := decode[protocol.IngestResponse](t, f.do(t, "POST", "/IngestSynapse", `{"raw_embedding":`+vecJSON(v)+`,"metadata":{"source":"arxiv","n":1.0}}`))
	if *again.CID != want || f.store.Len() != 1 {
		t.Fatalf("re-ingest = %v (store %d), want same CID and no duplicate", *again.CID, f.store.Len())
	}
	for i := range 20 {
		f.do(t, "POST", "/IngestSynapse", `{"raw_embedding":`+vecJSON(vec(100+i))+`}`)
	}
	qr := decode[protocol.QueryResponse](t, f.do(t, "POST", "/QuerySynapse", `{"query_vector":`+vecJSON(v)+`,"top_k":5}`))
	if len(qr.Results) != 5 || qr.Results[0].CID != want || qr.Results[0].Score < 0.999 || qr.LatencyMS == nil {
		t.Fatalf("query = %+v", qr)
	}
	if string(qr.Results[0].Metadata) != `{"source":"arxiv","n":1.0}` || qr.Results[0].TrustTier != "anonymous" {
		t.Fatalf("result metadata = %s tier %s", qr.Results[0].Metadata, qr.Results[0].TrustTier)
	}
	for i := 1; i < len(qr.Results); i++ {
		if qr.Results[i].Score > qr.Results[i-1].Score {
			t.Fatal("results not in descending score order")
		}
	}
	filtered := decode[protocol.QueryResponse](t, f.do(t, "POST", "/QuerySynapse", `{"query_vector":`+vecJSON(vec(100))+`,"filter":{"source":"arxiv"}}`))
	if len(filtered.Results) != 1 || filtered.Results[0].CID != want {
		t.Fatalf("filtered query = %+v", filtered.Results)
	}
	var nonce [32]byte
	nonce[5] = 9
	body := fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":%d}`, want, hex.EncodeToString(nonce[:]), f.clk.now().Unix())
	cr := decode[protocol.ChallengeResponse](t, f.do(t, "POST", "/ChallengeSynapse", body))
	if cr.Error != nil || !protocol.VerifyProof(v, nonce, *cr.EmbeddingHash, *cr.Proof) {
		t.Fatalf("challenge = %+v, want a proof that verifies", cr)
	}
	f.clk.add(time.Second)
	expired := decode[protocol.ChallengeResponse](t, f.do(t, "POST", "/ChallengeSynapse", body))
	if expired.Error == nil || expired.Proof != nil || expired.EmbeddingHash != nil {
		t.Fatalf("expired challenge = %+v, want error and no proof", expired)
	}
	unknown := strings.Replace(body, want[4:8], "ffff", 1)
	if r := decode[protocol.ChallengeResponse](t, f.do(t, "POST", "/ChallengeSynapse", unknown)); r.Error == nil || r.Proof != nil {
		t.Fatalf("unknown cid challenge = %+v", r)
	}
	rr := decode[map[string]any](t, f.do(t, "GET", "/retrieve/"+want, ""))
	if rr["cid"] != want {
		t.Fatalf("retrieve = %v", rr)
	}
	if w := f.do(t, "DELETE", "/retrieve/"+want, "", "remote", "203.0.113.9:1"); w.Code != 403 {
		t.Fatalf("non-loopback unsigned delete = %d", w.Code)
	}
	if w := f.do(t, "DELETE", "/retrieve/"+want, "", "remote", "127.0.0.1:1"); w.Code != 200 {
		t.Fatalf("loopback delete = %d %s", w.Code, w.Body)
	}
	st := decode[map[string]any](t, f.do(t, "GET", "/stats", ""))
	if st["vectors"].(float64) != 20 || st["queries_today"].(float64) != 2 || st["proof_rate"].(float64) != 0.3333 {
		t.Fatalf("stats = %v", st)
	}
	if got := testutil.ToFloat64(f.m.m.challenges.WithLabelValues("proved")); got != 1 {
		t.Errorf("engram_miner_challenges_total{proved} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(f.m.m.ingests.WithLabelValues("duplicate")); got != 1 {
		t.Errorf("engram_miner_ingests_total{duplicate} = %v, want 1", got)
	}
	if w := f.do(t, "GET", "/metrics", "", "remote", "127.0.0.1:9"); w.Code != 200 || !strings.Contains(w.Body.String(), "engram_miner_requests_total") {
		t.Fatalf("metrics = %d", w.Code)
	}
}

func TestHealthLabelsLexical(t *testing.T) {
	f := newFixture(t, nil)
	h := decode[map[string]any](t, f.do(t, "GET", "/health", ""))
	e := h["embedder"].(map[string]any)
	if h["status"] != "ok" || e["semantic"] != false || !strings.Contains(e["model"].(string), "not semantic") {
		t.Fatalf("health = %v", h)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateLimit = 3; c.RateWindow = 10 * time.Second })
	for i := range 3 {
		if w := f.do(t, "POST", "/IngestSynapse", `{"text":"hello"}`); w.Code != 200 {
			t.Fatalf("request %d = %d", i, w.Code)
		}
		f.clk.add(time.Second)
	}
	w := f.do(t, "POST", "/IngestSynapse", `{"text":"hello"}`)
	if w.Code != 429 || w.Header().Get("Retry-After") != "7" || !strings.Contains(w.Body.String(), "Rate limit exceeded: max 3 ingest requests per 10s") {
		t.Fatalf("4th request = %d %s Retry-After %q", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	// Queries have their own bucket; another client has its own key.
	if w := f.do(t, "POST", "/QuerySynapse", `{"query_text":"hello"}`); w.Code != 200 {
		t.Fatalf("query after ingest limit = %d", w.Code)
	}
	if w := f.do(t, "POST", "/IngestSynapse", `{"text":"hello"}`, "remote", "198.51.100.1:1"); w.Code != 200 {
		t.Fatalf("other client = %d", w.Code)
	}
	f.clk.add(8 * time.Second)
	if w := f.do(t, "POST", "/IngestSynapse", `{"text":"hello"}`); w.Code != 200 {
		t.Fatalf("after the window = %d", w.Code)
	}
}

func signed(t *testing.T, d *axon.Dendrite, minerKey keys.PublicKey, synapse, body string) []string {
	r := httptest.NewRequest("POST", "http://10.0.0.1:8091/"+synapse, nil)
	if err := d.Sign(r, synapse, []byte(body), minerKey, 12*time.Second); err != nil {
		t.Fatal(err)
	}
	var hdr []string
	for k := range r.Header {
		hdr = append(hdr, k, r.Header.Get(k))
	}
	return hdr
}

func TestSignaturesRequired(t *testing.T) {
	alice, _ := keys.FromURI("//Alice")
	bob, _ := keys.FromURI("//Bob")
	minerKey, _ := keys.FromURI("//Miner1")
	f := newFixture(t, func(c *Config) {
		c.RequireHotkeySig = true
		c.AllowedValidators = []keys.PublicKey{alice.PublicKey()}
	})
	body := `{"raw_embedding":` + vecJSON(vec(9)) + `}`
	if w := f.do(t, "POST", "/IngestSynapse", body); w.Code != 401 {
		t.Fatalf("unsigned ingest = %d, want 401", w.Code)
	}
	d := axon.NewDendrite(bob, f.clk.now, "")
	w := f.do(t, "POST", "/IngestSynapse", body, signed(t, d, minerKey.PublicKey(), "IngestSynapse", body)...)
	ir := decode[protocol.IngestResponse](t, w)
	if w.Code != 200 || ir.CID == nil {
		t.Fatalf("signed ingest = %d %s", w.Code, w.Body)
	}
	rec, _ := f.store.Get(protocol.PublicNamespace, *ir.CID)
	if rec.Ingester != bob.SS58() {
		t.Fatalf("ingester = %q, want %s", rec.Ingester, bob.SS58())
	}
	// Swapped body under a valid signature.
	hdr := signed(t, d, minerKey.PublicKey(), "IngestSynapse", body)
	if w := f.do(t, "POST", "/IngestSynapse", `{"raw_embedding":`+vecJSON(vec(10))+`}`, hdr...); w.Code != 401 {
		t.Fatalf("swapped body = %d, want 401", w.Code)
	}
	// Challenge by a non-allowed validator.
	cb := fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":%d}`, *ir.CID, strings.Repeat("00", 32), f.clk.now().Unix()+5)
	if w := f.do(t, "POST", "/ChallengeSynapse", cb, signed(t, d, minerKey.PublicKey(), "ChallengeSynapse", cb)...); w.Code != 403 {
		t.Fatalf("challenge by bob = %d, want 403", w.Code)
	}
	da := axon.NewDendrite(alice, f.clk.now, "")
	if w := f.do(t, "POST", "/ChallengeSynapse", cb, signed(t, da, minerKey.PublicKey(), "ChallengeSynapse", cb)...); w.Code != 200 {
		t.Fatalf("challenge by alice = %d %s", w.Code, w.Body)
	}
	// Delete: only the ingester (bob), signed; alice is refused.
	del := fmt.Sprintf(`{"cid":%q}`, *ir.CID)
	if w := f.do(t, "DELETE", "/retrieve/"+*ir.CID, del, signed(t, da, minerKey.PublicKey(), "DeleteSynapse", del)...); w.Code != 403 {
		t.Fatalf("delete by alice = %d, want 403", w.Code)
	}
	if w := f.do(t, "DELETE", "/retrieve/"+*ir.CID, del, signed(t, d, minerKey.PublicKey(), "DeleteSynapse", del)...); w.Code != 200 {
		t.Fatalf("delete by ingester = %d %s", w.Code, w.Body)
	}
}

// TestEndToEndLoopback runs the miner on a real listener.
func TestEndToEndLoopback(t *testing.T) {
	f := newFixture(t, nil)
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	post := func(path, body string) []byte {
		resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return b
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() { post("/IngestSynapse", fmt.Sprintf(`{"text":"document number %d about topic %d"}`, i, i%4)) })
	}
	wg.Wait()
	var qr protocol.QueryResponse
	json.Unmarshal(post("/QuerySynapse", `{"query_text":"document number 3 about topic 3","top_k":3}`), &qr)
	if len(qr.Results) != 3 || qr.Results[0].Score < 0.99 {
		t.Fatalf("text query = %+v", qr)
	}
}

func TestBatcherGroupsConcurrentTexts(t *testing.T) {
	ce := &countingEmbedder{}
	b := newBatcher(ce, 8)
	defer b.close()
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			if _, err := b.embed(t.Context(), fmt.Sprintf("text %d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ce.texts.Load() != 64 {
		t.Fatalf("embedded %d texts, want 64", ce.texts.Load())
	}
	t.Logf("64 texts in %d Embed calls", ce.calls.Load())
}
