package provider

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/drain/contracts"
	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

const reqBody = `{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":10}`

// With 1000 base units per 1k tokens in and 2000 out, the estimate for
// reqBody is 8 + 2·10 = 28 and the upstream's usage (5 in, 7 out) costs 19.
var testPricer = TokenPricer{Default: &ModelPrice{InputPer1k: big.NewInt(1000), OutputPer1k: big.NewInt(2000)}}

type env struct {
	sim      *evm.Simulated
	d        contracts.Deployment
	p        *Provider
	srv      http.Handler
	consumer *ecdsa.PrivateKey
	provider *ecdsa.PrivateKey
	other    *ecdsa.PrivateKey
	path     string
	upstream *int // calls to the upstream
}

func upstreamJSON(usage string, calls *int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*calls++
		if r.Header.Get(voucher.HeaderName) != "" {
			http.Error(w, "voucher leaked upstream", 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","choices":[{"message":{"role":"assistant","content":"hello"}}],"usage":`+usage+`}`)
	})
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	sim := evm.NewSimulated(5)
	t.Cleanup(func() { sim.Close() })
	backend := contracts.AutoMine(sim)
	d, err := contracts.Deploy(t.Context(), backend, sim.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sim.Keys[1:] {
		if _, err := d.Client.Mint(t.Context(), sim.Keys[0], evm.Address(k), big.NewInt(100_000_000)); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{sim: sim, d: d, consumer: sim.Keys[1], provider: sim.Keys[2], other: sim.Keys[3],
		path: filepath.Join(t.TempDir(), "vouchers.jsonl"), upstream: new(int)}
	cfg.Key, cfg.Chain, cfg.Contract, cfg.StorePath = e.provider, backend, d.Channel, e.path
	if cfg.Pricer == nil {
		cfg.Pricer = testPricer
	}
	e.p, err = New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.p.Close() })
	e.srv = e.p.Handler(upstreamJSON(`{"prompt_tokens":5,"completion_tokens":7}`, e.upstream))
	return e
}

func (e *env) open(t *testing.T, consumer *ecdsa.PrivateKey, provider common.Address, deposit int64, d time.Duration) common.Hash {
	t.Helper()
	op, err := e.d.Client.Open(t.Context(), consumer, provider, big.NewInt(deposit), d)
	if err != nil {
		t.Fatal(err)
	}
	return op.ID
}

func (e *env) header(t *testing.T, signer *ecdsa.PrivateKey, id common.Hash, amount, nonce int64) string {
	t.Helper()
	s, err := voucher.Sign(signer, e.d.Client.Domain(), voucher.Voucher{ChannelID: id, Amount: big.NewInt(amount), Nonce: big.NewInt(nonce)})
	if err != nil {
		t.Fatal(err)
	}
	return voucher.EncodeHeader(s)
}

