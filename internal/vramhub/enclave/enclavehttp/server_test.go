package enclavehttp

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/data"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	tinyModel = model.Config{Vocab: 16, Context: 8, Layers: 1, Width: 16, Heads: 2, MLPRatio: 2}
	tinyData  = data.Spec{Kind: data.KindSynthetic, Vocab: 16, Rows: 2, RowLen: 9}
)

const testWindow = 11

type fixture struct {
	scorer *enclave.Scorer
	model  *model.Model
	ckpt   []byte
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	s, err := enclave.NewScorer(enclave.ScorerConfig{Model: tinyModel, Data: tinyData})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(tinyModel, 5)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{scorer: s, model: m, ckpt: enclave.EncodeCheckpoint(m, testWindow)}
}

// seedReader yields the same byte forever, so key draws are reproducible.
type seedReader byte

func (r seedReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func (f *fixture) server(t testing.TB, cfg ServerConfig) *Server {
	t.Helper()
	cfg.Scorer = f.scorer
	if cfg.Rand == nil {
		cfg.Rand = seedReader(1)
	}
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatalf("NewServer = %v", err)
	}
	return s
}

func (f *fixture) gradient(t testing.TB, uid uint64) []byte {
	t.Helper()
	batch, err := f.scorer.Batch(uid, testWindow)
	if err != nil {
		t.Fatal(err)
	}
	_, g, err := f.model.Gradient(batch)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compress.New(len(g), compress.Config{DisableMomentum: true, TopK: 512})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Compress(g)
	if err != nil {
		t.Fatal(err)
	}
	return res.Message
}

func (f *fixture) request(t testing.TB, uids ...uint64) *enclave.ProcessRequest {
	t.Helper()
	grads := map[uint64][]byte{}
	for _, uid := range uids {
		grads[uid] = f.gradient(t, uid)
	}
	return &enclave.ProcessRequest{
		NetworkID:       "vramhub-dev",
		ValidatorUID:    2,
		Window:          testWindow,
		CheckpointHash:  enclave.CheckpointHash(f.ckpt),
		CheckpointBytes: f.ckpt,
		PeerGradients:   grads,
		ApplyScale:      0.5,
	}
}

func TestHTTPErrors(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{MaxBodyBytes: 64 << 10})
	good, err := json.Marshal(f.request(t, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	wrongHash := f.request(t, 1)
	wrongHash.CheckpointHash[0] ^= 1
	empty := f.request(t)
	badBatch := f.request(t, 1)
	badBatch.AssignedBatches = map[uint64][][]int32{1: {{1, 2, 3}}}
	big := f.request(t, 1)
	big.CheckpointBytes = make([]byte, 64<<10)
	tests := []struct {
		name   string
		method string
		path   string
		body   []byte
		want   int
	}{
		{"good", http.MethodPost, "/process_data", good, http.StatusOK},
		{"not JSON", http.MethodPost, "/process_data", []byte("{"), http.StatusBadRequest},
		{"unknown field", http.MethodPost, "/process_data", []byte(`{"window":1,"extra":true}`), http.StatusBadRequest},
		{"trailing data", http.MethodPost, "/process_data", append(bytes.Clone(good), "{}"...), http.StatusBadRequest},
		{"bad uid key", http.MethodPost, "/process_data", []byte(`{"peer_gradients":{"x":""}}`), http.StatusBadRequest},
		{"bad hash", http.MethodPost, "/process_data", []byte(`{"checkpoint_hash":"abc"}`), http.StatusBadRequest},
		{"score as string", http.MethodPost, "/process_data", []byte(`{"window":"1"}`), http.StatusBadRequest},
		{"wrong checkpoint hash", http.MethodPost, "/process_data", mustJSON(t, wrongHash), http.StatusBadRequest},
		{"wrong assigned batch", http.MethodPost, "/process_data", mustJSON(t, badBatch), http.StatusBadRequest},
		{"no gradients", http.MethodPost, "/process_data", mustJSON(t, empty), http.StatusUnprocessableEntity},
		{"body too large", http.MethodPost, "/process_data", mustJSON(t, big), http.StatusRequestEntityTooLarge},
		{"wrong method", http.MethodGet, "/process_data", nil, http.StatusMethodNotAllowed},
		{"unknown path", http.MethodGet, "/nope", nil, http.StatusNotFound},
		{"health", http.MethodGet, "/health", nil, http.StatusOK},
		{"health check", http.MethodGet, "/health_check", nil, http.StatusOK},
		{"attestation", http.MethodGet, "/get_attestation", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, bytes.NewReader(tt.body)))
			if rec.Code != tt.want {
				t.Fatalf("%s %s = %d (%s), want %d", tt.method, tt.path, rec.Code, rec.Body, tt.want)
			}
			if tt.want >= 400 && tt.want != http.StatusMethodNotAllowed && tt.want != http.StatusNotFound {
				var eb enclave.ErrorResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error == "" {
					t.Errorf("error body %q, want {\"error\": …}", rec.Body)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", ct)
				}
			}
		})
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHealthAndAttestationShapes(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{})
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public().(ed25519.PublicKey)
	if !bytes.Equal(s.PublicKey(), pub) {
		t.Fatalf("PublicKey() = %x, want the key of the injected seed %x", []byte(s.PublicKey()), []byte(pub))
	}
	for _, path := range []string{"/health", "/health_check"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		want := `{"status":"ok","public_key":"` + hexOf(pub) + `"}` + "\n"
		if rec.Body.String() != want {
			t.Errorf("GET %s = %s, want %s", path, rec.Body, want)
		}
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/get_attestation", nil))
	doc := ledger.DevDocument(enclave.DevPCRs(), pub)
	want := `{"attestation_document":"` + hexOf(doc) + `","public_key":"` + hexOf(pub) + `","mode":"dev"}` + "\n"
	if rec.Body.String() != want {
		t.Errorf("GET /get_attestation = %s, want %s", rec.Body, want)
	}
	att, err := ledger.DevVerifier{}.Verify(doc, 0)
	if err != nil {
		t.Fatalf("DevVerifier.Verify = %v", err)
	}
	if !bytes.Equal(att.PublicKey, pub) || !bytes.Equal(att.PCRs[1], enclave.DevPCRs()[1]) {
		t.Errorf("DevVerifier.Verify = %x, want the server's key and dev PCRs", att.PublicKey)
	}
}

