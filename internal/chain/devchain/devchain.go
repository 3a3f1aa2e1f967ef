// Package devchain is subnetkit's embedded Bittensor-like chain: the default
// chain for development, tests and localnet. It keeps subnets of neurons
// (hotkey, coldkey, stake, axon, validator permit), produces deterministic
// blocks, checks set_weights the way Subtensor does (same order, same
// module error names), recomputes validator permits and splits emission
// 41% miners / 41% validators / 18% subnet owner at every tempo.
//
// Like go-ethereum's simulated backend, blocks are produced by [Chain.Commit]
// (or [Chain.AdvanceTime], or [Chain.Run] on a timer), so tests control time
// exactly. State is saved atomically to Config.Dir after every block, and
// New resumes from it (transactions since the last block are applied in
// memory and saved with the next block). [Chain.Client] returns a
// chain.Client bound to a hotkey.
//
// Simplifications, on purpose: emission uses stake-weighted averages of
// validator weights without Yuma's consensus clipping or bonds; dividends
// are proportional to stake among validators that set weights; there is no
// registration cost, immunity period or commit-reveal. A Chain is safe for
// concurrent use.
package devchain

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/keys"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

// Config configures a Chain. Zero fields take the defaults.
type Config struct {
	// Dir persists the state; "" keeps it in memory only.
	Dir string
	// BlockTime is the interval Run commits blocks at (default 12 s).
	BlockTime time.Duration
	// DenyLoopbackAxons refuses 127.0.0.0/8 axons as Subtensor does;
	// by default the dev chain allows them so localnet works on loopback.
	DenyLoopbackAxons bool
	// Logger receives lifecycle logs (default: discard).
	Logger *slog.Logger
}

// SubnetParams are a subnet's hyperparameters.
type SubnetParams struct {
	Tempo               uint64         `json:"tempo"`                  // blocks per epoch (default 360)
	WeightsSetRateLimit uint64         `json:"weights_set_rate_limit"` // blocks between set_weights (default 100)
	WeightsVersionKey   uint64         `json:"weights_version_key"`    // minimum version key
	MinAllowedWeights   uint16         `json:"min_allowed_weights"`    // default 1
	MaxWeightsLimit     uint16         `json:"max_weights_limit"`      // default 65535 (no limit)
	MaxUIDs             uint16         `json:"max_uids"`               // default 256
	MaxValidators       uint16         `json:"max_validators"`         // default 64
	MinStake            uint64         `json:"min_stake"`              // rao needed to set weights (default 0)
	EmissionPerBlock    uint64         `json:"emission_per_block"`     // rao (default 1e9)
	CommitRevealEnabled bool           `json:"commit_reveal_enabled"`  // set_weights refused when true
	Owner               keys.PublicKey `json:"owner"`                  // receives the owner's 18%
}

func (p SubnetParams) withDefaults() SubnetParams {
	if p.Tempo == 0 {
		p.Tempo = 360
	}
	if p.WeightsSetRateLimit == 0 {
		p.WeightsSetRateLimit = 100
	}
	if p.MinAllowedWeights == 0 {
		p.MinAllowedWeights = 1
	}
	if p.MaxWeightsLimit == 0 {
		p.MaxWeightsLimit = 65535
	}
	if p.MaxUIDs == 0 {
		p.MaxUIDs = 256
	}
	if p.MaxValidators == 0 {
		p.MaxValidators = 64
	}
	if p.EmissionPerBlock == 0 {
		p.EmissionPerBlock = 1_000_000_000
	}
	return p
}

type subnet struct {
	Params        SubnetParams           `json:"params"`
	Neurons       []chain.Neuron         `json:"neurons"`
	Weights       map[uint16][]weightRow `json:"weights"` // validator uid -> row
	OwnerEmission uint64                 `json:"owner_emission"`
}

type weightRow struct {
	UID   uint16 `json:"uid"`
	Value uint16 `json:"value"`
}

type state struct {
	Height  uint64             `json:"height"`
	Hash    [32]byte           `json:"hash"`
	Genesis [32]byte           `json:"genesis"`
	Subnets map[uint16]*subnet `json:"subnets"`
	// Nonces holds each signer's last accepted transaction nonce (HTTP API).
	Nonces map[string]uint64 `json:"nonces"`
}

