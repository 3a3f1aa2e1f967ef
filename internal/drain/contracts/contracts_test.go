package contracts

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/subnetkit/subnetkit/internal/drain/contracts/bindings"
	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
)

// TestSelectors pins function selectors, error selectors and event topics
// to the published DRAIN V1 interface.
func TestSelectors(t *testing.T) {
	parsed, err := bindings.DrainChannelMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]string{
		"open": "89a86ad3", "claim": "95ace4b3", "close": "39c79e0c", "getChannel": "831c2b82",
		"getBalance": "8e739461", "channels": "7a7ebd7b", "nonces": "7ecebe00", "DOMAIN_SEPARATOR": "3644e515",
		"isImmutable": "bb0aa8ef",
	}
	for name, want := range methods {
		if got := common.Bytes2Hex(parsed.Methods[name].ID); got != want {
			t.Errorf("selector(%s) = %s, want %s", name, got, want)
		}
	}
	errs := map[string]string{
		"InvalidAmount": "2c5211c6", "InvalidSignature": "8baa579f", "ChannelNotFound": "1e07dd94",
		"NotProvider": "3480e2b2", "NotConsumer": "8c7dc13d", "NotExpired": "d0404f85",
	}
	for name, want := range errs {
		if id := parsed.Errors[name].ID; common.Bytes2Hex(id[:4]) != want {
			got := common.Bytes2Hex(id[:4])
			t.Errorf("error selector(%s) = %s, want %s", name, got, want)
		}
	}
	events := []struct {
		name, sig string
		indexed   []string
		topic     common.Hash
	}{
		{"ChannelOpened", SigChannelOpened, []string{"channelId", "consumer", "provider"}, TopicChannelOpened},
		{"ChannelClaimed", SigChannelClaimed, []string{"channelId", "provider"}, TopicChannelClaimed},
		{"ChannelClosed", SigChannelClosed, []string{"channelId", "consumer"}, TopicChannelClosed},
	}
	for _, e := range events {
		ev := parsed.Events[e.name]
		if ev.Sig != e.sig || ev.ID != crypto.Keccak256Hash([]byte(e.sig)) || ev.ID != e.topic {
			t.Errorf("event %s = %s (%s), want %s", e.name, ev.Sig, ev.ID, e.sig)
		}
		var idx []string
		for _, in := range ev.Inputs {
			if in.Indexed {
				idx = append(idx, in.Name)
			}
		}
		if len(idx) != len(e.indexed) {
			t.Errorf("event %s indexed = %v, want %v", e.name, idx, e.indexed)
			continue
		}
		for i := range idx {
			if idx[i] != e.indexed[i] {
				t.Errorf("event %s indexed = %v, want %v", e.name, idx, e.indexed)
			}
		}
	}
	if want := common.HexToHash("0xf52962519ffeefc816f3b8d3e9498fd9fd014f35c0b6aeead0118577a42bb324"); TopicChannelClaimed != want {
		t.Errorf("TopicChannelClaimed = %s, want %s", TopicChannelClaimed, want)
	}
}

type ecdsaKey = ecdsa.PrivateKey