func (e *env) do(hv string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(reqBody))
	if hv != "" {
		r.Header.Set(voucher.HeaderName, hv)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

func TestHandlerRejects(t *testing.T) {
	e := newEnv(t, Config{})
	pa := evm.Address(e.provider)
	ch := e.open(t, e.consumer, pa, 1_000, time.Hour)
	elsewhere := e.open(t, e.consumer, evm.Address(e.other), 1_000, time.Hour)
	expiring := e.open(t, e.consumer, pa, 1_000, time.Minute)
	// One paid request so that nonce 1 and 19 charged are on record.
	if w := e.do(e.header(t, e.consumer, ch, 100, 1)); w.Code != 200 {
		t.Fatalf("first request = %d %s, want 200", w.Code, w.Body)
	}
	cases := []struct {
		name   string
		header string
		code   string
		req    string // X-DRAIN-Required, when set
	}{
		{"no voucher", "", CodeVoucherRequired, ""},
		{"malformed", `{"channelId":"0x1"}`, CodeInvalidVoucherFormat, ""},
		{"unknown channel", e.header(t, e.consumer, common.HexToHash("0xdead"), 100, 2), CodeChannelNotFound, ""},
		{"wrong provider", e.header(t, e.consumer, elsewhere, 100, 2), CodeWrongProvider, ""},
		{"expired channel", e.header(t, e.consumer, expiring, 100, 2), CodeChannelExpired, ""},
		{"amount not covering cost", e.header(t, e.consumer, ch, 46, 2), CodeInsufficientFunds, "47"},
		{"exceeds deposit", e.header(t, e.consumer, ch, 1_001, 2), CodeExceedsDeposit, ""},
		{"same nonce", e.header(t, e.consumer, ch, 200, 1), CodeInvalidNonce, ""},
		{"lower nonce", e.header(t, e.consumer, ch, 200, 0), CodeInvalidNonce, ""},
		{"forged signature", e.header(t, e.other, ch, 200, 2), CodeInvalidSignature, ""},
		{"signed by provider", e.header(t, e.provider, ch, 200, 2), CodeInvalidSignature, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := *e.upstream
			w := e.do(c.header)
			if w.Code != http.StatusPaymentRequired || w.Header().Get("X-DRAIN-Error") != c.code {
				t.Fatalf("status, X-DRAIN-Error = %d, %q; want 402, %q (%s)", w.Code, w.Header().Get("X-DRAIN-Error"), c.code, w.Body)
			}
			if *e.upstream != before {
				t.Errorf("upstream called on a rejected voucher")
			}
			h := w.Header()
			want := map[string]string{
				"X-Payment-Protocol": "drain-v2", "X-Payment-Provider": pa.Hex(), "X-Payment-Contract": e.d.Channel.Hex(),
				"X-Payment-Chain": "1337", "X-Payment-Signing": "https://handshake58.com/api/drain/signing", "X-Payment-Docs": "/v1/docs",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, h.Get(k), v)
				}
			}
			if c.req != "" && (h.Get("X-DRAIN-Required") != c.req || h.Get("X-DRAIN-Provided") == "") {
				t.Errorf("X-DRAIN-Required, Provided = %q, %q; want %q", h.Get("X-DRAIN-Required"), h.Get("X-DRAIN-Provided"), c.req)
			}
			var body struct {
				Error struct{ Message, Type, Code string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Type != "payment_required" || body.Error.Code != c.code || body.Error.Message == "" {
				t.Errorf("body = %s, want a payment_required error with code %s", w.Body, c.code)
			}
		})
	}
}

func TestHandlerCharges(t *testing.T) {
	e := newEnv(t, Config{})
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, time.Hour)
	w := e.do(e.header(t, e.consumer, ch, 28, 1))
	if w.Code != 200 {
		t.Fatalf("status = %d %s, want 200", w.Code, w.Body)
	}
	want := map[string]string{"X-DRAIN-Cost": "19", "X-DRAIN-Total": "19", "X-DRAIN-Remaining": "981", "X-DRAIN-Channel": ch.Hex()}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if !strings.Contains(w.Body.String(), "hello") {
		t.Errorf("body = %s, want the upstream's answer", w.Body)
	}
	// The next request must cover 19 already charged + 28 estimated.
	w = e.do(e.header(t, e.consumer, ch, 47, 2))
	if w.Code != 200 || w.Header().Get("X-DRAIN-Total") != "38" || w.Header().Get("X-DRAIN-Cost") != "19" {
		t.Fatalf("second request = %d, total %q, cost %q; want 200, 38, 19", w.Code, w.Header().Get("X-DRAIN-Total"), w.Header().Get("X-DRAIN-Cost"))
	}
	st, ok := e.p.Store().Get(ch)
	if !ok || st.Charged.Int64() != 38 || st.Latest.Nonce.Int64() != 2 || st.Latest.Amount.Int64() != 47 {
		t.Errorf("store state = %+v, want charged 38, nonce 2, amount 47", st)
	}
}

