package devchain

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Tx is a signed write sent over HTTP. The signature is sr25519 by Signer
// over SigningMessage(genesis), which binds the chain, the call, its
// arguments and a nonce that must exceed the signer's last one.
type Tx struct {
	Call      string          `json:"call"` // register, serve_axon, set_weights
	NetUID    uint16          `json:"netuid"`
	Signer    keys.PublicKey  `json:"signer"`
	Nonce     uint64          `json:"nonce"`
	Args      json.RawMessage `json:"args"`
	Signature string          `json:"signature"`
}

// SigningMessage returns the bytes a Tx's signature covers.
func (t Tx) SigningMessage(genesis [32]byte) []byte {
	return fmt.Appendf(nil, "subnetkit-devchain-tx:%x:%s:%d:%s:%d:%s", genesis, t.Call, t.NetUID, t.Signer.SS58(), t.Nonce, t.Args)
}

type serveArgs struct {
	Addr netip.AddrPort `json:"addr"`
}

type weightArgs struct {
	UIDs       []uint16 `json:"uids"`
	Values     []uint16 `json:"values"`
	VersionKey uint64   `json:"version_key"`
}

type faucetArgs struct {
	NetUID uint16         `json:"netuid"`
	Hotkey keys.PublicKey `json:"hotkey"`
	Stake  uint64         `json:"stake"`
}

// HandlerConfig configures the HTTP API.
type HandlerConfig struct {
	// Faucet enables POST /v1/faucet, which registers a hotkey and adds
	// stake without a signature (development only).
	Faucet bool
}

type apiError struct {
	Error  string `json:"error"`
	TxName string `json:"tx_error,omitempty"`
}

// Handler serves the chain over HTTP so separate processes share it:
//
//	GET  /v1/block               {"height", "hash", "genesis"}
//	GET  /v1/metagraph/{netuid}  chain.Metagraph
//	POST /v1/tx                  Tx → {"uid"?} or 400/401/404/409 {"error", "tx_error"}
//	POST /v1/faucet              {"netuid", "hotkey", "stake"} (when enabled)
func (c *Chain) Handler(cfg HandlerConfig) http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	fail := func(w http.ResponseWriter, err error) {
		code, name := http.StatusBadRequest, ""
		if te, ok := errors.AsType[*chain.TxError](err); ok {
			code, name = http.StatusConflict, te.Name
		} else if errors.Is(err, chain.ErrSubnetNotFound) {
			code = http.StatusNotFound
		}
		reply(w, code, apiError{Error: err.Error(), TxName: name})
	}
	mux.HandleFunc("GET /v1/block", func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		h, hash, gen := c.st.Height, c.st.Hash, c.st.Genesis
		c.mu.Unlock()
		reply(w, 200, map[string]any{"height": h, "hash": hex.EncodeToString(hash[:]), "genesis": hex.EncodeToString(gen[:])})
	})
	mux.HandleFunc("GET /v1/metagraph/{netuid}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.ParseUint(r.PathValue("netuid"), 10, 16)
		if err != nil {
			reply(w, 400, apiError{Error: "netuid must be a number from 0 to 65535"})
			return
		}
		mg, err := c.Metagraph(uint16(n))
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, mg)
	})
	mux.HandleFunc("POST /v1/tx", func(w http.ResponseWriter, r *http.Request) {
		var tx Tx
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&tx); err != nil {
			reply(w, 400, apiError{Error: "body must be a transaction JSON object"})
			return
		}
		uid, err := c.apply(tx)
		if err != nil {
			if errors.Is(err, errAuth) {
				reply(w, 401, apiError{Error: err.Error()})
				return
			}
			fail(w, err)
			return
		}
		reply(w, 200, map[string]any{"uid": uid})
	})
	if cfg.Faucet {
		mux.HandleFunc("POST /v1/faucet", func(w http.ResponseWriter, r *http.Request) {
			var a faucetArgs
			if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&a); err != nil {
				reply(w, 400, apiError{Error: "body must be {netuid, hotkey, stake}"})
				return
			}
			uid, err := c.Register(a.NetUID, a.Hotkey, a.Hotkey)
			if err == nil && a.Stake > 0 {
				err = c.AddStake(a.NetUID, a.Hotkey, a.Stake)
			}
			if err != nil {
				fail(w, err)
				return
			}
			reply(w, 200, map[string]any{"uid": uid})
		})
	}
	return mux
}

var errAuth = errors.New("devchain: transaction signature or nonce refused")

