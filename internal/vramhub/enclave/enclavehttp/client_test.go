package enclavehttp

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// swap serves whichever handler is current, like an enclave host whose
// enclave restarts behind a fixed address.
type swap struct{ h atomic.Pointer[http.Handler] }

func (s *swap) set(h http.Handler)                               { s.h.Store(&h) }
func (s *swap) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*s.h.Load()).ServeHTTP(w, r) }

func startHTTP(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

func newClient(t *testing.T, ts *httptest.Server, cfg ClientConfig) *Client {
	t.Helper()
	cfg.URL = ts.URL
	cfg.HTTPClient = ts.Client()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient = %v", err)
	}
	return c
}

func TestDevRoundTrip(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{})
	ts := startHTTP(t, s)
	c := newClient(t, ts, ClientConfig{Mode: enclave.ModeDev, Verifier: ledger.DevVerifier{}})
	req := f.request(t, 1, 4, 9)

	resp, err := c.ProcessData(t.Context(), req) // fetches the key first
	if err != nil {
		t.Fatalf("ProcessData = %v", err)
	}
	if !bytes.Equal(c.PublicKey(), s.PublicKey()) {
		t.Errorf("PublicKey() = %x, want the server's %x", []byte(c.PublicKey()), []byte(s.PublicKey()))
	}
	msg, err := ledger.ScoreMessage(req.NetworkID, req.ValidatorUID, req.Window, req.CheckpointHash, resp.Pairs())
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(s.PublicKey(), msg, resp.Signature) {
		t.Error("signature does not verify over ledger.ScoreMessage")
	}
	for _, p := range resp.Pairs() {
		if p.Score <= 0 {
			t.Errorf("score of honest uid %d = %d, want > 0", p.UID, p.Score)
		}
	}
	direct, err := f.scorer.Process(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	for uid, sc := range direct.Scores {
		if resp.Scores[uid] != sc || resp.Ratings[uid] != direct.Ratings[uid] || resp.Losses[uid] != direct.Losses[uid] {
			t.Errorf("uid %d over HTTP = %d %v %v, in process %d %v %v", uid, resp.Scores[uid], resp.Ratings[uid], resp.Losses[uid], sc, direct.Ratings[uid], direct.Losses[uid])
		}
	}

	t.Run("enclave error surfaces", func(t *testing.T) {
		bad := f.request(t, 1)
		bad.CheckpointHash[0] ^= 1
		_, err := c.ProcessData(t.Context(), bad)
		se, ok := errors.AsType[*StatusError](err)
		if !ok || se.StatusCode != http.StatusBadRequest {
			t.Errorf("ProcessData(wrong hash) = %v, want a 400 StatusError", err)
		}
	})
}

func TestDevKeyRefreshAfterRestart(t *testing.T) {
	f := newFixture(t)
	var sw swap
	sw.set(f.server(t, ServerConfig{Rand: seedReader(1)}))
	ts := startHTTP(t, &sw)
	c := newClient(t, ts, ClientConfig{Mode: enclave.ModeDev})
	if _, err := c.Attestation(t.Context()); err != nil {
		t.Fatal(err)
	}
	restarted := f.server(t, ServerConfig{Rand: seedReader(2)})
	sw.set(restarted)
	if _, err := c.ProcessData(t.Context(), f.request(t, 1)); err != nil {
		t.Fatalf("ProcessData after restart = %v, want the new key fetched", err)
	}
	if !bytes.Equal(c.PublicKey(), restarted.PublicKey()) {
		t.Errorf("PublicKey() = %x, want the restarted key", []byte(c.PublicKey()))
	}
}

func TestNitroPinning(t *testing.T) {
	f := newFixture(t)
	att := &fakeAttester{}
	var sw swap
	s := f.server(t, ServerConfig{Mode: enclave.ModeNitro, Attester: att})
	sw.set(s)
	ts := startHTTP(t, &sw)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)).Public().(ed25519.PublicKey)

	t.Run("no verifier", func(t *testing.T) {
		c := newClient(t, ts, ClientConfig{Mode: enclave.ModeNitro, PinnedKey: s.PublicKey(), RegisteredKey: s.PublicKey()})
		if _, err := c.Attestation(t.Context()); !errors.Is(err, enclave.ErrNitroAttestationUnsupported) {
			t.Errorf("Attestation = %v, want %v", err, enclave.ErrNitroAttestationUnsupported)
		}
		if _, err := c.ProcessData(t.Context(), f.request(t, 1)); !errors.Is(err, enclave.ErrNitroAttestationUnsupported) {
			t.Errorf("ProcessData = %v, want %v", err, enclave.ErrNitroAttestationUnsupported)
		}
	})
	t.Run("pinned key differs", func(t *testing.T) {
		c := newClient(t, ts, ClientConfig{Mode: enclave.ModeNitro, PinnedKey: other, RegisteredKey: other, Verifier: ledger.DevVerifier{}})
		if _, err := c.Attestation(t.Context()); !errors.Is(err, enclave.ErrKeyMismatch) {
			t.Errorf("Attestation = %v, want %v", err, enclave.ErrKeyMismatch)
		}
	})
	t.Run("pinned and ledger keys differ", func(t *testing.T) {
		_, err := NewClient(ClientConfig{Mode: enclave.ModeNitro, URL: ts.URL, PinnedKey: s.PublicKey(), RegisteredKey: other})
		if !errors.Is(err, enclave.ErrKeyMismatch) {
			t.Errorf("NewClient = %v, want %v", err, enclave.ErrKeyMismatch)
		}
	})
	t.Run("verified and pinned", func(t *testing.T) {
		c := newClient(t, ts, ClientConfig{Mode: enclave.ModeNitro, PinnedKey: s.PublicKey(), RegisteredKey: s.PublicKey(), Verifier: ledger.DevVerifier{}})
		a, err := c.Attestation(t.Context())
		if err != nil {
			t.Fatalf("Attestation = %v", err)
		}
		if a.Mode != enclave.ModeNitro || att.calls.Load() == 0 {
			t.Errorf("Attestation mode %q after %d Attest calls, want nitro from the attester", a.Mode, att.calls.Load())
		}
		if _, err := c.ProcessData(t.Context(), f.request(t, 1, 2)); err != nil {
			t.Fatalf("ProcessData = %v", err)
		}
		// The enclave restarts with a new key: the pinned client refuses.
		sw.set(f.server(t, ServerConfig{Mode: enclave.ModeNitro, Attester: att, Rand: seedReader(3)}))
		if _, err := c.ProcessData(t.Context(), f.request(t, 1)); !errors.Is(err, enclave.ErrKeyMismatch) {
			t.Errorf("ProcessData after restart = %v, want %v", err, enclave.ErrKeyMismatch)
		}
		if _, err := c.Attestation(t.Context()); !errors.Is(err, enclave.ErrKeyMismatch) {
			t.Errorf("Attestation after restart = %v, want %v", err, enclave.ErrKeyMismatch)
		}
		sw.set(s)
	})
	t.Run("dev enclave refused", func(t *testing.T) {
		dev := f.server(t, ServerConfig{})
		dts := startHTTP(t, dev)
		c := newClient(t, dts, ClientConfig{Mode: enclave.ModeNitro, PinnedKey: dev.PublicKey(), RegisteredKey: dev.PublicKey(), Verifier: ledger.DevVerifier{}})
		if _, err := c.Attestation(t.Context()); !errors.Is(err, enclave.ErrKeyMismatch) {
			t.Errorf("Attestation(dev enclave) = %v, want %v", err, enclave.ErrKeyMismatch)
		}
	})
}

