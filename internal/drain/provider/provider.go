package provider

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/drain/contracts"
	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
)

// X-DRAIN-Error codes.
const (
	CodeVoucherRequired       = "voucher_required"
	CodeInvalidVoucherFormat  = "invalid_voucher_format"
	CodeChannelNotFound       = "channel_not_found"
	CodeWrongProvider         = "wrong_provider"
	CodeChannelExpired        = "channel_expired"
	CodeInsufficientFunds     = "insufficient_funds"
	CodeExceedsDeposit        = "exceeds_deposit"
	CodeInvalidNonce          = "invalid_nonce"
	CodeInvalidSignature      = "invalid_signature"
	CodeInsufficientFundsPost = "insufficient_funds_post"
)

// Config configures a [Provider]. Zero values mean the documented default.
type Config struct {
	// Key is the provider wallet: channels name its address and it sends
	// the claims. Required.
	Key *ecdsa.PrivateKey
	// Chain is the EVM backend. Required.
	Chain evm.Backend
	// Contract is the DrainChannel contract address. Required.
	Contract common.Address
	// StorePath is the voucher log file. Required.
	StorePath string
	// Pricer prices requests. Required.
	Pricer Pricer
	// ClaimThreshold claims a channel once its unclaimed amount reaches it
	// (base units); default 1,000,000 (1 USDC).
	ClaimThreshold *big.Int
	// ClaimInterval is how often Run looks for claims; default 10 minutes.
	ClaimInterval time.Duration
	// ExpiryBuffer claims any channel expiring within it; default 1 hour.
	ExpiryBuffer time.Duration
	// ExpiryMargin refuses vouchers for channels expiring within it, so a
	// served request can still be claimed; default 5 minutes.
	ExpiryMargin time.Duration
	// SigningURL is advertised in X-Payment-Signing; default
	// https://handshake58.com/api/drain/signing.
	SigningURL string
	// DocsPath is advertised in X-Payment-Docs; default /v1/docs.
	DocsPath string
	// MaxBodyBytes bounds request bodies; default 10 MiB.
	MaxBodyBytes int64
	// Logger receives claim and error events; nil discards them.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.ClaimThreshold == nil {
		c.ClaimThreshold = big.NewInt(1_000_000)
	}
	if c.ClaimInterval == 0 {
		c.ClaimInterval = 10 * time.Minute
	}
	if c.ExpiryBuffer == 0 {
		c.ExpiryBuffer = time.Hour
	}
	if c.ExpiryMargin == 0 {
		c.ExpiryMargin = 5 * time.Minute
	}
	if c.SigningURL == "" {
		c.SigningURL = "https://handshake58.com/api/drain/signing"
	}
	if c.DocsPath == "" {
		c.DocsPath = "/v1/docs"
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 10 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports a missing required field.
func (c Config) Validate() error {
	switch {
	case c.Key == nil:
		return errors.New("provider: Config.Key is required")
	case c.Chain == nil:
		return errors.New("provider: Config.Chain is required")
	case c.Contract == (common.Address{}):
		return errors.New("provider: Config.Contract is required")
	case c.StorePath == "":
		return errors.New("provider: Config.StorePath is required")
	case c.Pricer == nil:
		return errors.New("provider: Config.Pricer is required")
	case c.ClaimThreshold != nil && c.ClaimThreshold.Sign() < 0:
		return errors.New("provider: Config.ClaimThreshold is negative")
	}
	return nil
}

// Provider is the payment side of a DRAIN provider: HTTP middleware that
// takes vouchers for requests and a claim loop that redeems them. It is
// safe for concurrent use.
type Provider struct {
	cfg    Config
	addr   common.Address
	chain  *contracts.Client
	store  *Store
	log    *slog.Logger
	chMu   sync.Mutex
	locks  map[common.Hash]*sync.Mutex
	claimM sync.Mutex // one claim pass at a time: claims share the sender nonce
}

// New opens the voucher log and connects to the contract.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	chain, err := contracts.NewClient(ctx, cfg.Chain, cfg.Contract)
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	store, err := OpenStore(cfg.StorePath)
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	return &Provider{
		cfg: cfg, addr: evm.Address(cfg.Key), chain: chain, store: store,
		log: cfg.Logger.With("component", "drain-provider"), locks: map[common.Hash]*sync.Mutex{},
	}, nil
}