func newFixture(t *testing.T) (*evm.Simulated, Deployment) {
	t.Helper()
	sim := evm.NewSimulated(4)
	t.Cleanup(func() { sim.Close() })
	d, err := Deploy(t.Context(), AutoMine(sim), sim.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sim.Keys[1:] {
		if _, err := d.Client.Mint(t.Context(), sim.Keys[0], evm.Address(k), big.NewInt(100_000_000)); err != nil {
			t.Fatal(err)
		}
	}
	return sim, d
}

func TestDomainSeparator(t *testing.T) {
	_, d := newFixture(t)
	got, err := d.Client.DomainSeparator(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := d.Client.Domain().Separator(); got != want {
		t.Errorf("DOMAIN_SEPARATOR() = %s, want %s", got, want)
	}
	if d.Client.ChainID().Int64() != evm.SimulatedChainID {
		t.Errorf("ChainID() = %s, want %d", d.Client.ChainID(), evm.SimulatedChainID)
	}
}

func balance(t *testing.T, c *Client, a common.Address) int64 {
	t.Helper()
	b, err := c.TokenBalance(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	return b.Int64()
}

func findLog(t *testing.T, r *types.Receipt, topic common.Hash) *types.Log {
	t.Helper()
	for _, l := range r.Logs {
		if l.Topics[0] == topic {
			return l
		}
	}
	t.Fatalf("receipt %s has no log with topic %s", r.TxHash, topic)
	return nil
}

func TestChannelLifecycle(t *testing.T) {
	sim, d := newFixture(t)
	ctx, c := t.Context(), d.Client
	consumer, provider, other := sim.Keys[1], sim.Keys[2], sim.Keys[3]
	ca, pa := evm.Address(consumer), evm.Address(provider)

	op, err := c.Open(ctx, consumer, pa, big.NewInt(5_000_000), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	l := findLog(t, op.Receipt, TopicChannelOpened)
	if l.Address != d.Channel || len(l.Topics) != 4 || l.Topics[1] != op.ID ||
		common.BytesToAddress(l.Topics[2][:]) != ca || common.BytesToAddress(l.Topics[3][:]) != pa ||
		new(big.Int).SetBytes(l.Data[:32]).Int64() != 5_000_000 || new(big.Int).SetBytes(l.Data[32:]).Uint64() != op.Expiry {
		t.Errorf("ChannelOpened log = %+v, want id %s consumer %s provider %s", l, op.ID, ca, pa)
	}
	ch, err := c.Channel(ctx, op.ID)
	if err != nil || !ch.Exists() || ch.Consumer != ca || ch.Provider != pa || ch.Deposit.Int64() != 5_000_000 || ch.Claimed.Sign() != 0 || ch.Expiry != op.Expiry {
		t.Fatalf("Channel(%s) = %+v, %v", op.ID, ch, err)
	}
	if got := balance(t, c, ca); got != 95_000_000 {
		t.Errorf("consumer balance after open = %d, want 95000000", got)
	}

	sign := func(k *ecdsaKey, amount, nonce int64) voucher.Signed {
		s, err := voucher.Sign(k, c.Domain(), voucher.Voucher{ChannelID: op.ID, Amount: big.NewInt(amount), Nonce: big.NewInt(nonce)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	v1 := sign(consumer, 1_000_000, 1)
	r, err := c.Claim(ctx, provider, v1)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ParseClaimed(*findLog(t, r, TopicChannelClaimed))
	if err != nil || cl.ChannelID != op.ID || cl.Provider != pa || cl.Amount.Int64() != 1_000_000 || cl.Log.Address != d.Channel {
		t.Errorf("ParseClaimed = %+v, %v; want channel %s provider %s amount 1000000", cl, err, op.ID, pa)
	}
	v3 := sign(consumer, 3_000_000, 3)
	r, err = c.Claim(ctx, provider, v3)
	if err != nil {
		t.Fatal(err)
	}
	if cl, _ := ParseClaimed(*findLog(t, r, TopicChannelClaimed)); cl.Amount.Int64() != 2_000_000 {
		t.Errorf("second claim paid %s, want the delta 2000000", cl.Amount)
	}
	if got := balance(t, c, pa); got != 103_000_000 {
		t.Errorf("provider balance = %d, want 103000000", got)
	}

	highS := sign(consumer, 4_000_000, 4)
	s := new(big.Int).SetBytes(highS.Signature[32:64])
	copy(highS.Signature[32:64], common.LeftPadBytes(new(big.Int).Sub(crypto.S256().Params().N, s).Bytes(), 32))
	highS.Signature[64] ^= 1
	rejects := []struct {
		name string
		key  *ecdsaKey
		v    voucher.Signed
		want error
	}{
		{"replay", provider, v3, ErrInvalidAmount},
		{"lower amount", provider, sign(consumer, 2_000_000, 4), ErrInvalidAmount},
		{"above deposit", provider, sign(consumer, 5_000_001, 4), ErrInvalidAmount},
		{"forged signer", provider, sign(other, 4_000_000, 4), ErrInvalidSignature},
		{"signed by provider", provider, sign(provider, 4_000_000, 4), ErrInvalidSignature},
		{"high s", provider, highS, ErrInvalidSignature},
		{"not provider", other, sign(consumer, 4_000_000, 4), ErrNotProvider},
		{"unknown channel", provider, voucher.Signed{Voucher: voucher.Voucher{ChannelID: common.HexToHash("0x1234"), Amount: big.NewInt(1), Nonce: big.NewInt(1)}, Signature: v1.Signature}, ErrChannelNotFound},
	}
	for _, rc := range rejects {
		t.Run(rc.name, func(t *testing.T) {
			_, err := c.Claim(ctx, rc.key, rc.v)
			if !errors.Is(err, rc.want) {
				t.Errorf("Claim(%s) = %v, want %v", rc.name, err, rc.want)
			}
			if !Permanent(err) {
				t.Errorf("Permanent(%v) = false, want true", err)
			}
		})
	}

	if _, err := c.Close(ctx, consumer, op.ID); !errors.Is(err, ErrNotExpired) {
		t.Errorf("Close before expiry = %v, want ErrNotExpired", err)
	}
	if err := sim.AdjustTime(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Close(ctx, provider, op.ID); !errors.Is(err, ErrNotConsumer) {
		t.Errorf("Close by provider = %v, want ErrNotConsumer", err)
	}
	// Claims stay allowed after expiry until the consumer closes.
	if _, err := c.Claim(ctx, provider, sign(consumer, 3_500_000, 4)); err != nil {
		t.Errorf("Claim after expiry = %v, want success", err)
	}
	r, err = c.Close(ctx, consumer, op.ID)
	if err != nil {
		t.Fatal(err)
	}
	l = findLog(t, r, TopicChannelClosed)
	if len(l.Topics) != 3 || l.Topics[1] != op.ID || common.BytesToAddress(l.Topics[2][:]) != ca || new(big.Int).SetBytes(l.Data).Int64() != 1_500_000 {
		t.Errorf("ChannelClosed log = %+v, want refund 1500000", l)
	}
	if got := balance(t, c, ca); got != 96_500_000 {
		t.Errorf("consumer balance after close = %d, want 96500000", got)
	}
	if ch, err := c.Channel(ctx, op.ID); err != nil || ch.Exists() {
		t.Errorf("Channel after close = %+v, %v; want deleted", ch, err)
	}
	if _, err := c.Claim(ctx, provider, sign(consumer, 4_000_000, 5)); !errors.Is(err, ErrChannelNotFound) {
		t.Errorf("Claim after close = %v, want ErrChannelNotFound", err)
	}
	if _, err := c.Close(ctx, consumer, op.ID); !errors.Is(err, ErrChannelNotFound) {
		t.Errorf("second Close = %v, want ErrChannelNotFound", err)
	}
}

func TestOpenRejects(t *testing.T) {
	sim, d := newFixture(t)
	ctx, c := t.Context(), d.Client
	if _, err := c.Open(ctx, sim.Keys[1], evm.Address(sim.Keys[2]), big.NewInt(0), time.Hour); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("Open(amount 0) = %v, want ErrInvalidAmount", err)
	}
	if _, err := c.Open(ctx, sim.Keys[1], common.Address{}, big.NewInt(1), time.Hour); !errors.Is(err, ErrZeroAddress) {
		t.Errorf("Open(provider 0) = %v, want ErrZeroAddress", err)
	}
	if _, err := c.Open(ctx, sim.Keys[1], evm.Address(sim.Keys[2]), big.NewInt(200_000_000), time.Hour); !errors.Is(err, ErrTransferFailed) {
		t.Errorf("Open(above balance) = %v, want ErrTransferFailed (the token reverted)", err)
	}
	// Two channels in one block differ by the consumer nonce.
	a, err := c.Open(ctx, sim.Keys[1], evm.Address(sim.Keys[2]), big.NewInt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Open(ctx, sim.Keys[1], evm.Address(sim.Keys[2]), big.NewInt(1), 0)
	if err != nil || a.ID == b.ID {
		t.Errorf("Open twice = %s, %s (%v); want distinct ids", a.ID, b.ID, err)
	}
}
