// Package chain defines the small client interfaces subnetkit nodes use to
// talk to a Bittensor-like chain: reading the metagraph and the block height,
// registering a hotkey, publishing an axon and setting weights.
//
// The interfaces are built from one- or two-method pieces, in the manner of
// go-ethereum's interfaces.go, so a caller declares only what it uses. Two
// implementations exist: devchain (the embedded default, in-process or over
// HTTP) and subtensor (the real chain over Substrate JSON-RPC). Each asserts
// at compile time that it satisfies [Client].
//
// The package also holds the pure weight conversion the real chain expects
// ([WeightsToU16]). It does no I/O itself.
package chain

import (
	"context"
	"errors"
	"net/netip"

	"github.com/subnetkit/subnetkit/internal/keys"
)

// Neuron is one UID's row of a subnet's metagraph.
type Neuron struct {
	// UID is the neuron's index on the subnet.
	UID uint16 `json:"uid"`
	// Hotkey is the neuron's hotkey (the key that signs its requests).
	Hotkey keys.PublicKey `json:"hotkey"`
	// Coldkey owns the hotkey.
	Coldkey keys.PublicKey `json:"coldkey"`
	// Stake is the stake behind the hotkey on this subnet, in rao (10^-9 TAO
	// or alpha).
	Stake uint64 `json:"stake"`
	// Axon is where the neuron serves; the zero AddrPort means never served.
	Axon netip.AddrPort `json:"axon"`
	// Active mirrors the chain's active flag.
	Active bool `json:"active"`
	// ValidatorPermit reports whether the neuron may set weights.
	ValidatorPermit bool `json:"validator_permit"`
	// LastUpdate is the block at which the neuron last set weights.
	LastUpdate uint64 `json:"last_update"`
	// Incentive, Consensus, Dividends and Trust are u16 fixed-point values
	// over 65535, as the chain stores them.
	Incentive uint16 `json:"incentive"`
	Consensus uint16 `json:"consensus"`
	Dividends uint16 `json:"dividends"`
	Trust     uint16 `json:"validator_trust"`
	// Emission is the neuron's last emission in rao.
	Emission uint64 `json:"emission"`
	// RegisteredAt is the block the hotkey registered at (Subtensor's
	// BlockAtRegistration); 0 when the chain does not say.
	RegisteredAt uint64 `json:"registered_at"`
}

// Metagraph is a snapshot of a subnet's neurons at a block.
type Metagraph struct {
	// NetUID is the subnet.
	NetUID uint16 `json:"netuid"`
	// Block is the height the snapshot was read at.
	Block uint64 `json:"block"`
	// Neurons is ordered by UID.
	Neurons []Neuron `json:"neurons"`
}

// ByHotkey returns the neuron registered under hotkey, if any.
func (m *Metagraph) ByHotkey(hotkey keys.PublicKey) (Neuron, bool) {
	for _, n := range m.Neurons {
		if n.Hotkey == hotkey {
			return n, true
		}
	}
	return Neuron{}, false
}

// MetagraphReader reads a subnet's metagraph.
type MetagraphReader interface {
	// Metagraph returns the current metagraph of netuid. It returns
	// [ErrSubnetNotFound] for a subnet that does not exist.
	Metagraph(ctx context.Context, netuid uint16) (*Metagraph, error)
}

// BlockReader reads the current block height.
type BlockReader interface {
	BlockNumber(ctx context.Context) (uint64, error)
}

// Registrar registers the client's hotkey on a subnet.
type Registrar interface {
	// Register registers the hotkey (idempotent: an already registered hotkey
	// gets its existing UID back).
	Register(ctx context.Context, netuid uint16) (uid uint16, err error)
}

// AxonServer publishes where the client's hotkey serves.
type AxonServer interface {
	ServeAxon(ctx context.Context, netuid uint16, addr netip.AddrPort) error
}

// WeightSetter sets the client hotkey's weights on a subnet.
type WeightSetter interface {
	// SetWeights submits already converted u16 weights (see [WeightsToU16]).
	// Chain-side refusals are returned as *[TxError].
	SetWeights(ctx context.Context, netuid uint16, uids, values []uint16, versionKey uint64) error
}

// Reader is what read-only consumers (miners, the SDK, gateways) need.
type Reader interface {
	MetagraphReader
	BlockReader
}

// Client is the full set a node uses, implemented by devchain and subtensor.
type Client interface {
	Reader
	Registrar
	AxonServer
	WeightSetter
}

// ErrSubnetNotFound is returned when a netuid does not exist on the chain.
var ErrSubnetNotFound = errors.New("subnet not found")

// TxError is a chain-side refusal of a transaction, named as the chain's
// module error is (for example "SettingWeightsTooFast").
type TxError struct {
	// Name is the module error's name.
	Name string
	// Detail is optional human-readable context.
	Detail string
}

func (e *TxError) Error() string {
	if e.Detail == "" {
		return "chain refused transaction: " + e.Name
	}
	return "chain refused transaction: " + e.Name + ": " + e.Detail
}
