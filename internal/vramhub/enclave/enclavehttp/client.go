package enclavehttp

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

// DefaultMaxResponseBytes bounds an answer read by the client.
const DefaultMaxResponseBytes = 64 << 20

// ErrNoEnclave reports a call that needs an enclave in simulated mode.
var ErrNoEnclave = errors.New("enclavehttp: simulated mode has no enclave")

// StatusError is a non-2xx answer from the enclave.
type StatusError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is the body's "error" field, or the status text.
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("enclave: HTTP %d: %s", e.StatusCode, e.Message)
}

// ClientConfig configures [NewClient]. The zero value of a field means its
// default where one is stated.
type ClientConfig struct {
	// Mode selects simulated, dev or nitro; required.
	Mode enclave.Mode
	// URL is the enclave's base URL, such as "http://127.0.0.1:3000";
	// required in dev and nitro mode.
	URL string
	// HTTPClient sends the requests; nil means http.DefaultClient. Bound
	// each call with its context (the enclave evaluates within 120 s).
	HTTPClient *http.Client
	// PinnedKey is the operator's VRAMHUB_ENCLAVE_PUBKEY; required in nitro
	// mode.
	PinnedKey ed25519.PublicKey
	// RegisteredKey is the key the ledger records for this validator's
	// enclave; required in nitro mode and equal to PinnedKey.
	RegisteredKey ed25519.PublicKey
	// Verifier checks the attestation document. In nitro mode nil makes
	// [Client.Attestation] fail with enclave.ErrNitroAttestationUnsupported;
	// in dev mode nil skips the document.
	Verifier ledger.Verifier
	// Now is the clock handed to Verifier; nil means time.Now.
	Now func() time.Time
	// Rating holds the OpenSkill constants of simulated previews.
	Rating openskill.Options
	// MaxResponseBytes bounds an answer; 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64
}

// Client is a validator's handle on its enclave. It is safe for concurrent
// use.
type Client struct {
	cfg  ClientConfig
	base string

	mu  sync.Mutex
	key ed25519.PublicKey // trusted key; nil until Attestation succeeds
}

// NewClient checks cfg and returns a client. It returns an error wrapping
// enclave.ErrConfig for an unknown mode, a missing URL or nitro keys that
// are not 32 bytes, and enclave.ErrKeyMismatch when the pinned and
// registered keys differ.
func NewClient(cfg ClientConfig) (*Client, error) {
	if !cfg.Mode.Valid() {
		return nil, fmt.Errorf("%w: mode %q", enclave.ErrConfig, cfg.Mode)
	}
	if cfg.Mode != enclave.ModeSimulated && cfg.URL == "" {
		return nil, fmt.Errorf("%w: %s mode needs the enclave URL", enclave.ErrConfig, cfg.Mode)
	}
	if cfg.Mode == enclave.ModeNitro {
		if len(cfg.PinnedKey) != ed25519.PublicKeySize || len(cfg.RegisteredKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: nitro mode needs the pinned and registered 32-byte keys", enclave.ErrConfig)
		}
		if !bytes.Equal(cfg.PinnedKey, cfg.RegisteredKey) {
			return nil, fmt.Errorf("%w: pinned key %x, ledger records %x", enclave.ErrKeyMismatch, []byte(cfg.PinnedKey), []byte(cfg.RegisteredKey))
		}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return &Client{cfg: cfg, base: strings.TrimRight(cfg.URL, "/")}, nil
}

// Mode returns the client's mode.
func (c *Client) Mode() enclave.Mode { return c.cfg.Mode }

// PublicKey returns the trusted enclave key, or nil before a successful
// [Client.Attestation] and always in simulated mode.
func (c *Client) PublicKey() ed25519.PublicKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.key
}

