// Package evm holds what subnetkit's EVM users (DRAIN channels, x402
// payments) share: the small client interfaces they call, built from
// go-ethereum's own, and the embedded default chain, go-ethereum's
// in-process simulated backend with funded development accounts.
//
// Production code takes the interfaces; tests and localnets pass a
// [Simulated], integration tests an ethclient dialled to anvil, and
// operators any JSON-RPC node (Polygon, Base).
package evm

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
)

// LogReader reads event logs and the chain head, what a log scanner needs.
type LogReader interface {
	ethereum.LogFilterer
	BlockNumber(ctx context.Context) (uint64, error)
}

// Backend is what contract bindings need to call and transact.
type Backend interface {
	ethereum.ChainReader
	ethereum.ChainStateReader
	ethereum.ContractCaller
	ethereum.GasEstimator
	ethereum.GasPricer
	ethereum.PendingStateReader
	ethereum.PendingContractCaller
	ethereum.TransactionSender
	ethereum.TransactionReader
	ethereum.LogFilterer
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
	ethereum.GasPricer1559
	ethereum.FeeHistoryReader
}

// DevKeys returns n deterministic development keys (secp256k1 scalars
// keccak256("subnetkit-dev-" ‖ i)), never to be used with real funds.
func DevKeys(n int) []*ecdsa.PrivateKey {
	out := make([]*ecdsa.PrivateKey, n)
	for i := range n {
		k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("subnetkit-dev-%d", i))))
		if err != nil {
			panic(err) // a keccak output is a valid scalar with overwhelming probability; pinned by tests
		}
		out[i] = k
	}
	return out
}

// Address returns the account address of a key.
func Address(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// Simulated is an in-process chain (go-ethereum's simulated backend):
// blocks are mined by Commit, so tests decide exactly when time moves.
type Simulated struct {
	*simulated.Backend
	// Keys are the funded development accounts, each holding 1,000,000 ETH.
	Keys []*ecdsa.PrivateKey
}

// SimulatedChainID is the chain id of a Simulated chain.
const SimulatedChainID = 1337

// NewSimulated starts a simulated chain with n funded development keys.
func NewSimulated(n int) *Simulated {
	keys := DevKeys(n)
	alloc := types.GenesisAlloc{}
	balance := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	for _, k := range keys {
		alloc[Address(k)] = types.Account{Balance: balance}
	}
	return &Simulated{Backend: simulated.NewBackend(alloc, simulated.WithBlockGasLimit(60_000_000)), Keys: keys}
}

// Client returns the chain's client as a Backend.
func (s *Simulated) Client() Backend { return s.Backend.Client() }