// tamper rewrites every /process_data answer of next with edit.
func tamper(next http.Handler, edit func(*enclave.ProcessResponse)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/process_data" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var resp enclave.ProcessResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		edit(&resp)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	})
}

func TestClientRejectsTamperedAnswers(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, ServerConfig{})
	impostor := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	tests := []struct {
		name string
		edit func(*enclave.ProcessResponse)
		want error
	}{
		{"raised score", func(r *enclave.ProcessResponse) { r.Scores[1] += 1000 }, enclave.ErrResponseMismatch},
		{"raised score, payload rebuilt", func(r *enclave.ProcessResponse) {
			r.Scores[1] += 1000
			r.SignedPayload, _ = ledger.ScoreMessage("vramhub-dev", r.ValidatorUID, r.Window, r.CheckpointHash, r.Pairs())
		}, enclave.ErrBadSignature},
		{"re-signed by another key", func(r *enclave.ProcessResponse) {
			r.Signature = ed25519.Sign(impostor, r.SignedPayload)
			r.PublicKey = ledger.HexBytes(impostor.Public().(ed25519.PublicKey))
		}, enclave.ErrKeyMismatch},
		{"zeroed signature", func(r *enclave.ProcessResponse) { r.Signature = make([]byte, 64) }, enclave.ErrBadSignature},
		{"dropped miner", func(r *enclave.ProcessResponse) { delete(r.Scores, 2) }, enclave.ErrResponseMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startHTTP(t, tamper(s, tt.edit))
			c := newClient(t, ts, ClientConfig{Mode: enclave.ModeDev})
			if _, err := c.ProcessData(t.Context(), f.request(t, 1, 2)); !errors.Is(err, tt.want) {
				t.Errorf("ProcessData = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSimulatedClient(t *testing.T) {
	f := newFixture(t)
	c, err := NewClient(ClientConfig{Mode: enclave.ModeSimulated})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Attestation(t.Context()); !errors.Is(err, ErrNoEnclave) {
		t.Errorf("Attestation = %v, want %v", err, ErrNoEnclave)
	}
	req := f.request(t, 1, 2)
	resp, err := c.ProcessData(t.Context(), req)
	if err != nil {
		t.Fatalf("ProcessData = %v", err)
	}
	if !enclave.IsZeroSignature(resp.Signature) || len(resp.PublicKey) != 0 {
		t.Errorf("simulated signature %x key %x, want 64 zero bytes and no key", []byte(resp.Signature), []byte(resp.PublicKey))
	}
	msg, err := ledger.ScoreMessage(req.NetworkID, req.ValidatorUID, req.Window, req.CheckpointHash, resp.Pairs())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(msg, resp.SignedPayload) {
		t.Error("simulated signed_payload differs from ledger.ScoreMessage")
	}
	if c.PublicKey() != nil {
		t.Errorf("PublicKey() = %x, want nil", []byte(c.PublicKey()))
	}
}

func TestNewClientRejects(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	tests := []struct {
		name string
		cfg  ClientConfig
		want error
	}{
		{"no mode", ClientConfig{}, enclave.ErrConfig},
		{"unknown mode", ClientConfig{Mode: "tee"}, enclave.ErrConfig},
		{"dev without URL", ClientConfig{Mode: enclave.ModeDev}, enclave.ErrConfig},
		{"nitro without keys", ClientConfig{Mode: enclave.ModeNitro, URL: "http://127.0.0.1:1"}, enclave.ErrConfig},
		{"nitro short key", ClientConfig{Mode: enclave.ModeNitro, URL: "http://127.0.0.1:1", PinnedKey: key[:31], RegisteredKey: key[:31]}, enclave.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewClient(tt.cfg); !errors.Is(err, tt.want) {
				t.Errorf("NewClient = %v, want %v", err, tt.want)
			}
		})
	}
}