// Chain is an embedded dev chain.
type Chain struct {
	cfg Config

	mu      sync.Mutex
	st      state
	pending []byte // transactions applied since the last block (for its hash)
}

// New opens (or creates) a chain, resuming from cfg.Dir when it holds state.
func New(cfg Config) (*Chain, error) {
	if cfg.BlockTime <= 0 {
		cfg.BlockTime = 12 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Chain{cfg: cfg, st: state{Subnets: map[uint16]*subnet{}}}
	c.st.Hash = sha256.Sum256([]byte("subnetkit devchain genesis"))
	c.st.Genesis = c.st.Hash
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("devchain: %w", err)
		}
		b, err := os.ReadFile(c.statePath())
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &c.st); err != nil {
				return nil, fmt.Errorf("devchain: state file %s: %w", c.statePath(), err)
			}
			cfg.Logger.Info("devchain resumed", "height", c.st.Height, "subnets", len(c.st.Subnets))
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("devchain: %w", err)
		}
	}
	return c, nil
}

func (c *Chain) statePath() string { return filepath.Join(c.cfg.Dir, "devchain.json") }

func txErr(name, detail string) error { return &chain.TxError{Name: name, Detail: detail} }

// record notes an applied transaction for the next block's hash.
func (c *Chain) record(parts ...any) {
	b, _ := json.Marshal(parts)
	c.pending = append(c.pending, b...)
}

// CreateSubnet adds a subnet (idempotent for an existing netuid: its
// parameters are kept).
func (c *Chain) CreateSubnet(netuid uint16, p SubnetParams) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.st.Subnets[netuid]; ok {
		return
	}
	c.st.Subnets[netuid] = &subnet{Params: p.withDefaults(), Weights: map[uint16][]weightRow{}}
	c.record("create_subnet", netuid)
}

func (c *Chain) subnet(netuid uint16) (*subnet, error) {
	sn, ok := c.st.Subnets[netuid]
	if !ok {
		return nil, fmt.Errorf("%w: netuid %d", chain.ErrSubnetNotFound, netuid)
	}
	return sn, nil
}

func (sn *subnet) uidOf(hotkey keys.PublicKey) (uint16, bool) {
	for _, n := range sn.Neurons {
		if n.Hotkey == hotkey {
			return n.UID, true
		}
	}
	return 0, false
}

// Register registers hotkey (owned by coldkey) and returns its UID; an
// already registered hotkey gets its UID back. A full subnet refuses with
// TxError "SubnetFull" (the dev chain does not prune).
func (c *Chain) Register(netuid uint16, hotkey, coldkey keys.PublicKey) (uint16, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sn, err := c.subnet(netuid)
	if err != nil {
		return 0, err
	}
	if uid, ok := sn.uidOf(hotkey); ok {
		return uid, nil
	}
	if len(sn.Neurons) >= int(sn.Params.MaxUIDs) {
		return 0, txErr("SubnetFull", fmt.Sprintf("%d uids", sn.Params.MaxUIDs))
	}
	uid := uint16(len(sn.Neurons))
	sn.Neurons = append(sn.Neurons, chain.Neuron{UID: uid, Hotkey: hotkey, Coldkey: coldkey, Active: true, LastUpdate: c.st.Height, RegisteredAt: c.st.Height})
	c.record("register", netuid, hotkey, coldkey)
	return uid, nil
}

// AddStake adds rao to a registered hotkey's stake (a dev faucet).
func (c *Chain) AddStake(netuid uint16, hotkey keys.PublicKey, rao uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	sn, err := c.subnet(netuid)
	if err != nil {
		return err
	}
	uid, ok := sn.uidOf(hotkey)
	if !ok {
		return txErr("HotKeyNotRegisteredInSubNet", hotkey.SS58())
	}
	sn.Neurons[uid].Stake += rao
	sn.recomputePermits()
	c.record("add_stake", netuid, hotkey, rao)
	return nil
}