// Address returns the provider wallet address.
func (p *Provider) Address() common.Address { return p.addr }

// Store returns the voucher store.
func (p *Provider) Store() *Store { return p.store }

// Close closes the voucher log.
func (p *Provider) Close() error { return p.store.Close() }

func (p *Provider) lock(id common.Hash) func() {
	p.chMu.Lock()
	m, ok := p.locks[id]
	if !ok {
		m = &sync.Mutex{}
		p.locks[id] = m
	}
	p.chMu.Unlock()
	m.Lock()
	return m.Unlock
}

// chainTime returns the latest block's timestamp, the clock the contract
// judges expiry by.
func (p *Provider) chainTime(ctx context.Context) (uint64, error) {
	h, err := p.cfg.Chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, err
	}
	return h.Time, nil
}

type paymentError struct {
	code     string
	msg      string
	required *big.Int
	provided *big.Int
}

func (p *Provider) paymentRequired(w http.ResponseWriter, e paymentError) {
	h := w.Header()
	h.Set("X-DRAIN-Error", e.code)
	h.Set("X-Payment-Protocol", "drain-v2")
	h.Set("X-Payment-Provider", p.addr.Hex())
	h.Set("X-Payment-Contract", p.cfg.Contract.Hex())
	h.Set("X-Payment-Chain", p.chain.ChainID().String())
	h.Set("X-Payment-Signing", p.cfg.SigningURL)
	h.Set("X-Payment-Docs", p.cfg.DocsPath)
	if e.required != nil {
		h.Set("X-DRAIN-Required", e.required.String())
		h.Set("X-DRAIN-Provided", e.provided.String())
	}
	writeError(w, http.StatusPaymentRequired, e.msg, "payment_required", e.code)
}

func writeError(w http.ResponseWriter, status int, msg, typ, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": typ, "code": code}})
}

// Handler returns middleware that admits a request to next only with a
// valid X-DRAIN-Voucher covering its cost: the channel exists on chain, is
// ours and not about to expire, the cumulative amount covers what was
// charged before plus this request's estimate and stays within the
// deposit, the nonce rises, and the consumer signed it. Failures answer
// 402 with X-DRAIN-Error. After next answers 2xx the actual cost (from the
// reported usage) is charged, the voucher is recorded durably, and only
// then are the final bytes sent, with X-DRAIN-Cost, -Total, -Remaining and
// -Channel headers (as SSE comment lines after "data: [DONE]" for streams).
// Non-2xx answers from next pass through uncharged.
func (p *Provider) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hv := r.Header.Get(voucher.HeaderName)
		if hv == "" {
			p.paymentRequired(w, paymentError{code: CodeVoucherRequired, msg: "payment required: send a DRAIN voucher in " + voucher.HeaderName})
			return
		}
		v, err := voucher.DecodeHeader(hv)
		if err != nil {
			p.paymentRequired(w, paymentError{code: CodeInvalidVoucherFormat, msg: "malformed " + voucher.HeaderName})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, p.cfg.MaxBodyBytes))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "request body too large or unreadable", "invalid_request_error", "body")
			return
		}
		estimate, err := p.cfg.Pricer.Estimate(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error(), "invalid_request_error", "pricing")
			return
		}
		unlock := p.lock(v.ChannelID)
		defer unlock()
		ch, perr, err := p.check(r.Context(), v, estimate)
		if err != nil {
			p.log.Warn("voucher check", "channel", v.ChannelID.Hex(), "err", err)
			writeError(w, http.StatusServiceUnavailable, "chain unavailable", "server_error", "chain_unavailable")
			return
		}
		if perr != nil {
			p.paymentRequired(w, *perr)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		r2.Header.Del(voucher.HeaderName)
		r2.Header.Del("Accept-Encoding") // usage must be readable
		m := &meter{w: w, p: p, v: v, ch: ch, body: body, estimate: estimate, header: http.Header{}}
		next.ServeHTTP(m, r2)
		m.finish()
	})
}

