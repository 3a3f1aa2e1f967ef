package evm

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

func TestSimulatedTransfer(t *testing.T) {
	sim := NewSimulated(2)
	defer sim.Close()
	c := sim.Client()
	id, err := c.ChainID(t.Context())
	if err != nil || id.Int64() != SimulatedChainID {
		t.Fatalf("ChainID = %v, %v; want %d", id, err, SimulatedChainID)
	}
	from, to := sim.Keys[0], Address(sim.Keys[1])
	nonce, err := c.PendingNonceAt(t.Context(), Address(from))
	if err != nil {
		t.Fatal(err)
	}
	tip, err := c.SuggestGasTipCap(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.HeaderByNumber(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fee := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.MustSignNewTx(from, types.LatestSignerForChainID(id), &types.DynamicFeeTx{
		ChainID: id, Nonce: nonce, GasTipCap: tip, GasFeeCap: fee, Gas: 21000, To: &to, Value: big.NewInt(12345),
	})
	before, _ := c.BalanceAt(t.Context(), to, nil)
	if err := c.SendTransaction(t.Context(), tx); err != nil {
		t.Fatal(err)
	}
	sim.Commit()
	after, err := c.BalanceAt(t.Context(), to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := new(big.Int).Sub(after, before); d.Int64() != 12345 {
		t.Fatalf("balance change = %v, want 12345", d)
	}
}

func TestDevKeysDeterministic(t *testing.T) {
	a, b := DevKeys(3), DevKeys(3)
	seen := map[common.Address]bool{}
	for i := range a {
		if Address(a[i]) != Address(b[i]) {
			t.Fatalf("DevKeys not deterministic at %d", i)
		}
		seen[Address(a[i])] = true
	}
	if len(seen) != 3 {
		t.Fatal("DevKeys repeated an address")
	}
}