// ServeAxon publishes where hotkey serves, with Subtensor's checks: the
// caller must be registered, the IP set and the port non-zero (loopback is
// allowed unless Config.DenyLoopbackAxons).
func (c *Chain) ServeAxon(netuid uint16, hotkey keys.PublicKey, addr netip.AddrPort) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	sn, err := c.subnet(netuid)
	if err != nil {
		return err
	}
	uid, ok := sn.uidOf(hotkey)
	if !ok {
		return txErr("HotKeyNotRegisteredInSubNet", hotkey.SS58())
	}
	ip := addr.Addr()
	switch {
	case !ip.IsValid() || ip.IsUnspecified():
		return txErr("InvalidIpAddress", "ip must be set")
	case c.cfg.DenyLoopbackAxons && ip.IsLoopback():
		return txErr("InvalidIpAddress", "loopback")
	case addr.Port() == 0:
		return txErr("InvalidPort", "port 0")
	}
	sn.Neurons[uid].Axon = addr
	c.record("serve_axon", netuid, hotkey, addr.String())
	return nil
}

// SetWeights stores hotkey's weights after Subtensor's checks, in its order.
// Refusals are *chain.TxError with the module error's name.
func (c *Chain) SetWeights(netuid uint16, hotkey keys.PublicKey, uids, values []uint16, versionKey uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	sn, ok := c.st.Subnets[netuid]
	if ok && sn.Params.CommitRevealEnabled {
		return txErr("CommitRevealEnabled", "use commit-reveal on this subnet")
	}
	switch {
	case netuid == 0:
		return txErr("CanNotSetRootNetworkWeights", "")
	case len(uids) != len(values):
		return txErr("WeightVecNotEqualSize", "")
	case !ok:
		return txErr("SubNetworkDoesNotExist", fmt.Sprint(netuid))
	case len(uids) > len(sn.Neurons):
		return txErr("UidsLengthExceedUidsInSubNet", "")
	}
	uid, ok := sn.uidOf(hotkey)
	if !ok {
		return txErr("HotKeyNotRegisteredInSubNet", hotkey.SS58())
	}
	me := &sn.Neurons[uid]
	switch {
	case me.Stake < sn.Params.MinStake:
		return txErr("NotEnoughStakeToSetWeights", "")
	case versionKey < sn.Params.WeightsVersionKey:
		return txErr("IncorrectWeightVersionKey", fmt.Sprintf("need >= %d", sn.Params.WeightsVersionKey))
	case c.st.Height-me.LastUpdate < sn.Params.WeightsSetRateLimit && me.LastUpdate != 0:
		return txErr("SettingWeightsTooFast", fmt.Sprintf("last update at block %d, limit %d blocks", me.LastUpdate, sn.Params.WeightsSetRateLimit))
	}
	selfOnly := len(uids) == 1 && uids[0] == uid
	if !me.ValidatorPermit && !selfOnly && hotkey != sn.Params.Owner {
		return txErr("NeuronNoValidatorPermit", "")
	}
	seen := map[uint16]bool{}
	for _, u := range uids {
		if seen[u] {
			return txErr("DuplicateUids", "")
		}
		seen[u] = true
		if int(u) >= len(sn.Neurons) {
			return txErr("UidVecContainInvalidOne", fmt.Sprint(u))
		}
	}
	if !selfOnly && len(uids) < min(int(sn.Params.MinAllowedWeights), len(sn.Neurons)) {
		return txErr("WeightVecLengthIsLow", "")
	}
	var maxV uint16
	for _, v := range values {
		maxV = max(maxV, v)
	}
	row := make([]weightRow, 0, len(uids))
	for i, u := range uids {
		scaled := uint16(0)
		if maxV > 0 {
			scaled = uint16((uint64(values[i])*65535 + uint64(maxV)/2) / uint64(maxV))
		}
		if !selfOnly && len(uids) > 1 && scaled > sn.Params.MaxWeightsLimit && sn.Params.MaxWeightsLimit != 65535 {
			return txErr("MaxWeightExceeded", "")
		}
		row = append(row, weightRow{UID: u, Value: scaled})
	}
	sort.Slice(row, func(i, j int) bool { return row[i].UID < row[j].UID })
	sn.Weights[uid] = row
	me.LastUpdate = c.st.Height
	c.record("set_weights", netuid, hotkey, uids, values, versionKey)
	return nil
}

