package miner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Signer signs an outgoing synapse request; *axon.Dendrite implements it.
type Signer interface {
	Sign(req *http.Request, synapse string, body []byte, axonHotkey keys.PublicKey, timeout time.Duration) error
}

// StatusError is a non-200 answer from an axon.
type StatusError struct {
	// Code is the HTTP status; Message the axon's status message or body.
	Code    int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d: %s", SynapseName, e.Code, e.Message)
}

// Checker sends ProviderCheck requests. The zero value is ready to use.
type Checker struct {
	// HTTP is the client (default http.DefaultClient; the timeout below
	// bounds each call).
	HTTP *http.Client
	// Timeout bounds each call and is announced to the axon (default 30 s).
	Timeout time.Duration
	// Now is the clock used for the round-trip time (default time.Now).
	Now func() time.Time
}

// requestBody is the synapse a dendrite sends: the three fields empty.
var requestBody = []byte(`{"name":"ProviderCheck","timeout":30.0,"polygon_wallet":null,"wallet_proof":null,"api_url":null}`)

// Check sends a signed ProviderCheck to the axon at baseURL
// ("http://ip:port") whose hotkey is hotkey, and returns the decoded
// answer and the round-trip time. It returns a *[StatusError] for a
// non-200 answer, an error wrapping [ErrBadResponse] for an undecodable
// one, and transport or context errors as they come.
func (c Checker) Check(ctx context.Context, d Signer, baseURL string, hotkey keys.PublicKey) (Response, time.Duration, error) {
	hc, timeout, now := c.HTTP, c.Timeout, c.Now
	if hc == nil {
		hc = http.DefaultClient
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+"/"+SynapseName, bytes.NewReader(requestBody))
	if err != nil {
		return Response{}, 0, fmt.Errorf("%s: %w", SynapseName, err)
	}
	if err := d.Sign(req, SynapseName, requestBody, hotkey, timeout); err != nil {
		return Response{}, 0, err
	}
	start := now()
	resp, err := hc.Do(req)
	if err != nil {
		return Response{}, 0, fmt.Errorf("%s: %w", SynapseName, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	rtt := now().Sub(start)
	if err != nil {
		return Response{}, rtt, fmt.Errorf("%s: read answer: %w", SynapseName, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := resp.Header.Get(axon.HeaderAxonStatusMsg)
		if msg == "" {
			var m struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(body, &m) == nil {
				msg = m.Message
			}
		}
		return Response{}, rtt, &StatusError{Code: resp.StatusCode, Message: msg}
	}
	r, err := DecodeResponse(body)
	return r, rtt, err
}

// Check is Checker{}.Check: a ProviderCheck with the default client and
// the 30 s timeout.
func Check(ctx context.Context, d Signer, baseURL string, hotkey keys.PublicKey) (Response, time.Duration, error) {
	return Checker{}.Check(ctx, d, baseURL, hotkey)
}
