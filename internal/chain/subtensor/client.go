package subtensor

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// ErrCommitRevealRequired is returned by SetWeights on a subnet with
// commit-reveal enabled: the chain refuses plain set_weights there
// (CommitRevealEnabled), and weights must be committed with
// commit_timelocked_weights, encrypted to a future drand quicknet round.
var ErrCommitRevealRequired = errors.New("subnet has commit-reveal enabled: plain set_weights is refused; weights must be sent as a drand-timelocked commit (commit_timelocked_weights), or the subnet owner must disable commit-reveal")

// ErrNotRegistered is returned by Register when the hotkey has no UID.
var ErrNotRegistered = errors.New("hotkey is not registered on the subnet: registration burns TAO and is signed by the coldkey; run `btcli subnet register --netuid N --wallet.name W --wallet.hotkey H`")

// ErrNoSigner is returned by writes on a read-only client.
var ErrNoSigner = errors.New("subtensor: client has no hotkey to sign with")

// ErrUnconfirmed is returned when a submitted extrinsic was not seen in a
// block within the configured number of blocks. It may still be included.
var ErrUnconfirmed = errors.New("subtensor: extrinsic not seen in a block yet")

const pallet = "SubtensorModule"

// Config configures a Client.
type Config struct {
	// URL is the node's JSON-RPC endpoint (http(s) or ws(s)).
	URL string
	// Signer is the hotkey that signs extrinsics; nil makes a read-only
	// client.
	Signer keys.Signer
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// EraPeriod is the mortality of extrinsics in blocks (default 64).
	EraPeriod uint64
	// ConfirmBlocks is how many new blocks to watch for an extrinsic
	// before returning ErrUnconfirmed (default 5).
	ConfirmBlocks uint64
	// PollInterval is how often to look for a new block while confirming
	// (default 2 s).
	PollInterval time.Duration
	// AxonVersion is the version serve_axon publishes (default 1000000,
	// "1.0.0" as major·10^6 + minor·10^3 + patch).
	AxonVersion uint32
	// Logger defaults to discarding.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.EraPeriod == 0 {
		c.EraPeriod = 64
	}
	if c.ConfirmBlocks == 0 {
		c.ConfirmBlocks = 5
	}
	if c.PollInterval == 0 {
		c.PollInterval = 2 * time.Second
	}
	if c.AxonVersion == 0 {
		c.AxonVersion = 1_000_000
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports configuration errors.
func (c Config) Validate() error {
	if c.URL == "" {
		return errors.New("subtensor: URL is required")
	}
	return nil
}

// Client is a chain.Client for a Subtensor node.
type Client struct {
	cfg     Config
	rpc     *rpcClient
	genesis [32]byte

	mu      sync.Mutex
	md      *Metadata
	spec    uint32
	txVer   uint32
	nonceMu sync.Mutex // serialises nonce use across concurrent writes
}

var _ chain.Client = (*Client)(nil)

type runtimeVersion struct {
	SpecVersion        uint32 `json:"specVersion"`
	TransactionVersion uint32 `json:"transactionVersion"`
}

// Dial connects to a node, reads its metadata and checks that the client
// can build every call and signed extension the runtime expects.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	c := &Client{cfg: cfg, rpc: &rpcClient{url: httpURL(cfg.URL), hc: cfg.HTTPClient}}
	var g string
	if err := c.rpc.call(ctx, &g, "chain_getBlockHash", 0); err != nil {
		return nil, err
	}
	var err error
	if c.genesis, err = hash32(g); err != nil {
		return nil, fmt.Errorf("genesis hash: %w", err)
	}
	if _, err := c.metadata(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// metadata returns the metadata of the current runtime, re-reading it after
// a runtime upgrade.
func (c *Client) metadata(ctx context.Context) (*Metadata, error) {
	var rv runtimeVersion
	if err := c.rpc.call(ctx, &rv, "state_getRuntimeVersion"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.md != nil && rv.SpecVersion == c.spec {
		md := c.md
		c.mu.Unlock()
		return md, nil
	}
	c.mu.Unlock()
	var raw hexBytes
	if err := c.rpc.call(ctx, &raw, "state_getMetadata"); err != nil {
		return nil, err
	}
	md, err := ParseMetadata(raw)
	if err != nil {
		return nil, err
	}
	if err := md.checkExtensions(); err != nil {
		return nil, err
	}
	if err := md.checkCalls(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.md, c.spec, c.txVer = md, rv.SpecVersion, rv.TransactionVersion
	c.mu.Unlock()
	c.cfg.Logger.Info("runtime metadata loaded", "spec_version", rv.SpecVersion, "signed_extensions", len(md.SignedExtensions))
	return md, nil
}

// checkCalls verifies the shapes of the calls the client encodes by hand.
func (m *Metadata) checkCalls() error {
	_, _, f, err := m.Call(pallet, "set_weights")
	if err != nil {
		return err
	}
	if len(f) != 4 || !m.isPrim(f[0].Type, primU16) || !m.isSeqOf(f[1].Type, primU16) ||
		!m.isSeqOf(f[2].Type, primU16) || !m.isPrim(f[3].Type, primU64) {
		return errors.New("subtensor: runtime's set_weights has an unexpected signature")
	}
	_, _, f, err = m.Call(pallet, "serve_axon")
	if err != nil {
		return err
	}
	want := []int{primU16, primU32, primU128, primU16, primU8, primU8, primU8, primU8}
	if len(f) != len(want) {
		return errors.New("subtensor: runtime's serve_axon has an unexpected signature")
	}
	for i, p := range want {
		if !m.isPrim(f[i].Type, p) {
			return fmt.Errorf("subtensor: runtime's serve_axon argument %s has an unexpected type", f[i].Name)
		}
	}
	return nil
}

type header struct {
	Number string `json:"number"`
}

// BlockNumber returns the height of the best block.
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	var h header
	if err := c.rpc.call(ctx, &h, "chain_getHeader"); err != nil {
		return 0, err
	}
	return parseHexNumber(h.Number)
}

// head returns the best block's number and hash.
func (c *Client) head(ctx context.Context) (uint64, [32]byte, error) {
	n, err := c.BlockNumber(ctx)
	if err != nil {
		return 0, [32]byte{}, err
	}
	h, ok, err := c.blockHash(ctx, n)
	if err != nil {
		return 0, [32]byte{}, err
	}
	if !ok {
		return 0, [32]byte{}, fmt.Errorf("subtensor: node has no hash for its best block %d", n)
	}
	return n, h, nil
}

func (c *Client) blockHash(ctx context.Context, n uint64) ([32]byte, bool, error) {
	var s *string
	if err := c.rpc.call(ctx, &s, "chain_getBlockHash", n); err != nil {
		return [32]byte{}, false, err
	}
	if s == nil {
		return [32]byte{}, false, nil
	}
	h, err := hash32(*s)
	return h, err == nil, err
}

// storage reads pallet.item at block at (nil = best), returning the
// entry's default when the key is absent.
func (c *Client) storage(ctx context.Context, md *Metadata, at *[32]byte, item string, keys ...[]byte) ([]byte, error) {
	key, entry, err := md.StorageKey(pallet, item, keys...)
	if err != nil {
		return nil, err
	}
	return c.storageRaw(ctx, key, entry, at)
}

func (c *Client) storageRaw(ctx context.Context, key []byte, entry *StorageEntry, at *[32]byte) ([]byte, error) {
	params := []any{encodeHex(key)}
	if at != nil {
		params = append(params, encodeHex(at[:]))
	}
	var v hexBytes
	if err := c.rpc.call(ctx, &v, "state_getStorage", params...); err != nil {
		return nil, err
	}
	if v == nil && !entry.Optional {
		return entry.Default, nil
	}
	return v, nil
}

func u16le(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// Metagraph reads the subnet's neurons through the runtime API at the best
// block.
func (c *Client) Metagraph(ctx context.Context, netuid uint16) (*chain.Metagraph, error) {
	md, err := c.metadata(ctx)
	if err != nil {
		return nil, err
	}
	n, h, err := c.head(ctx)
	if err != nil {
		return nil, err
	}
	added, err := c.storage(ctx, md, &h, "NetworksAdded", u16le(netuid))
	if err != nil {
		return nil, err
	}
	if len(added) != 1 || added[0] != 1 {
		return nil, fmt.Errorf("netuid %d: %w", netuid, chain.ErrSubnetNotFound)
	}
	var raw hexBytes
	if err := c.rpc.call(ctx, &raw, "state_call", "NeuronInfoRuntimeApi_get_neurons_lite", encodeHex(u16le(netuid)), encodeHex(h[:])); err != nil {
		return nil, err
	}
	neurons, err := DecodeNeuronsLite(raw)
	if err != nil {
		return nil, err
	}
	if err := c.registrationBlocks(ctx, md, h, netuid, neurons); err != nil {
		return nil, err
	}
	return &chain.Metagraph{NetUID: netuid, Block: n, Neurons: neurons}, nil
}

type storageChangeSet struct {
	Changes [][2]*string `json:"changes"`
}

// registrationBlocks fills RegisteredAt from BlockAtRegistration(netuid,
// uid) with one state_queryStorageAt call at block h.
func (c *Client) registrationBlocks(ctx context.Context, md *Metadata, h [32]byte, netuid uint16, neurons []chain.Neuron) error {
	if len(neurons) == 0 {
		return nil
	}
	keyHex := make([]string, len(neurons))
	byKey := make(map[string]int, len(neurons))
	var entry *StorageEntry
	for i, nrn := range neurons {
		k, e, err := md.StorageKey(pallet, "BlockAtRegistration", u16le(netuid), u16le(nrn.UID))
		if err != nil {
			return err
		}
		entry = e
		keyHex[i] = encodeHex(k)
		byKey[keyHex[i]] = i
	}
	var sets []storageChangeSet
	if err := c.rpc.call(ctx, &sets, "state_queryStorageAt", keyHex, encodeHex(h[:])); err != nil {
		return err
	}
	decode := func(b []byte) (uint64, error) {
		if len(b) != 8 {
			return 0, fmt.Errorf("subtensor: BlockAtRegistration is %d bytes, want 8", len(b))
		}
		return binary.LittleEndian.Uint64(b), nil
	}
	if len(entry.Default) == 8 {
		def, _ := decode(entry.Default)
		for i := range neurons {
			neurons[i].RegisteredAt = def
		}
	}
	for _, set := range sets {
		for _, ch := range set.Changes {
			if ch[0] == nil || ch[1] == nil {
				continue
			}
			i, ok := byKey[*ch[0]]
			if !ok {
				continue
			}
			b, err := decodeHex(*ch[1])
			if err != nil {
				return fmt.Errorf("subtensor: BlockAtRegistration: %w", err)
			}
			if neurons[i].RegisteredAt, err = decode(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// Register returns the UID of the client's hotkey if it is registered and
// ErrNotRegistered otherwise (see the package doc).
func (c *Client) Register(ctx context.Context, netuid uint16) (uint16, error) {
	if c.cfg.Signer == nil {
		return 0, ErrNoSigner
	}
	mg, err := c.Metagraph(ctx, netuid)
	if err != nil {
		return 0, err
	}
	if nrn, ok := mg.ByHotkey(c.cfg.Signer.PublicKey()); ok {
		return nrn.UID, nil
	}
	return 0, fmt.Errorf("netuid %d, hotkey %s: %w", netuid, c.cfg.Signer.PublicKey(), ErrNotRegistered)
}

// CommitRevealEnabled reports whether the subnet requires commit-reveal
// weights.
func (c *Client) CommitRevealEnabled(ctx context.Context, netuid uint16) (bool, error) {
	md, err := c.metadata(ctx)
	if err != nil {
		return false, err
	}
	v, err := c.storage(ctx, md, nil, "CommitRevealWeightsEnabled", u16le(netuid))
	if err != nil {
		return false, err
	}
	if len(v) != 1 || v[0] > 1 {
		return false, fmt.Errorf("subtensor: CommitRevealWeightsEnabled is %x, want a bool", v)
	}
	return v[0] == 1, nil
}

// SetWeights signs and submits set_weights, waiting for inclusion. It
// returns ErrCommitRevealRequired on commit-reveal subnets and a
// *chain.TxError when the chain refuses the call.
func (c *Client) SetWeights(ctx context.Context, netuid uint16, uids, values []uint16, versionKey uint64) error {
	if c.cfg.Signer == nil {
		return ErrNoSigner
	}
	if len(uids) != len(values) {
		return &chain.TxError{Name: "WeightVecNotEqualSize"}
	}
	cr, err := c.CommitRevealEnabled(ctx, netuid)
	if err != nil {
		return err
	}
	if cr {
		return fmt.Errorf("netuid %d: %w", netuid, ErrCommitRevealRequired)
	}
	md, err := c.metadata(ctx)
	if err != nil {
		return err
	}
	pi, ci, _, err := md.Call(pallet, "set_weights")
	if err != nil {
		return err
	}
	var e scale.Encoder
	e.U8(pi).U8(ci).U16(netuid).Compact(uint64(len(uids)))
	for _, u := range uids {
		e.U16(u)
	}
	e.Compact(uint64(len(values)))
	for _, v := range values {
		e.U16(v)
	}
	e.U64(versionKey)
	return c.submit(ctx, md, "set_weights", e.Bytes())
}

// ServeAxon publishes addr as the hotkey's axon (protocol 4, as the
// Bittensor SDK sends).
func (c *Client) ServeAxon(ctx context.Context, netuid uint16, addr netip.AddrPort) error {
	if c.cfg.Signer == nil {
		return ErrNoSigner
	}
	if !addr.IsValid() || addr.Port() == 0 || addr.Addr().IsUnspecified() {
		return fmt.Errorf("subtensor: axon address %s must have an IP and a port", addr)
	}
	md, err := c.metadata(ctx)
	if err != nil {
		return err
	}
	pi, ci, _, err := md.Call(pallet, "serve_axon")
	if err != nil {
		return err
	}
	lo, hi, ipType := axonIP(addr.Addr())
	var e scale.Encoder
	e.U8(pi).U8(ci).U16(netuid).U32(c.cfg.AxonVersion).U128(lo, hi).U16(addr.Port()).U8(ipType).U8(4).U8(0).U8(0)
	return c.submit(ctx, md, "serve_axon", e.Bytes())
}

// submit signs call, submits it and waits for the block that includes it.
func (c *Client) submit(ctx context.Context, md *Metadata, name string, call []byte) error {
	c.nonceMu.Lock()
	defer c.nonceMu.Unlock()
	n, h, err := c.head(ctx)
	if err != nil {
		return err
	}
	var nonce uint32
	if err := c.rpc.call(ctx, &nonce, "system_accountNextIndex", c.cfg.Signer.PublicKey().SS58()); err != nil {
		return err
	}
	c.mu.Lock()
	spec, txVer := c.spec, c.txVer
	c.mu.Unlock()
	era := MortalEra(c.cfg.EraPeriod, n)
	eraBlock := h
	if birth := era.Birth(n); birth != n {
		var ok bool
		if eraBlock, ok, err = c.blockHash(ctx, birth); err != nil || !ok {
			return fmt.Errorf("subtensor: hash of era birth block %d: %v", birth, err)
		}
	}
	ext, err := md.signedExtrinsic(c.cfg.Signer, call, signingParams{
		SpecVersion: spec, TxVersion: txVer, Genesis: c.genesis, EraBlock: eraBlock,
		Era: era, Nonce: nonce,
	})
	if err != nil {
		return err
	}
	txHash := blake2b.Sum256(ext)
	log := c.cfg.Logger.With("call", name, "tx_hash", encodeHex(txHash[:]), "nonce", nonce)
	if err := c.rpc.call(ctx, nil, "author_submitExtrinsic", encodeHex(ext)); err != nil {
		if re, ok := errors.AsType[*RPCError](err); ok {
			return &chain.TxError{Name: "InvalidTransaction", Detail: re.Error()}
		}
		return err
	}
	log.Debug("extrinsic submitted", "block", n)
	return c.confirm(ctx, md, log, n, ext)
}

type signedBlock struct {
	Block struct {
		Extrinsics []hexBytes `json:"extrinsics"`
	} `json:"block"`
}

// confirm watches blocks after from for ext and reports its outcome.
func (c *Client) confirm(ctx context.Context, md *Metadata, log *slog.Logger, from uint64, ext []byte) error {
	next := from + 1
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	for next <= from+c.cfg.ConfirmBlocks {
		h, ok, err := c.blockHash(ctx, next)
		if err != nil {
			return err
		}
		if !ok {
			select {
			case <-ctx.Done():
				return context.Cause(ctx)
			case <-t.C:
				continue
			}
		}
		var b signedBlock
		if err := c.rpc.call(ctx, &b, "chain_getBlock", encodeHex(h[:])); err != nil {
			return err
		}
		for i, x := range b.Block.Extrinsics {
			if bytes.Equal(x, ext) {
				log.Debug("extrinsic included", "block", next, "index", i)
				return c.outcome(ctx, md, h, uint32(i))
			}
		}
		next++
	}
	return fmt.Errorf("%w after %d blocks", ErrUnconfirmed, c.cfg.ConfirmBlocks)
}

// outcome reads System.Events at block h for extrinsic index idx.
func (c *Client) outcome(ctx context.Context, md *Metadata, h [32]byte, idx uint32) error {
	key, entry, err := md.StorageKey("System", "Events")
	if err != nil {
		return err
	}
	raw, err := c.storageRaw(ctx, key, entry, &h)
	if err != nil {
		return err
	}
	res, err := md.ExtrinsicResult(raw, entry.Value, idx)
	if err != nil {
		return err
	}
	if res.Success {
		return nil
	}
	return &chain.TxError{Name: res.Error, Detail: res.Pallet}
}
