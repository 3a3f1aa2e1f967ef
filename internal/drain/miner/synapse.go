package miner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// SynapseName is the synapse name and route (POST /ProviderCheck).
const SynapseName = "ProviderCheck"

// DefaultTimeout is the dendrite timeout of a ProviderCheck (drain.md §5).
const DefaultTimeout = 30 * time.Second

// MaxBodyBytes bounds ProviderCheck request and response bodies.
const MaxBodyBytes = 64 << 10

// ErrBadResponse is returned by [DecodeResponse] for a body that is not a
// ProviderCheck synapse.
var ErrBadResponse = errors.New("malformed ProviderCheck response")

// Response is a ProviderCheck answer. An empty string stands for the
// synapse's null (and encodes as null).
type Response struct {
	// PolygonWallet is the provider's 0x address.
	PolygonWallet string
	// WalletProof is the EIP-191 signature, hex with an optional 0x.
	WalletProof string
	// APIURL is the provider's base URL (reported, not scored).
	APIURL string
}

type wireResponse struct {
	Name          string          `json:"name,omitempty"`
	Timeout       json.RawMessage `json:"timeout,omitempty"`
	PolygonWallet *string         `json:"polygon_wallet"`
	WalletProof   *string         `json:"wallet_proof"`
	APIURL        *string         `json:"api_url"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// MarshalJSON encodes the synapse body: name, the three fields (null when
// empty).
func (r Response) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireResponse{Name: SynapseName, PolygonWallet: strPtr(r.PolygonWallet),
		WalletProof: strPtr(r.WalletProof), APIURL: strPtr(r.APIURL)})
}

// DecodeResponse decodes a ProviderCheck synapse JSON body. The body must
// be one JSON object of at most [MaxBodyBytes]; polygon_wallet,
// wallet_proof and api_url must each be a string, null or absent; other
// synapse fields (name, timeout, dendrite, axon, …) are ignored. Errors
// wrap [ErrBadResponse].
func DecodeResponse(body []byte) (Response, error) {
	if len(body) > MaxBodyBytes {
		return Response{}, fmt.Errorf("%w: %d bytes", ErrBadResponse, len(body))
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return Response{}, fmt.Errorf("%w: not a JSON object", ErrBadResponse)
	}
	var w struct {
		PolygonWallet *string `json:"polygon_wallet"`
		WalletProof   *string `json:"wallet_proof"`
		APIURL        *string `json:"api_url"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&w); err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Response{}, fmt.Errorf("%w: trailing data", ErrBadResponse)
	}
	return Response{PolygonWallet: deref(w.PolygonWallet), WalletProof: deref(w.WalletProof), APIURL: deref(w.APIURL)}, nil
}

// Verify checks r against the UID's metagraph hotkey. It returns the
// parsed wallet (zero when absent or malformed) and whether the proof is
// valid for it ([VerifyProof]).
func (r Response) Verify(hotkeySS58 string) (wallet common.Address, ok bool) {
	w, parsed := ParseWallet(r.PolygonWallet)
	if !parsed {
		return common.Address{}, false
	}
	return w, VerifyProof(r.PolygonWallet, hotkeySS58, r.WalletProof)
}