// check validates v against the chain and the store. A non-nil
// paymentError is a 402; err is a chain failure.
func (p *Provider) check(ctx context.Context, v voucher.Signed, estimate *big.Int) (contracts.Channel, *paymentError, error) {
	ch, err := p.chain.Channel(ctx, v.ChannelID)
	if err != nil {
		return ch, nil, err
	}
	if !ch.Exists() {
		return ch, &paymentError{code: CodeChannelNotFound, msg: "channel not found on chain"}, nil
	}
	if ch.Provider != p.addr {
		return ch, &paymentError{code: CodeWrongProvider, msg: "channel belongs to another provider"}, nil
	}
	now, err := p.chainTime(ctx)
	if err != nil {
		return ch, nil, err
	}
	if now+uint64(p.cfg.ExpiryMargin/time.Second) >= ch.Expiry {
		return ch, &paymentError{code: CodeChannelExpired, msg: "channel expired or expiring"}, nil
	}
	st, _ := p.store.Get(v.ChannelID)
	required := new(big.Int).Add(st.Charged, estimate)
	if v.Amount.Cmp(ch.Deposit) > 0 {
		return ch, &paymentError{code: CodeExceedsDeposit, msg: "voucher amount exceeds the channel deposit"}, nil
	}
	if v.Amount.Cmp(required) < 0 {
		return ch, &paymentError{code: CodeInsufficientFunds, msg: "voucher amount does not cover the request", required: required, provided: v.Amount}, nil
	}
	if st.Latest.Nonce != nil && v.Nonce.Cmp(st.Latest.Nonce) <= 0 {
		return ch, &paymentError{code: CodeInvalidNonce, msg: "voucher nonce must increase"}, nil
	}
	signer, err := v.Signer(p.chain.Domain())
	if err != nil || signer != ch.Consumer {
		return ch, &paymentError{code: CodeInvalidSignature, msg: "voucher not signed by the channel consumer"}, nil
	}
	return ch, nil, nil
}

// meter sits between next and the client. Non-streaming answers are held
// in memory until charged; event streams pass through except for the final
// "data: [DONE]" event, which waits for the charge.
type meter struct {
	w        http.ResponseWriter
	p        *Provider
	v        voucher.Signed
	ch       contracts.Channel
	body     []byte
	estimate *big.Int

	header    http.Header
	status    int
	streaming bool
	buf       bytes.Buffer // whole body (buffered) or the partial line (streaming)
	usage     *Usage
	sawDone   bool
}

func (m *meter) Header() http.Header { return m.header }

func (m *meter) WriteHeader(status int) {
	if m.status != 0 {
		return
	}
	m.status = status
	ok := status >= 200 && status < 300
	if ok && strings.HasPrefix(m.header.Get("Content-Type"), "text/event-stream") {
		m.streaming = true
		copyHeader(m.w.Header(), m.header)
		m.w.Header().Del("Content-Length")
		m.w.Header().Set("X-DRAIN-Channel", m.v.ChannelID.Hex())
		m.w.WriteHeader(status)
	}
}

func (m *meter) Write(b []byte) (int, error) {
	if m.status == 0 {
		m.WriteHeader(http.StatusOK)
	}
	if !m.streaming {
		return m.buf.Write(b)
	}
	m.buf.Write(b)
	for {
		i := bytes.IndexByte(m.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		line := string(m.buf.Next(i + 1))
		data := strings.TrimSpace(strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "data:"))
		switch {
		case strings.HasPrefix(line, "data:") && data == "[DONE]":
			m.sawDone = true
			continue
		case m.sawDone && strings.TrimSpace(line) == "":
			continue // the blank line ending the held-back event
		case strings.HasPrefix(line, "data:"):
			m.scanUsage([]byte(data))
		}
		if _, err := io.WriteString(m.w, line); err != nil {
			return len(b), err
		}
	}
	return len(b), nil
}

// Flush forwards flushes of streamed output.
func (m *meter) Flush() {
	if f, ok := m.w.(http.Flusher); ok && m.streaming {
		f.Flush()
	}
}

