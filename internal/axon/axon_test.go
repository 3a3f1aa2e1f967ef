package axon

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ChainSafe/go-schnorrkel"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// testSigner is an sr25519 key built straight from a mini-secret, so these
// tests depend only on schnorrkel.
type testSigner struct {
	sk  *schnorrkel.SecretKey
	pub keys.PublicKey
}

func newTestSigner(t testing.TB, b byte) *testSigner {
	t.Helper()
	var seed [32]byte
	seed[0] = b
	ms, err := schnorrkel.NewMiniSecretKeyFromRaw(seed)
	if err != nil {
		t.Fatal(err)
	}
	sk := ms.ExpandEd25519()
	pk, err := sk.Public()
	if err != nil {
		t.Fatal(err)
	}
	return &testSigner{sk: sk, pub: keys.PublicKey(pk.Encode())}
}

func (s *testSigner) PublicKey() keys.PublicKey { return s.pub }
func (s *testSigner) Sign(msg []byte) ([]byte, error) {
	sig, err := s.sk.Sign(schnorrkel.NewSigningContext([]byte(keys.SigningContext), msg))
	if err != nil {
		return nil, err
	}
	b := sig.Encode()
	return b[:], nil
}

type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func newClock() *clock {
	c := &clock{}
	c.t.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}
func mustReq(t testing.TB, body []byte) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.1:8091/IngestSynapse", bytes.NewReader(body))
	return r
}

var ingestBody = []byte(`{"text":null,"raw_embedding":[0.5,1,-0.25],"metadata":{"k":"v"},"model_version":"v1","namespace":null}`)

func TestSignVerifyRoundTrip(t *testing.T) {
	clk := newClock()
	val, miner := newTestSigner(t, 1), newTestSigner(t, 2)
	d := NewDendrite(val, clk.now, "")
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Required: true, Now: clk.now})
	for i := range 3 {
		r := mustReq(t, ingestBody)
		if err := d.Sign(r, "IngestSynapse", ingestBody, miner.pub, 12*time.Second); err != nil {
			t.Fatal(err)
		}
		caller, signed, err := v.Verify(r, "IngestSynapse", ingestBody)
		if err != nil || !signed || caller != val.pub {
			t.Fatalf("request %d: Verify = %v, %v, %v; want %v, true, nil", i, caller, signed, err, val.pub)
		}
	}
}

// TestVerifyRejects tries to break the scheme one way at a time.
func TestVerifyRejects(t *testing.T) {
	val, miner, other := newTestSigner(t, 1), newTestSigner(t, 2), newTestSigner(t, 3)
	tests := []struct {
		name   string
		mutate func(t *testing.T, r *http.Request, clk *clock) (body []byte)
		want   error
	}{
		{"forged signature", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderDendriteSig, "0x"+string(bytes.Repeat([]byte("ab"), 64)))
			return ingestBody
		}, ErrBadSignature},
		{"claims another hotkey", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderDendriteHotkey, other.pub.SS58())
			return ingestBody
		}, ErrBadSignature},
		{"signed for another axon", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Del(HeaderAxonHotkey) // hide the address: the message still names the other axon
			return ingestBody
		}, ErrBadSignature},
		{"swapped body", func(t *testing.T, r *http.Request, _ *clock) []byte {
			return bytes.Replace(ingestBody, []byte(`"v"`), []byte(`"w"`), 1)
		}, ErrBodyHashMismatch},
		{"swapped body and hash header", func(t *testing.T, r *http.Request, _ *clock) []byte {
			b := bytes.Replace(ingestBody, []byte(`"v"`), []byte(`"w"`), 1)
			bh, _ := BodyHash("IngestSynapse", b)
			r.Header.Set(HeaderComputedBodyHash, bh)
			return b
		}, ErrBadSignature},
		{"stale nonce", func(t *testing.T, r *http.Request, clk *clock) []byte {
			clk.add(NonceSlack + 12*time.Second + time.Millisecond)
			return ingestBody
		}, ErrStaleNonce},
		{"stale nonce with inflated timeout header", func(t *testing.T, r *http.Request, clk *clock) []byte {
			clk.add(NonceSlack + MaxTimeout + time.Millisecond)
			r.Header.Set(HeaderTimeout, "100000.0")
			return ingestBody
		}, ErrStaleNonce},
		{"garbage nonce", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderDendriteNonce, "12x")
			return ingestBody
		}, ErrMalformedHeaders},
		{"garbage hotkey", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderDendriteHotkey, "5notanaddress")
			return ingestBody
		}, ErrMalformedHeaders},
		{"short signature", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderDendriteSig, "0xabcd")
			return ingestBody
		}, ErrMalformedHeaders},
		{"missing uuid", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Del(HeaderDendriteUUID)
			return ingestBody
		}, ErrMalformedHeaders},
		{"axon header names another axon", func(t *testing.T, r *http.Request, _ *clock) []byte {
			r.Header.Set(HeaderAxonHotkey, other.pub.SS58())
			return ingestBody
		}, ErrWrongAxon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			d := NewDendrite(val, clk.now, "")
			v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Required: true, Now: clk.now})
			r := mustReq(t, ingestBody)
			target := miner.pub
			if tt.name == "signed for another axon" {
				target = other.pub
			}
			if err := d.Sign(r, "IngestSynapse", ingestBody, target, 12*time.Second); err != nil {
				t.Fatal(err)
			}
			body := tt.mutate(t, r, clk)
			_, signed, err := v.Verify(r, "IngestSynapse", body)
			if !errors.Is(err, tt.want) || signed {
				t.Fatalf("Verify = signed %v, err %v; want err %v", signed, err, tt.want)
			}
			if StatusCode(err) != http.StatusUnauthorized {
				t.Errorf("StatusCode(%v) = %d, want 401", err, StatusCode(err))
			}
		})
	}
}