// recomputePermits grants permits to the top MaxValidators by stake (stake
// > 0; ties by lower UID).
func (sn *subnet) recomputePermits() {
	order := make([]int, len(sn.Neurons))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sn.Neurons[order[a]].Stake > sn.Neurons[order[b]].Stake })
	for rank, i := range order {
		sn.Neurons[i].ValidatorPermit = sn.Neurons[i].Stake > 0 && rank < int(sn.Params.MaxValidators)
	}
}

// Commit produces one block: height + 1, hash = SHA-256(parent ‖ height ‖
// SHA-256(transactions since the last block)), epochs run on subnets whose
// tempo ends at this height, and the state is saved.
func (c *Chain) Commit() (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commitLocked()
}

func (c *Chain) commitLocked() (uint64, error) {
	c.st.Height++
	txRoot := sha256.Sum256(c.pending)
	var h [8]byte
	binary.BigEndian.PutUint64(h[:], c.st.Height)
	c.st.Hash = sha256.Sum256(slices.Concat(c.st.Hash[:], h[:], txRoot[:]))
	c.pending = c.pending[:0]
	netuids := make([]uint16, 0, len(c.st.Subnets))
	for n := range c.st.Subnets {
		netuids = append(netuids, n)
	}
	slices.Sort(netuids)
	for _, n := range netuids {
		sn := c.st.Subnets[n]
		// Subtensor's epoch condition: (block + netuid + 1) % (tempo + 1) == 0.
		if (c.st.Height+uint64(n)+1)%(sn.Params.Tempo+1) == 0 {
			sn.epoch()
		}
	}
	// Every block changes the height and hash, so every block is saved.
	if err := c.saveLocked(); err != nil {
		return c.st.Height, err
	}
	return c.st.Height, nil
}

// epoch distributes one tempo's emission: 41% to miners by the
// stake-weighted average of the validators' normalised weights, 41% to
// validators that set weights in proportion to stake, 18% to the owner.
// Arithmetic is exact (big.Rat) and floors to rao.
func (sn *subnet) epoch() {
	sn.recomputePermits()
	total := new(big.Rat).SetInt(new(big.Int).SetUint64(sn.Params.EmissionPerBlock * (sn.Params.Tempo + 1)))
	minerPool := new(big.Rat).Mul(total, big.NewRat(41, 100))
	valPool := new(big.Rat).Mul(total, big.NewRat(41, 100))
	ownerPool := new(big.Rat).Mul(total, big.NewRat(18, 100))
	incentive := make([]*big.Rat, len(sn.Neurons))
	dividend := make([]*big.Rat, len(sn.Neurons))
	for i := range incentive {
		incentive[i], dividend[i] = new(big.Rat), new(big.Rat)
	}
	stakeSum := new(big.Rat)
	vuids := make([]uint16, 0, len(sn.Weights))
	for v := range sn.Weights {
		vuids = append(vuids, v)
	}
	slices.Sort(vuids)
	for _, v := range vuids {
		if int(v) < len(sn.Neurons) && sn.Neurons[v].ValidatorPermit {
			stakeSum.Add(stakeSum, ratU(sn.Neurons[v].Stake))
		}
	}
	for _, v := range vuids {
		if int(v) >= len(sn.Neurons) || !sn.Neurons[v].ValidatorPermit || stakeSum.Sign() == 0 {
			continue
		}
		row := sn.Weights[v]
		var rowSum uint64
		for _, w := range row {
			rowSum += uint64(w.Value)
		}
		if rowSum == 0 {
			continue
		}
		share := new(big.Rat).Quo(ratU(sn.Neurons[v].Stake), stakeSum)
		dividend[v].Add(dividend[v], share)
		for _, w := range row {
			if int(w.UID) < len(sn.Neurons) {
				x := new(big.Rat).Mul(share, big.NewRat(int64(w.Value), int64(rowSum)))
				incentive[w.UID].Add(incentive[w.UID], x)
			}
		}
	}
	for i := range sn.Neurons {
		n := &sn.Neurons[i]
		em := new(big.Rat).Mul(minerPool, incentive[i])
		em.Add(em, new(big.Rat).Mul(valPool, dividend[i]))
		n.Emission = floorU(em)
		n.Incentive = u16(incentive[i])
		n.Consensus = n.Incentive
		n.Dividends = u16(dividend[i])
	}
	sn.OwnerEmission += floorU(ownerPool)
}