// Attestation fetches GET /get_attestation, checks it for the client's mode
// and trusts its key for later answers. Validators call it at start-up and
// refuse to run on error. Errors: [ErrNoEnclave] in simulated mode;
// enclave.ErrKeyMismatch when a nitro enclave's key is not the pinned one,
// it reports mode "dev", or a verified document names another key;
// enclave.ErrNitroAttestationUnsupported in nitro mode without a Verifier;
// the Verifier's error; a *[StatusError] or transport error otherwise.
func (c *Client) Attestation(ctx context.Context) (*enclave.AttestationResponse, error) {
	if c.cfg.Mode == enclave.ModeSimulated {
		return nil, ErrNoEnclave
	}
	var att enclave.AttestationResponse
	if err := c.do(ctx, http.MethodGet, "/get_attestation", nil, &att); err != nil {
		return nil, err
	}
	if len(att.PublicKey) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: attestation key of %d bytes", enclave.ErrKeyMismatch, len(att.PublicKey))
	}
	if c.cfg.Mode == enclave.ModeNitro {
		if !bytes.Equal(att.PublicKey, c.cfg.PinnedKey) {
			return nil, fmt.Errorf("%w: enclave reports %x, pinned %x", enclave.ErrKeyMismatch, []byte(att.PublicKey), []byte(c.cfg.PinnedKey))
		}
		if att.Mode != enclave.ModeNitro {
			return nil, fmt.Errorf("%w: enclave runs in mode %q", enclave.ErrKeyMismatch, att.Mode)
		}
		if c.cfg.Verifier == nil {
			return nil, enclave.ErrNitroAttestationUnsupported
		}
	}
	if c.cfg.Verifier != nil {
		got, err := c.cfg.Verifier.Verify(att.AttestationDocument, uint64(c.cfg.Now().UnixMilli()))
		if err != nil {
			return nil, fmt.Errorf("verify attestation document: %w", err)
		}
		if !bytes.Equal(got.PublicKey, att.PublicKey) {
			return nil, fmt.Errorf("%w: document names %x, enclave reports %x", enclave.ErrKeyMismatch, got.PublicKey, []byte(att.PublicKey))
		}
	}
	c.mu.Lock()
	c.key = bytes.Clone(att.PublicKey)
	c.mu.Unlock()
	return &att, nil
}

// ProcessData has req scored and returns the answer after
// enclave.VerifyResponse accepted it against the trusted key (fetched first
// through [Client.Attestation] if needed). In simulated mode it answers with
// enclave.Simulate and checks the zero signature. In dev mode an answer
// signed by a new key (the enclave restarted) triggers one fresh
// Attestation before it is judged; in nitro mode it is refused. Submit
// resp.Pairs() only when err is nil. req is not modified.
func (c *Client) ProcessData(ctx context.Context, req *enclave.ProcessRequest) (*enclave.ProcessResponse, error) {
	if c.cfg.Mode == enclave.ModeSimulated {
		resp, err := enclave.Simulate(req, c.cfg.Rating)
		if err != nil {
			return nil, err
		}
		if _, err := enclave.VerifyResponse(req, resp, nil); err != nil {
			return nil, err
		}
		return resp, nil
	}
	key := c.PublicKey()
	if key == nil {
		if _, err := c.Attestation(ctx); err != nil {
			return nil, err
		}
		key = c.PublicKey()
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	var resp enclave.ProcessResponse
	if err := c.do(ctx, http.MethodPost, "/process_data", body, &resp); err != nil {
		return nil, err
	}
	_, err = enclave.VerifyResponse(req, &resp, key)
	if errors.Is(err, enclave.ErrKeyMismatch) && c.cfg.Mode == enclave.ModeDev {
		if _, aerr := c.Attestation(ctx); aerr != nil {
			return nil, fmt.Errorf("%w (refreshing the key: %w)", err, aerr)
		}
		_, err = enclave.VerifyResponse(req, &resp, c.PublicKey())
	}
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("enclave %s: %w", path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("enclave %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return fmt.Errorf("enclave %s: %w", path, err)
	}
	if int64(len(raw)) > c.cfg.MaxResponseBytes {
		return fmt.Errorf("enclave %s: answer exceeds %d bytes", path, c.cfg.MaxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		var eb enclave.ErrorResponse
		if json.Unmarshal(raw, &eb) != nil || eb.Error == "" {
			eb.Error = http.StatusText(resp.StatusCode)
		}
		return &StatusError{StatusCode: resp.StatusCode, Message: eb.Error}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("enclave %s: decode answer: %w", path, err)
	}
	return nil
}