func TestReplayAndBackwardsNonce(t *testing.T) {
	clk := newClock()
	val, miner := newTestSigner(t, 1), newTestSigner(t, 2)
	d := NewDendrite(val, clk.now, "")
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Now: clk.now})
	first := mustReq(t, ingestBody)
	if err := d.Sign(first, "IngestSynapse", ingestBody, miner.pub, time.Second); err != nil {
		t.Fatal(err)
	}
	second := mustReq(t, ingestBody)
	if err := d.Sign(second, "IngestSynapse", ingestBody, miner.pub, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, _, err := v.Verify(second, "IngestSynapse", ingestBody); err != nil {
		t.Fatalf("Verify(second) = %v", err)
	}
	if _, _, err := v.Verify(second, "IngestSynapse", ingestBody); !errors.Is(err, ErrStaleNonce) {
		t.Errorf("replay: Verify = %v, want ErrStaleNonce", err)
	}
	if _, _, err := v.Verify(first, "IngestSynapse", ingestBody); !errors.Is(err, ErrStaleNonce) {
		t.Errorf("older nonce after newer: Verify = %v, want ErrStaleNonce", err)
	}
}

func TestConcurrentReplayOnlyOnePasses(t *testing.T) {
	clk := newClock()
	val, miner := newTestSigner(t, 1), newTestSigner(t, 2)
	d := NewDendrite(val, clk.now, "")
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Now: clk.now})
	r := mustReq(t, ingestBody)
	if err := d.Sign(r, "IngestSynapse", ingestBody, miner.pub, time.Second); err != nil {
		t.Fatal(err)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			c := r.Clone(t.Context())
			if _, _, err := v.Verify(c, "IngestSynapse", ingestBody); err == nil {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("%d concurrent copies of one request passed, want 1", ok.Load())
	}
}

func TestUnsignedAndRequired(t *testing.T) {
	miner := newTestSigner(t, 2)
	r := mustReq(t, ingestBody)
	soft := NewVerifier(VerifierConfig{Hotkey: miner.pub})
	if caller, signed, err := soft.Verify(r, "IngestSynapse", ingestBody); err != nil || signed || !caller.IsZero() {
		t.Errorf("soft mode unsigned: Verify = %v, %v, %v; want zero, false, nil", caller, signed, err)
	}
	hard := NewVerifier(VerifierConfig{Hotkey: miner.pub, Required: true})
	if _, _, err := hard.Verify(r, "IngestSynapse", ingestBody); !errors.Is(err, ErrUnsigned) {
		t.Errorf("required unsigned: Verify = %v, want ErrUnsigned", err)
	}
	// A request with only some signature headers is verified, not waved through.
	r.Header.Set(HeaderDendriteHotkey, miner.pub.SS58())
	if _, _, err := soft.Verify(r, "IngestSynapse", ingestBody); err == nil {
		t.Error("partial signature headers accepted in soft mode")
	}
}

func TestAllowedHookForbids(t *testing.T) {
	clk := newClock()
	val, miner := newTestSigner(t, 1), newTestSigner(t, 2)
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Now: clk.now, Allowed: func(s string, c keys.PublicKey) error {
		return errors.New("not a validator")
	}})
	body := []byte(`{"cid":"v1::00","nonce_hex":"ab","expires_at":5}`)
	r := mustReq(t, body)
	if err := NewDendrite(val, clk.now, "").Sign(r, "ChallengeSynapse", body, miner.pub, time.Second); err != nil {
		t.Fatal(err)
	}
	_, _, err := v.Verify(r, "ChallengeSynapse", body)
	if _, ok := errors.AsType[*ForbiddenError](err); !ok || StatusCode(err) != http.StatusForbidden {
		t.Fatalf("Verify = %v (status %d), want ForbiddenError/403", err, StatusCode(err))
	}
}

