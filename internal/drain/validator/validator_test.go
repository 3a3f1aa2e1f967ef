package validator

import (
	"context"
	"errors"
	"maps"
	"math/big"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/drain/miner"
	"github.com/subnetkit/subnetkit/internal/drain/scanner"
	"github.com/subnetkit/subnetkit/internal/evm"
	"github.com/subnetkit/subnetkit/internal/keys"
)

type fakeScanner struct {
	res scanner.Result
	err error
}

func (f *fakeScanner) Scan(context.Context) (scanner.Result, error) { return f.res, f.err }

func TestFailedScanChangesNothing(t *testing.T) {
	dc, _ := devchain.New(devchain.Config{})
	dc.CreateSubnet(58, devchain.SubnetParams{})
	val, _ := keys.FromURI("//Alice")
	m, _ := keys.FromURI("//Bob")
	dc.Register(58, val.PublicKey(), val.PublicKey())
	dc.Register(58, m.PublicKey(), m.PublicKey())
	dc.Commit()
	sc := &fakeScanner{res: scanner.Result{PerProvider: map[common.Address]*big.Int{{1}: big.NewInt(5)}, MaxClaims: big.NewInt(5)}}
	dir := t.TempDir()
	v, err := New(Config{Chain: dc.Client(val), Scanner: sc, Signer: val, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Round(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	before := v.state.Step
	sc.err = errors.Join(scanner.ErrUnavailable, errors.New("chunk 100-200 unreadable"))
	if _, err := v.Round(t.Context(), true); !errors.Is(err, scanner.ErrUnavailable) {
		t.Fatalf("Round with a failed scan err = %v, want the scan error", err)
	}
	if v.state.Step != before {
		t.Fatalf("a failed scan advanced the state (%d → %d)", before, v.state.Step)
	}
	// The state persists across restarts.
	v2, err := New(Config{Chain: dc.Client(val), Scanner: sc, Signer: val, DataDir: dir})
	if err != nil || v2.state.Step != before || len(v2.state.Scores) != 2 {
		t.Fatalf("restored state = %+v, %v", v2.state, err)
	}
}

func TestTwoValidatorsAgree(t *testing.T) {
	dc, _ := devchain.New(devchain.Config{})
	dc.CreateSubnet(58, devchain.SubnetParams{})
	v1k, _ := keys.FromURI("//Alice")
	v2k, _ := keys.FromURI("//Bob")
	dc.Register(58, v1k.PublicKey(), v1k.PublicKey())
	dc.Register(58, v2k.PublicKey(), v2k.PublicKey())
	claims := map[common.Address]*big.Int{}
	for i := range 3 {
		hk, _ := keys.FromURI("//M" + string(rune('a'+i)))
		wallet := evm.DevKeys(3)[i]
		srv, err := miner.New(miner.Config{Hotkey: hk.PublicKey(), WalletKey: wallet, APIURL: "https://p.example"})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		dc.Register(58, hk.PublicKey(), hk.PublicKey())
		dc.ServeAxon(58, hk.PublicKey(), netip.MustParseAddrPort(hs.Listener.Addr().String()))
		claims[evm.Address(wallet)] = big.NewInt(int64(1_000_000 * (i + 1)))
	}
	claims[common.Address{9}] = big.NewInt(10_000_000) // a non-miner sets max_claims
	dc.Commit()
	sc := &fakeScanner{res: scanner.Result{PerProvider: claims}}
	var got []map[uint16]float64
	for _, k := range []*keys.Keypair{v1k, v2k} {
		v, err := New(Config{Chain: dc.Client(k), Scanner: sc, Signer: k, AllowPrivate: true})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.Round(t.Context(), false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.MaxClaims.Int64() != 10_000_000 {
			t.Fatalf("max claims = %v, want the non-miner's 10 USDC", rep.MaxClaims)
		}
		got = append(got, rep.Weights)
	}
	if len(got[0]) != 3 || !maps.Equal(got[0], got[1]) {
		t.Fatalf("validators disagree: %v vs %v", got[0], got[1])
	}
}