func ratU(x uint64) *big.Rat { return new(big.Rat).SetInt(new(big.Int).SetUint64(x)) }

func floorU(r *big.Rat) uint64 { return new(big.Int).Quo(r.Num(), r.Denom()).Uint64() }

func u16(r *big.Rat) uint16 { return uint16(floorU(new(big.Rat).Mul(r, big.NewRat(65535, 1)))) }

// AdvanceTime commits as many blocks as d covers at the block time.
func (c *Chain) AdvanceTime(d time.Duration) (uint64, error) {
	var h uint64
	var err error
	for range int64(d / c.cfg.BlockTime) {
		if h, err = c.Commit(); err != nil {
			return h, err
		}
	}
	return c.Height(), nil
}

// Run commits a block every BlockTime until ctx ends.
func (c *Chain) Run(ctx context.Context) error {
	t := time.NewTicker(c.cfg.BlockTime)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := c.Commit(); err != nil {
				return err
			}
		}
	}
}

// Height returns the current block height.
func (c *Chain) Height() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.Height
}

// Hash returns the current block hash.
func (c *Chain) Hash() [32]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.Hash
}

// Metagraph returns a copy of a subnet's neurons at the current block.
func (c *Chain) Metagraph(netuid uint16) (*chain.Metagraph, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sn, err := c.subnet(netuid)
	if err != nil {
		return nil, err
	}
	return &chain.Metagraph{NetUID: netuid, Block: c.st.Height, Neurons: append([]chain.Neuron{}, sn.Neurons...)}, nil
}

// Weights returns the stored (max-upscaled) weights of a validator UID.
func (c *Chain) Weights(netuid, uid uint16) map[uint16]uint16 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[uint16]uint16{}
	if sn, ok := c.st.Subnets[netuid]; ok {
		for _, w := range sn.Weights[uid] {
			out[w.UID] = w.Value
		}
	}
	return out
}

// saveLocked writes the state atomically: temp file, fsync, rename, dir fsync.
func (c *Chain) saveLocked() error {
	if c.cfg.Dir == "" {
		return nil
	}
	b, err := json.Marshal(&c.st)
	if err != nil {
		return err
	}
	if err := vfs.WriteFileAtomic(vfs.OS{}, c.statePath(), b); err != nil {
		return fmt.Errorf("devchain: save: %w", err)
	}
	return nil
}

// Client is a chain.Client bound to one hotkey of an in-process Chain.
type Client struct {
	c      *Chain
	signer keys.Signer
}

var _ chain.Client = (*Client)(nil)

// Client returns a client whose writes act for signer's hotkey (the dev
// chain trusts in-process callers; over HTTP every write is signed).
func (c *Chain) Client(signer keys.Signer) *Client { return &Client{c: c, signer: signer} }

// Metagraph implements chain.MetagraphReader.
func (cl *Client) Metagraph(_ context.Context, netuid uint16) (*chain.Metagraph, error) {
	return cl.c.Metagraph(netuid)
}

// BlockNumber implements chain.BlockReader.
func (cl *Client) BlockNumber(context.Context) (uint64, error) { return cl.c.Height(), nil }

// Register implements chain.Registrar (the hotkey is its own coldkey).
func (cl *Client) Register(_ context.Context, netuid uint16) (uint16, error) {
	pk := cl.signer.PublicKey()
	return cl.c.Register(netuid, pk, pk)
}

// ServeAxon implements chain.AxonServer.
func (cl *Client) ServeAxon(_ context.Context, netuid uint16, addr netip.AddrPort) error {
	return cl.c.ServeAxon(netuid, cl.signer.PublicKey(), addr)
}

// SetWeights implements chain.WeightSetter.
func (cl *Client) SetWeights(_ context.Context, netuid uint16, uids, values []uint16, versionKey uint64) error {
	return cl.c.SetWeights(netuid, cl.signer.PublicKey(), uids, values, versionKey)
}