func TestNonceCacheBounded(t *testing.T) {
	clk := newClock()
	miner := newTestSigner(t, 2)
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub, Now: clk.now, MaxEntries: 4})
	signers := make([]*testSigner, 6)
	for i := range signers {
		signers[i] = newTestSigner(t, byte(10+i))
	}
	verify := func(s *testSigner) error {
		r := mustReq(t, ingestBody)
		if err := NewDendrite(s, clk.now, "").Sign(r, "IngestSynapse", ingestBody, miner.pub, time.Second); err != nil {
			t.Fatal(err)
		}
		_, _, err := v.Verify(r, "IngestSynapse", ingestBody)
		return err
	}
	for _, s := range signers[:4] {
		if err := verify(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := verify(signers[4]); !errors.Is(err, ErrStaleNonce) {
		t.Errorf("full cache with live entries: Verify = %v, want refusal", err)
	}
	clk.add(NonceSlack + MaxTimeout + time.Second)
	if err := verify(signers[5]); err != nil {
		t.Errorf("after entries aged out: Verify = %v, want nil", err)
	}
	if v.Len() != 1 {
		t.Errorf("Len after sweep = %d, want 1", v.Len())
	}
}

func TestDendriteNoncesStrictlyIncrease(t *testing.T) {
	frozen := time.Unix(100, 0)
	d := NewDendrite(newTestSigner(t, 1), func() time.Time { return frozen }, "")
	miner := newTestSigner(t, 2)
	var last int64
	for range 5 {
		r := mustReq(t, ingestBody)
		if err := d.Sign(r, "IngestSynapse", ingestBody, miner.pub, time.Second); err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseInt(r.Header.Get(HeaderDendriteNonce), 10, 64)
		if n <= last {
			t.Fatalf("nonce %d after %d, want strictly increasing", n, last)
		}
		last = n
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("0x00", "1", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "u", "12.0", "h", ingestBody)
	f.Add("", "", "", "", "", "", []byte(`{}`))
	miner := newTestSigner(f, 2)
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub})
	f.Fuzz(func(t *testing.T, sig, nonce, hk, uuid, timeout, bh string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/IngestSynapse", bytes.NewReader(body))
		for k, val := range map[string]string{HeaderDendriteSig: sig, HeaderDendriteNonce: nonce,
			HeaderDendriteHotkey: hk, HeaderDendriteUUID: uuid, HeaderTimeout: timeout, HeaderComputedBodyHash: bh} {
			if val != "" {
				r.Header.Set(k, val)
			}
		}
		if _, signed, err := v.Verify(r, "IngestSynapse", body); signed && err == nil {
			t.Fatal("fuzzed headers verified")
		}
	})
}

func TestBodyHashVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/body_hash_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Note     string `json:"note"`
		Synapse  string `json:"synapse"`
		Body     string `json:"body"`
		BodyHash string `json:"body_hash"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		got, err := BodyHash(c.Synapse, []byte(c.Body))
		if err != nil || got != c.BodyHash {
			t.Errorf("%s: BodyHash = %s, %v; want %s", c.Note, got, err, c.BodyHash)
		}
	}
	if _, err := BodyHash("NoSuchSynapse", []byte(`{}`)); !errors.Is(err, ErrUnknownSynapse) {
		t.Errorf("unknown synapse: err = %v", err)
	}
	for _, bad := range []string{`[1]`, `nope`, `{"raw_embedding":["x"]}`} {
		if _, err := BodyHash("IngestSynapse", []byte(bad)); err == nil {
			t.Errorf("BodyHash(%s) accepted", bad)
		}
	}
}

func FuzzBodyHash(f *testing.F) {
	f.Add([]byte(`{"query_vector":[1,2],"filter":{"a":[1.5]}}`))
	f.Add(ingestBody)
	f.Fuzz(func(t *testing.T, body []byte) {
		for s := range SynapseFields {
			_, _ = BodyHash(s, body)
		}
	})
}

func TestShortHotkeyHeaderIsRefusedNotPanic(t *testing.T) {
	miner := newTestSigner(t, 2)
	v := NewVerifier(VerifierConfig{Hotkey: miner.pub})
	r := mustReq(t, ingestBody)
	r.Header.Set(HeaderDendriteHotkey, "4jS")
	r.Header.Set(HeaderDendriteNonce, "1")
	if _, _, err := v.Verify(r, "IngestSynapse", ingestBody); !errors.Is(err, ErrMalformedHeaders) {
		t.Fatalf("Verify with hotkey 4jS = %v, want ErrMalformedHeaders", err)
	}
}
