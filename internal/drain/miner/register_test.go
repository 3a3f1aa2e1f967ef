package miner

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// marketplace is a fake marketplace that answers codes in turn and keeps
// what it was sent.
type marketplace struct {
	mu     sync.Mutex
	codes  []int
	bodies []map[string]any
	paths  []string
}

func (m *marketplace) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bodies = append(m.bodies, body)
	m.paths = append(m.paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
	code := http.StatusOK
	if len(m.codes) > 0 {
		code, m.codes = m.codes[0], m.codes[1:]
	}
	w.WriteHeader(code)
	_, _ = w.Write([]byte(`{"ok":true}`))
}

type sleeper struct{ waits []time.Duration }

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.waits = append(s.waits, d)
	return context.Cause(ctx)
}

func newRegistrar(t *testing.T, url string, sl *sleeper, hk keys.Signer) *Registrar {
	t.Helper()
	r, err := NewRegistrar(RegistrarConfig{URL: url + "/", Signer: hk, Sleep: sl.sleep, Backoff: time.Second, MaxBackoff: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var testRegistration = Registration{
	APIURL:          "https://provider.example.com",
	ProviderAddress: common.HexToAddress("0xc34987cF06d754355E49152d9a1be3edCeCd2Ffe"),
	Name:            "Miner 7",
	Category:        "llm",
}

func TestRegisterBody(t *testing.T) {
	m := &marketplace{}
	ts := httptest.NewServer(m)
	defer ts.Close()
	hk := devHotkey(t, "//Alice")
	if err := newRegistrar(t, ts.URL, &sleeper{}, hk).Register(t.Context(), testRegistration); err != nil {
		t.Fatalf("Register() error = %v", err)
	}
	if want := []string{"POST /api/directory/providers application/json"}; !reflect.DeepEqual(m.paths, want) {
		t.Errorf("Register() sent %v, want %v", m.paths, want)
	}
	body := m.bodies[0]
	want := map[string]any{
		"bittensorHotkey": hk.SS58(), "apiUrl": "https://provider.example.com",
		"providerAddress": "0xc34987cF06d754355E49152d9a1be3edCeCd2Ffe", "name": "Miner 7", "category": "llm",
		"hotkeySignature": body["hotkeySignature"],
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("Register() body = %v, want %v", body, want)
	}
	sig, err := hex.DecodeString(body["hotkeySignature"].(string))
	if err != nil {
		t.Fatalf("hotkeySignature is not bare hex: %v", err)
	}
	msg := "handshake58:" + hk.SS58() + ":https://provider.example.com"
	if RegistrationMessage(hk.SS58(), testRegistration.APIURL) != msg {
		t.Errorf("RegistrationMessage() = %q, want %q", RegistrationMessage(hk.SS58(), testRegistration.APIURL), msg)
	}
	if !hk.PublicKey().Verify([]byte(msg), sig) {
		t.Error("hotkeySignature does not verify over the registration message")
	}
}

func TestRegistrarRun(t *testing.T) {
	tests := []struct {
		name    string
		codes   []int
		reg     Registration
		wantErr func(error) bool
		waits   []time.Duration
		calls   int
	}{
		{"first try", nil, testRegistration, nil, nil, 1},
		{"retries transient failures with capped backoff", []int{500, 502, 429, 503, 408}, testRegistration, nil,
			[]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, 6},
		{"permanent refusal stops", []int{500, 400}, testRegistration, func(err error) bool {
			re, ok := errors.AsType[*RegisterError](err)
			return ok && re.Code == 400
		}, []time.Duration{time.Second}, 2},
		{"invalid entry is not sent", nil, Registration{APIURL: "not a url", Name: "x", ProviderAddress: common.Address{1}},
			func(err error) bool { return errors.Is(err, ErrInvalidRegistration) }, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &marketplace{codes: tt.codes}
			ts := httptest.NewServer(m)
			defer ts.Close()
			sl := &sleeper{}
			err := newRegistrar(t, ts.URL, sl, devHotkey(t, "//Alice")).Run(t.Context(), tt.reg)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("Run() error = %v", err)
			}
			if !reflect.DeepEqual(sl.waits, tt.waits) {
				t.Errorf("Run() paused %v, want %v", sl.waits, tt.waits)
			}
			if len(m.bodies) != tt.calls {
				t.Errorf("Run() made %d requests, want %d", len(m.bodies), tt.calls)
			}
		})
	}
}

func TestRegistrarRunCancelled(t *testing.T) {
	m := &marketplace{codes: []int{500, 500, 500}}
	ts := httptest.NewServer(m)
	defer ts.Close()
	ctx, cancel := context.WithCancelCause(t.Context())
	stop := errors.New("shutting down")
	sl := &sleeper{}
	r, err := NewRegistrar(RegistrarConfig{URL: ts.URL, Signer: devHotkey(t, "//Alice"), Sleep: func(ctx context.Context, d time.Duration) error {
		cancel(stop)
		return sl.sleep(ctx, d)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(ctx, testRegistration); !errors.Is(err, stop) {
		t.Errorf("Run() error = %v, want the cancel cause", err)
	}
}

func TestNewRegistrarValidates(t *testing.T) {
	if _, err := NewRegistrar(RegistrarConfig{}); err == nil {
		t.Error("NewRegistrar() without a signer succeeded")
	}
	if _, err := NewRegistrar(RegistrarConfig{Signer: devHotkey(t, "//Alice"), URL: "handshake58.com"}); err == nil {
		t.Error("NewRegistrar() with a relative URL succeeded")
	}
	r, err := NewRegistrar(RegistrarConfig{Signer: devHotkey(t, "//Alice")})
	if err != nil || r.cfg.URL != DefaultMarketplaceURL {
		t.Errorf("NewRegistrar() URL = %v, %v, want %s", r, err, DefaultMarketplaceURL)
	}
}
