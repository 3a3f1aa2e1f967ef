package subtensor

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// maxRPCResponse bounds a JSON-RPC answer (runtime metadata is ~400 KB hex;
// a 1,024-neuron metagraph ~300 KB).
const maxRPCResponse = 64 << 20

// RPCError is an error object returned by the node.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	if len(e.Data) > 0 && string(e.Data) != "null" {
		return fmt.Sprintf("rpc error %d: %s: %s", e.Code, e.Message, e.Data)
	}
	return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message)
}

// rpcClient speaks JSON-RPC 2.0 over HTTP POST.
type rpcClient struct {
	url string
	hc  *http.Client
	id  atomic.Uint64
}

// httpURL maps a WebSocket endpoint to the HTTP URL the same node answers.
func httpURL(u string) string {
	switch {
	case strings.HasPrefix(u, "wss://"):
		u = "https://" + strings.TrimPrefix(u, "wss://")
	case strings.HasPrefix(u, "ws://"):
		u = "http://" + strings.TrimPrefix(u, "ws://")
	}
	return u
}

func (c *rpcClient) call(ctx context.Context, out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id.Add(1), "method": method, "params": params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxRPCResponse+1))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", method, err)
	}
	if len(raw) > maxRPCResponse {
		return fmt.Errorf("%s: answer exceeds %d bytes", method, maxRPCResponse)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *RPCError       `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: http %s", method, resp.Status)
		}
		return fmt.Errorf("%s: decode answer: %w", method, err)
	}
	if env.Error != nil {
		return fmt.Errorf("%s: %w", method, env.Error)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: http %s", method, resp.Status)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// hexBytes is a 0x-prefixed hex string in JSON; null decodes to nil.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*h = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := decodeHex(s)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

func decodeHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(s, "0x")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid hex: %w", err)
	}
	return b, nil
}

func encodeHex(b []byte) string { return "0x" + hex.EncodeToString(b) }

// hash32 decodes a 32-byte hash.
func hash32(s string) ([32]byte, error) {
	var h [32]byte
	b, err := decodeHex(s)
	if err != nil {
		return h, err
	}
	if len(b) != 32 {
		return h, fmt.Errorf("hash is %d bytes, want 32", len(b))
	}
	copy(h[:], b)
	return h, nil
}

// parseHexNumber decodes a "0x..." quantity.
func parseHexNumber(s string) (uint64, error) {
	s = strings.TrimPrefix(s, "0x")
	if s == "" || len(s) > 16 {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	var v uint64
	for _, c := range s {
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, fmt.Errorf("invalid number %q", s)
		}
		v = v<<4 | d
	}
	return v, nil
}
