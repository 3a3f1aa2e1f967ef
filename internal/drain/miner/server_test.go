package miner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/keys"
)

type fixture struct {
	srv       *Server
	ts        *httptest.Server
	minerKey  *keys.Keypair
	validator *axon.Dendrite
	reg       *prometheus.Registry
}

func newFixture(t *testing.T, allowed func(keys.PublicKey) error) *fixture {
	t.Helper()
	mk, vk := devHotkey(t, "//Alice"), devHotkey(t, "//Bob")
	reg := prometheus.NewRegistry()
	srv, err := New(Config{
		Hotkey: mk.PublicKey(), WalletKey: vectorKey(0), Wallet: crypto.PubkeyToAddress(vectorKey(0).PublicKey),
		APIURL: "https://provider.example.com", Allowed: allowed, Registerer: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{srv: srv, ts: ts, minerKey: mk, validator: axon.NewDendrite(vk, nil, ""), reg: reg}
}

func (f *fixture) checker() Checker { return Checker{HTTP: f.ts.Client(), Timeout: 5 * time.Second} }

func TestCheckRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	resp, rtt, err := f.checker().Check(t.Context(), f.validator, f.ts.URL, f.minerKey.PublicKey())
	if err != nil {
		t.Fatalf("Check() error = %v", err)
	}
	if rtt <= 0 {
		t.Errorf("Check() rtt = %v, want > 0", rtt)
	}
	want := readProofVectors(t)[0] // key 0 over //Alice
	if resp.PolygonWallet != want.Address || resp.WalletProof != want.Signature || resp.APIURL != "https://provider.example.com" {
		t.Errorf("Check() = %+v, want wallet %s proof %s", resp, want.Address, want.Signature)
	}
	wallet, ok := resp.Verify(f.minerKey.SS58())
	if !ok || wallet != common.HexToAddress(want.Address) {
		t.Errorf("Response.Verify(metagraph hotkey) = %s, %v, want %s, true", wallet.Hex(), ok, want.Address)
	}
	if _, ok := resp.Verify(devHotkey(t, "//Charlie").SS58()); ok {
		t.Error("Response.Verify(another UID's hotkey) = true, want false")
	}
	if got := testutil.ToFloat64(f.srv.requests.WithLabelValues("200")); got != 1 {
		t.Errorf("200s counted = %v, want 1", got)
	}
}

func TestCheckRefusals(t *testing.T) {
	stranger := devHotkey(t, "//Eve")
	f := newFixture(t, func(caller keys.PublicKey) error {
		if caller == stranger.PublicKey() {
			return errors.New("hotkey not in the metagraph")
		}
		return nil
	})
	tests := []struct {
		name string
		d    Signer
		hk   keys.PublicKey
		code int
	}{
		{"not in the metagraph", axon.NewDendrite(stranger, nil, ""), f.minerKey.PublicKey(), http.StatusForbidden},
		{"signed for another axon", f.validator, devHotkey(t, "//Dave").PublicKey(), http.StatusUnauthorized},
		{"unsigned", noSigner{}, f.minerKey.PublicKey(), http.StatusForbidden},
		{"stale nonce", axon.NewDendrite(devHotkey(t, "//Bob"), func() time.Time { return time.Now().Add(-time.Hour) }, ""), f.minerKey.PublicKey(), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.checker().Check(t.Context(), tt.d, f.ts.URL, tt.hk)
			se, ok := errors.AsType[*StatusError](err)
			if !ok || se.Code != tt.code || se.Message == "" {
				t.Errorf("Check(%s) error = %v, want HTTP %d with a message", tt.name, err, tt.code)
			}
		})
	}
}

type noSigner struct{}

func (noSigner) Sign(*http.Request, string, []byte, keys.PublicKey, time.Duration) error { return nil }

func TestReplayRefused(t *testing.T) {
	f := newFixture(t, nil)
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+"/ProviderCheck", bytes.NewReader(requestBody))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.validator.Sign(req, SynapseName, requestBody, f.minerKey.PublicKey(), DefaultTimeout); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		r := req.Clone(t.Context())
		r.Body = io.NopCloser(bytes.NewReader(requestBody))
		resp, err := f.ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("request %d status = %d, want %d", i, resp.StatusCode, want)
		}
		if got := resp.Header.Get(axon.HeaderAxonStatusCode); got != strconv.Itoa(want) {
			t.Errorf("request %d %s = %q, want %d", i, axon.HeaderAxonStatusCode, got, want)
		}
	}
}

func TestRoutes(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/ProviderCheck", http.StatusMethodNotAllowed},
		{http.MethodPost, "/QuerySynapse", http.StatusNotFound},
		{http.MethodGet, "/", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.code {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, tt.code)
			}
		})
	}
	rec := httptest.NewRecorder()
	big := httptest.NewRequest(http.MethodPost, "/ProviderCheck", strings.NewReader(strings.Repeat("x", MaxBodyBytes+1)))
	f.srv.Handler().ServeHTTP(rec, big)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body = %d, want 413", rec.Code)
	}
}

func TestCheckBadAnswers(t *testing.T) {
	stop := make(chan struct{})
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(error) bool
	}{
		{"garbage", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>")) },
			func(err error) bool { return errors.Is(err, ErrBadResponse) }},
		{"busy", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"message":"priority queue full"}`))
		}, func(err error) bool {
			se, ok := errors.AsType[*StatusError](err)
			return ok && se.Code == 503 && se.Message == "priority queue full"
		}},
		{"too slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		},
			func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			if tt.name == "too slow" {
				defer close(stop)
			}
			c := Checker{HTTP: ts.Client(), Timeout: 200 * time.Millisecond}
			_, _, err := c.Check(t.Context(), axon.NewDendrite(devHotkey(t, "//Bob"), nil, ""), ts.URL, devHotkey(t, "//Alice").PublicKey())
			if !tt.check(err) {
				t.Errorf("Check(%s) error = %v", tt.name, err)
			}
		})
	}
}

func TestNewValidates(t *testing.T) {
	hk := devHotkey(t, "//Alice").PublicKey()
	key := vectorKey(0)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no hotkey", Config{WalletKey: key, APIURL: "https://x"}},
		{"no key", Config{Hotkey: hk, APIURL: "https://x"}},
		{"wallet mismatch", Config{Hotkey: hk, WalletKey: key, Wallet: common.Address{1}, APIURL: "https://x"}},
		{"no API URL", Config{Hotkey: hk, WalletKey: key}},
		{"relative API URL", Config{Hotkey: hk, WalletKey: key, APIURL: "provider.example.com"}},
		{"ftp API URL", Config{Hotkey: hk, WalletKey: key, APIURL: "ftp://x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil {
				t.Errorf("New(%s) succeeded, want an error", tt.name)
			}
		})
	}
}

func TestRun(t *testing.T) {
	srv, err := New(Config{Hotkey: devHotkey(t, "//Alice").PublicKey(), WalletKey: vectorKey(0), APIURL: "http://x"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	c := Checker{HTTP: &http.Client{Transport: &http.Transport{}}}
	if _, _, err := c.Check(t.Context(), axon.NewDendrite(devHotkey(t, "//Bob"), nil, ""), "http://"+ln.Addr().String(), devHotkey(t, "//Alice").PublicKey()); err != nil {
		t.Fatalf("Check() against Run = %v", err)
	}
	c.HTTP.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v, want nil after cancel", err)
	}
}