func hexOf(b []byte) string {
	h, _ := ledger.HexBytes(b).MarshalText()
	return string(h)
}

func TestResponseJSONShape(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{})
	req := f.request(t, 1, 2)
	req.PeerGradients[3] = []byte("junk")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/process_data", bytes.NewReader(mustJSON(t, req))))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /process_data = %d %s", rec.Code, rec.Body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"window", "validator_uid", "checkpoint_hash", "scores", "losses", "excluded", "ratings", "signed_payload", "signature", "public_key"}
	for _, k := range wantKeys {
		if _, ok := raw[k]; !ok {
			t.Errorf("response lacks %q", k)
		}
	}
	if len(raw) != len(wantKeys) {
		t.Errorf("response has %d fields, want %d: %s", len(raw), len(wantKeys), rec.Body)
	}
	if got := string(raw["scores"]); !strings.Contains(got, `"3":-1000000000000000000`) {
		t.Errorf("scores = %s, want uid 3 as the integer -1000000000000000000", got)
	}
	var resp enclave.ProcessResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if _, err := enclave.VerifyResponse(req, &resp, s.PublicKey()); err != nil {
		t.Errorf("VerifyResponse(decoded answer) = %v, want nil", err)
	}
}

func TestServerBusy(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{})
	s.sem <- struct{}{} // an evaluation is running
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rec := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/process_data", bytes.NewReader(mustJSON(t, f.request(t, 1))))
	s.ServeHTTP(rec, r)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("POST /process_data while busy = %d, want %d", rec.Code, http.StatusServiceUnavailable)
	}
	<-s.sem
}

type fakeAttester struct{ calls atomic.Int32 }

func (a *fakeAttester) Attest(pub []byte) ([]byte, error) {
	a.calls.Add(1)
	return ledger.DevDocument(enclave.DevPCRs(), pub), nil
}

func TestNewServerRejects(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		cfg  ServerConfig
		want error
	}{
		{"no scorer", ServerConfig{}, enclave.ErrConfig},
		{"simulated", ServerConfig{Scorer: f.scorer, Mode: enclave.ModeSimulated}, enclave.ErrConfig},
		{"nitro without attester", ServerConfig{Scorer: f.scorer, Mode: enclave.ModeNitro}, enclave.ErrNitroAttestationUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewServer(tt.cfg); !errors.Is(err, tt.want) {
				t.Errorf("NewServer = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("short random source", func(t *testing.T) {
		if _, err := NewServer(ServerConfig{Scorer: f.scorer, Rand: bytes.NewReader([]byte{1})}); err == nil {
			t.Error("NewServer(short reader) = nil error, want one")
		}
	})
}