func TestHandlerInsufficientPost(t *testing.T) {
	e := newEnv(t, Config{})
	e.srv = e.p.Handler(upstreamJSON(`{"prompt_tokens":500,"completion_tokens":500}`, e.upstream))
	ch := e.open(t, e.consumer, evm.Address(e.provider), 10_000, time.Hour)
	w := e.do(e.header(t, e.consumer, ch, 100, 1))
	if w.Code != http.StatusPaymentRequired || w.Header().Get("X-DRAIN-Error") != CodeInsufficientFundsPost || w.Header().Get("X-DRAIN-Required") != "1500" {
		t.Fatalf("status = %d %q required %q, want 402 insufficient_funds_post 1500", w.Code, w.Header().Get("X-DRAIN-Error"), w.Header().Get("X-DRAIN-Required"))
	}
	if _, ok := e.p.Store().Get(ch); ok {
		t.Errorf("voucher recorded although it did not cover the cost")
	}
}

func TestHandlerUpstreamErrorNotCharged(t *testing.T) {
	e := newEnv(t, Config{})
	e.srv = e.p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"overloaded"}`, http.StatusServiceUnavailable)
	}))
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, time.Hour)
	if w := e.do(e.header(t, e.consumer, ch, 28, 1)); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want the upstream's 503", w.Code)
	}
	if _, ok := e.p.Store().Get(ch); ok {
		t.Errorf("voucher recorded for a failed upstream call")
	}
}

func TestHandlerStream(t *testing.T) {
	e := newEnv(t, Config{})
	e.srv = e.p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\n\n")
		w.(http.Flusher).Flush()
		io.WriteString(w, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}\n\ndata: [DONE]\n\n")
	}))
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, time.Hour)
	w := e.do(e.header(t, e.consumer, ch, 28, 1))
	body := w.Body.String()
	done := strings.Index(body, "data: [DONE]")
	cost := strings.Index(body, ": X-DRAIN-Cost: 19\n")
	if w.Code != 200 || done < 0 || cost < done || !strings.Contains(body, ": X-DRAIN-Total: 19\n") || !strings.Contains(body, ": X-DRAIN-Remaining: 981\n") {
		t.Fatalf("stream = %d %q, want [DONE] then the cost comments", w.Code, body)
	}
	if strings.Count(body, "[DONE]") != 1 {
		t.Errorf("stream has %d [DONE] events, want 1", strings.Count(body, "[DONE]"))
	}
	if st, _ := e.p.Store().Get(ch); st.Charged.Int64() != 19 {
		t.Errorf("charged = %s, want 19", st.Charged)
	}
}

func TestClaim(t *testing.T) {
	e := newEnv(t, Config{ClaimThreshold: big.NewInt(40), ExpiryBuffer: time.Hour})
	ctx := t.Context()
	pa := evm.Address(e.provider)
	big1 := e.open(t, e.consumer, pa, 1_000, 24*time.Hour)  // reaches the threshold
	small := e.open(t, e.consumer, pa, 1_000, 24*time.Hour) // below it
	soon := e.open(t, e.other, pa, 1_000, 30*time.Minute)   // past the serving margin, within the claim buffer
	for i, id := range []common.Hash{big1, big1, small} {
		n := int64(i + 1)
		if id == small {
			n = 1
		}
		if w := e.do(e.header(t, e.consumer, id, 28*n, n)); w.Code != 200 {
			t.Fatalf("request %d = %d %s", i, w.Code, w.Body)
		}
	}
	if w := e.do(e.header(t, e.other, soon, 28, 1)); w.Code != 200 {
		t.Fatalf("request on soon = %d %s", w.Code, w.Body)
	}
	before, _ := e.d.Client.TokenBalance(ctx, pa)
	res, err := e.p.ClaimOnce(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	claimed := map[common.Hash]bool{}
	for _, r := range res {
		if r.Err != nil || !r.Settled || r.Tx == (common.Hash{}) {
			t.Errorf("ClaimOnce result %+v, want a settled claim with a tx", r)
		}
		claimed[r.Channel] = true
	}
	if !claimed[big1] || !claimed[soon] || claimed[small] || len(res) != 2 {
		t.Errorf("ClaimOnce claimed %v, want big1 (threshold) and soon (expiry), not small", res)
	}
	after, _ := e.d.Client.TokenBalance(ctx, pa)
	if d := new(big.Int).Sub(after, before).Int64(); d != 56+28 {
		t.Errorf("provider received %d, want %d", d, 56+28)
	}
	if c, _ := e.d.Client.Channel(ctx, big1); c.Claimed.Int64() != 56 {
		t.Errorf("on-chain claimed(big1) = %s, want 56", c.Claimed)
	}
	if u := e.p.Store().Unclaimed(); len(u) != 1 || u[0].ID != small {
		t.Errorf("Unclaimed() = %v, want only small", u)
	}
	// force claims the rest; a second pass has nothing to do.
	if res, err := e.p.ClaimOnce(ctx, true); err != nil || len(res) != 1 || res[0].Channel != small || res[0].Tx == (common.Hash{}) {
		t.Errorf("ClaimOnce(force) = %+v, %v; want small claimed", res, err)
	}
	if res, err := e.p.ClaimOnce(ctx, true); err != nil || len(res) != 0 {
		t.Errorf("third ClaimOnce = %+v, %v; want nothing", res, err)
	}
}

// TestClaimFailureNotMarked checks that a claim that fails transiently
// stays unclaimed and that a permanent revert settles it.
func TestClaimFailureNotMarked(t *testing.T) {
	e := newEnv(t, Config{ClaimThreshold: big.NewInt(1)})
	ctx := t.Context()
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, 24*time.Hour)
	if w := e.do(e.header(t, e.consumer, ch, 28, 1)); w.Code != 200 {
		t.Fatal(w.Code)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.p.ClaimOnce(cctx, false); err == nil {
		t.Errorf("ClaimOnce(canceled) = nil error, want one")
	}
	if u := e.p.Store().Unclaimed(); len(u) != 1 {
		t.Fatalf("Unclaimed() after a failed pass = %d channels, want 1", len(u))
	}
	// Forge the stored voucher's signature so the chain rejects it for good.
	st, _ := e.p.Store().Get(ch)
	bad := st.Latest
	bad.Nonce = big.NewInt(2)
	bad.Amount = big.NewInt(30)
	if err := e.p.Store().Accept(bad, st.Charged); err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ClaimOnce(ctx, false)
	if err != nil || len(res) != 1 || !res[0].Settled || res[0].Tx != (common.Hash{}) || !contracts.Permanent(res[0].Err) {
		t.Fatalf("ClaimOnce(forged) = %+v, %v; want settled with a permanent error", res, err)
	}
	if len(e.p.Store().Unclaimed()) != 0 {
		t.Errorf("forged voucher still unclaimed after a permanent revert")
	}
}

func TestStoreCrashRestart(t *testing.T) {
	e := newEnv(t, Config{})
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, time.Hour)
	for n := int64(1); n <= 3; n++ {
		if w := e.do(e.header(t, e.consumer, ch, 28*n, n)); w.Code != 200 {
			t.Fatal(w.Code)
		}
	}
	if err := e.p.Store().MarkClaimed(ch, big.NewInt(28), common.HexToHash("0x01")); err != nil {
		t.Fatal(err)
	}
	e.p.Close()
	good, _ := os.ReadFile(e.path)
	// A crash mid-append leaves a torn last line.
	f, _ := os.OpenFile(e.path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"type":"voucher","channelId":"0x`)
	f.Close()

	p, err := New(t.Context(), Config{Key: e.provider, Chain: contracts.AutoMine(e.sim), Contract: e.d.Channel, StorePath: e.path, Pricer: testPricer})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	after, _ := os.ReadFile(e.path)
	if string(after) != string(good) {
		t.Errorf("log after reopen has %d bytes, want the %d good bytes (torn tail truncated)", len(after), len(good))
	}
	st, ok := p.Store().Get(ch)
	if !ok || st.Charged.Int64() != 57 || st.Latest.Nonce.Int64() != 3 || st.Latest.Amount.Int64() != 84 || st.Claimed.Int64() != 28 {
		t.Fatalf("state after restart = %+v, want charged 57, nonce 3, amount 84, claimed 28", st)
	}
	// The restarted provider still refuses the old nonce and serves the next.
	e.srv = p.Handler(upstreamJSON(`{"prompt_tokens":5,"completion_tokens":7}`, e.upstream))
	if w := e.do(e.header(t, e.consumer, ch, 200, 3)); w.Header().Get("X-DRAIN-Error") != CodeInvalidNonce {
		t.Errorf("replayed nonce after restart = %d %q, want invalid_nonce", w.Code, w.Header().Get("X-DRAIN-Error"))
	}
	if w := e.do(e.header(t, e.consumer, ch, 200, 4)); w.Code != 200 || w.Header().Get("X-DRAIN-Total") != "76" {
		t.Errorf("next voucher after restart = %d total %q, want 200, 76", w.Code, w.Header().Get("X-DRAIN-Total"))
	}
}

func TestStoreCorruptMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.jsonl")
	os.WriteFile(path, []byte("{not json}\n{\"type\":\"claimed\",\"channelId\":\"0x"+strings.Repeat("00", 32)+"\",\"amount\":\"1\"}\n"), 0o600)
	if _, err := OpenStore(path); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("OpenStore(corrupt middle) = %v, want ErrCorrupt", err)
	}
}

// TestUpstream runs the middleware in front of a reverse proxy to a real
// loopback server, as `drain provider --upstream URL` does.
func TestUpstream(t *testing.T) {
	e := newEnv(t, Config{})
	var gotPath, gotVoucher string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotVoucher = r.URL.Path, r.Header.Get(voucher.HeaderName)
		b, _ := io.ReadAll(r.Body)
		if string(b) != reqBody {
			http.Error(w, "body changed", 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7}}`)
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL)
	front := httptest.NewServer(e.p.Handler(Upstream(u)))
	defer front.Close()
	ch := e.open(t, e.consumer, evm.Address(e.provider), 1_000, time.Hour)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, front.URL+"/v1/chat/completions", strings.NewReader(reqBody))
	req.Header.Set(voucher.HeaderName, e.header(t, e.consumer, ch, 28, 1))
	resp, err := front.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("X-DRAIN-Cost") != "19" || gotPath != "/v1/chat/completions" || gotVoucher != "" {
		t.Errorf("proxied = %d cost %q path %q voucher %q; want 200, 19, /v1/chat/completions, none upstream",
			resp.StatusCode, resp.Header.Get("X-DRAIN-Cost"), gotPath, gotVoucher)
	}
}

// TestStoreMemFSCrash: an accepted voucher is durable at once; a voucher
// whose fsync failed is not acknowledged and is gone after a crash.
func TestStoreMemFSCrash(t *testing.T) {
	mem := vfs.NewMem()
	_ = mem.MkdirAll("d")
	s, err := OpenStoreFS(mem, "d/vouchers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	key := evm.DevKeys(1)[0]
	dom := voucher.Domain{ChainID: big.NewInt(1337), VerifyingContract: common.Address{1}}
	sign := func(amount, nonce int64) voucher.Signed {
		v, err := voucher.Sign(key, dom, voucher.Voucher{ChannelID: common.Hash{7}, Amount: big.NewInt(amount), Nonce: big.NewInt(nonce)})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := s.Accept(sign(100, 1), big.NewInt(90)); err != nil {
		t.Fatal(err)
	}
	after, err := OpenStoreFS(mem.CrashClone(), "d/vouchers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := after.Get(common.Hash{7}); !ok || st.Charged.Int64() != 90 {
		t.Fatalf("after a crash: %+v, %v; want the accepted voucher", st, ok)
	}
	mem.FailSync(1)
	if err := s.Accept(sign(200, 2), big.NewInt(180)); err == nil {
		t.Fatal("Accept with a failing fsync = nil error")
	}
	again, err := OpenStoreFS(mem.CrashClone(), "d/vouchers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := again.Get(common.Hash{7}); st.Charged.Int64() != 90 {
		t.Fatalf("a voucher whose fsync failed survived the crash: charged %v", st.Charged)
	}
}