func (m *meter) scanUsage(b []byte) {
	var x struct {
		Usage *Usage `json:"usage"`
	}
	if json.Unmarshal(b, &x) == nil && x.Usage != nil {
		m.usage = x.Usage
	}
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = append([]string(nil), vs...)
	}
}

// charge computes the actual cost and records the voucher. It returns the
// cost and the new total, or a paymentError when the voucher no longer
// covers it.
func (m *meter) charge(capToVoucher bool) (cost, total *big.Int, perr *paymentError, err error) {
	cost = m.estimate
	if m.usage != nil {
		if cost, err = m.p.cfg.Pricer.Cost(m.body, *m.usage); err != nil {
			return nil, nil, nil, err
		}
	}
	st, _ := m.p.store.Get(m.v.ChannelID)
	total = new(big.Int).Add(st.Charged, cost)
	if total.Cmp(m.v.Amount) > 0 {
		if !capToVoucher {
			return nil, nil, &paymentError{code: CodeInsufficientFundsPost, msg: "voucher amount does not cover the actual cost", required: total, provided: m.v.Amount}, nil
		}
		// The stream is already out: bill what the voucher covers.
		total = new(big.Int).Set(m.v.Amount)
		cost = new(big.Int).Sub(total, st.Charged)
	}
	if err := m.p.store.Accept(m.v, total); err != nil {
		return nil, nil, nil, err
	}
	return cost, total, nil, nil
}

func (m *meter) finish() {
	if m.status == 0 {
		m.WriteHeader(http.StatusOK)
	}
	if m.streaming {
		if m.buf.Len() > 0 { // a last line without newline
			line := m.buf.String()
			if data := strings.TrimSpace(strings.TrimPrefix(line, "data:")); strings.HasPrefix(line, "data:") && data == "[DONE]" {
				m.sawDone = true
			} else {
				io.WriteString(m.w, line)
			}
		}
		cost, total, _, err := m.charge(true)
		if err != nil {
			m.p.log.Error("record voucher", "channel", m.v.ChannelID.Hex(), "err", err)
			return // no [DONE]: the client sees an incomplete stream
		}
		if m.sawDone {
			io.WriteString(m.w, "data: [DONE]\n\n")
		}
		remaining := new(big.Int).Sub(m.ch.Deposit, total)
		fmt.Fprintf(m.w, ": X-DRAIN-Cost: %s\n: X-DRAIN-Total: %s\n: X-DRAIN-Remaining: %s\n: X-DRAIN-Channel: %s\n\n",
			cost, total, remaining, m.v.ChannelID.Hex())
		m.Flush()
		return
	}
	if m.status < 200 || m.status >= 300 {
		copyHeader(m.w.Header(), m.header)
		m.w.WriteHeader(m.status)
		m.w.Write(m.buf.Bytes())
		return
	}
	m.scanUsage(m.buf.Bytes())
	cost, total, perr, err := m.charge(false)
	if err != nil {
		m.p.log.Error("record voucher", "channel", m.v.ChannelID.Hex(), "err", err)
		writeError(m.w, http.StatusInternalServerError, "could not record the voucher", "server_error", "storage")
		return
	}
	if perr != nil {
		m.p.paymentRequired(m.w, *perr)
		return
	}
	h := m.w.Header()
	copyHeader(h, m.header)
	h.Set("Content-Length", strconv.Itoa(m.buf.Len()))
	h.Set("X-DRAIN-Cost", cost.String())
	h.Set("X-DRAIN-Total", total.String())
	h.Set("X-DRAIN-Remaining", new(big.Int).Sub(m.ch.Deposit, total).String())
	h.Set("X-DRAIN-Channel", m.v.ChannelID.Hex())
	m.w.WriteHeader(m.status)
	m.w.Write(m.buf.Bytes())
}

// Upstream returns a reverse proxy to an OpenAI-compatible base URL (for
// example http://localhost:8000): a request for /v1/chat/completions goes
// to base/v1/chat/completions. Streams are flushed as they arrive.
func Upstream(base *url.URL) http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(base)
			pr.Out.Host = base.Host
		},
		FlushInterval: -1,
	}
	return rp
}