// apply verifies tx (signature, then nonce) and executes it.
func (c *Chain) apply(tx Tx) (uint16, error) {
	c.mu.Lock()
	gen := c.st.Genesis
	last := c.st.Nonces[tx.Signer.SS58()]
	c.mu.Unlock()
	sig, err := hex.DecodeString(strings.TrimPrefix(tx.Signature, "0x"))
	if err != nil || !tx.Signer.Verify(tx.SigningMessage(gen), sig) {
		return 0, fmt.Errorf("%w: bad signature", errAuth)
	}
	if tx.Nonce <= last {
		return 0, fmt.Errorf("%w: nonce %d is not above %d (replay?)", errAuth, tx.Nonce, last)
	}
	c.mu.Lock()
	if tx.Nonce <= c.st.Nonces[tx.Signer.SS58()] { // a concurrent copy won
		c.mu.Unlock()
		return 0, fmt.Errorf("%w: nonce reused", errAuth)
	}
	if c.st.Nonces == nil {
		c.st.Nonces = map[string]uint64{}
	}
	c.st.Nonces[tx.Signer.SS58()] = tx.Nonce
	c.mu.Unlock()
	switch tx.Call {
	case "register":
		return c.Register(tx.NetUID, tx.Signer, tx.Signer)
	case "serve_axon":
		var a serveArgs
		if err := json.Unmarshal(tx.Args, &a); err != nil {
			return 0, fmt.Errorf("devchain: serve_axon args: %w", err)
		}
		return 0, c.ServeAxon(tx.NetUID, tx.Signer, a.Addr)
	case "set_weights":
		var a weightArgs
		if err := json.Unmarshal(tx.Args, &a); err != nil {
			return 0, fmt.Errorf("devchain: set_weights args: %w", err)
		}
		return 0, c.SetWeights(tx.NetUID, tx.Signer, a.UIDs, a.Values, a.VersionKey)
	}
	return 0, fmt.Errorf("devchain: unknown call %q", tx.Call)
}

// RemoteClient is a chain.Client for a devchain served over HTTP, signing
// its writes with a hotkey.
type RemoteClient struct {
	url     string
	signer  keys.Signer
	http    *http.Client
	genesis [32]byte

	mu    sync.Mutex
	nonce uint64
}

var _ chain.Client = (*RemoteClient)(nil)

// Dial connects to a devchain at url (reading its genesis hash).
func Dial(ctx context.Context, url string, signer keys.Signer, hc *http.Client) (*RemoteClient, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	rc := &RemoteClient{url: strings.TrimRight(url, "/"), signer: signer, http: hc}
	var b struct {
		Genesis string `json:"genesis"`
	}
	if err := rc.get(ctx, "/v1/block", &b); err != nil {
		return nil, err
	}
	g, err := hex.DecodeString(b.Genesis)
	if err != nil || len(g) != 32 {
		return nil, errors.New("devchain: server sent a bad genesis hash")
	}
	copy(rc.genesis[:], g)
	return rc, nil
}

func (rc *RemoteClient) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rc.url+path, nil)
	if err != nil {
		return err
	}
	return rc.do(req, out)
}

func (rc *RemoteClient) do(req *http.Request, out any) error {
	resp, err := rc.http.Do(req)
	if err != nil {
		return fmt.Errorf("devchain: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode != http.StatusOK {
		var e apiError
		json.Unmarshal(b, &e)
		switch {
		case e.TxName != "":
			return &chain.TxError{Name: e.TxName, Detail: e.Error}
		case resp.StatusCode == http.StatusNotFound:
			return fmt.Errorf("%w: %s", chain.ErrSubnetNotFound, e.Error)
		}
		return fmt.Errorf("devchain: HTTP %d: %s", resp.StatusCode, e.Error)
	}
	return json.Unmarshal(b, out)
}

func (rc *RemoteClient) send(ctx context.Context, call string, netuid uint16, args any) (uint16, error) {
	raw, _ := json.Marshal(args)
	rc.mu.Lock()
	n := uint64(time.Now().UnixNano())
	if n <= rc.nonce {
		n = rc.nonce + 1
	}
	rc.nonce = n
	rc.mu.Unlock()
	tx := Tx{Call: call, NetUID: netuid, Signer: rc.signer.PublicKey(), Nonce: n, Args: raw}
	sig, err := rc.signer.Sign(tx.SigningMessage(rc.genesis))
	if err != nil {
		return 0, err
	}
	tx.Signature = "0x" + hex.EncodeToString(sig)
	body, _ := json.Marshal(tx)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rc.url+"/v1/tx", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	var out struct {
		UID uint16 `json:"uid"`
	}
	err = rc.do(req, &out)
	return out.UID, err
}

// Metagraph implements chain.MetagraphReader.
func (rc *RemoteClient) Metagraph(ctx context.Context, netuid uint16) (*chain.Metagraph, error) {
	var mg chain.Metagraph
	if err := rc.get(ctx, fmt.Sprintf("/v1/metagraph/%d", netuid), &mg); err != nil {
		return nil, err
	}
	return &mg, nil
}

// BlockNumber implements chain.BlockReader.
func (rc *RemoteClient) BlockNumber(ctx context.Context) (uint64, error) {
	var b struct {
		Height uint64 `json:"height"`
	}
	err := rc.get(ctx, "/v1/block", &b)
	return b.Height, err
}

// Register implements chain.Registrar.
func (rc *RemoteClient) Register(ctx context.Context, netuid uint16) (uint16, error) {
	return rc.send(ctx, "register", netuid, struct{}{})
}

// ServeAxon implements chain.AxonServer.
func (rc *RemoteClient) ServeAxon(ctx context.Context, netuid uint16, addr netip.AddrPort) error {
	_, err := rc.send(ctx, "serve_axon", netuid, serveArgs{Addr: addr})
	return err
}

// SetWeights implements chain.WeightSetter.
func (rc *RemoteClient) SetWeights(ctx context.Context, netuid uint16, uids, values []uint16, versionKey uint64) error {
	_, err := rc.send(ctx, "set_weights", netuid, weightArgs{UIDs: uids, Values: values, VersionKey: versionKey})
	return err
}
