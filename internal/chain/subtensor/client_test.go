package subtensor

import (
	"context"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
	"github.com/subnetkit/subnetkit/internal/keys"
)

type testNeuron struct {
	hotkey, coldkey keys.PublicKey
	uid             uint16
	axon            AxonInfo
	stakes          []uint64
	emission        uint64
	incentive       uint16
	dividends       uint16
	lastUpdate      uint64
	permit          bool
}

// encodeNeuronsLite encodes Vec<NeuronInfoLite> field by field as the
// runtime does (reference table in chain-and-payments §2.5).
func encodeNeuronsLite(netuid uint16, ns []testNeuron) []byte {
	var e scale.Encoder
	e.Compact(uint64(len(ns)))
	for _, n := range ns {
		e.Raw(n.hotkey[:]).Raw(n.coldkey[:]).Compact(uint64(n.uid)).Compact(uint64(netuid)).Bool(true)
		a := n.axon
		e.U64(a.Block).U32(a.Version).U128(a.IPLo, a.IPHi).U16(a.Port).U8(a.IPType).U8(a.Protocol).U8(0).U8(0)
		e.U64(0).U32(0).U128(0, 0).U16(0).U8(0) // prometheus_info
		e.Compact(uint64(len(n.stakes)))
		for _, s := range n.stakes {
			e.Raw(n.coldkey[:]).Compact(s)
		}
		e.Compact(0).Compact(n.emission).Compact(uint64(n.incentive)).Compact(65535).Compact(65535).Compact(7).Compact(uint64(n.dividends))
		e.Compact(n.lastUpdate).Bool(n.permit).Compact(65535)
	}
	return e.Bytes()
}

func mustKey(t testing.TB, uri string) *keys.Keypair {
	t.Helper()
	kp, err := keys.FromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func dial(t *testing.T, url string, signer keys.Signer) *Client {
	t.Helper()
	c, err := Dial(t.Context(), Config{URL: url, Signer: signer, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMetagraph(t *testing.T) {
	node, srv := newFakeNode(t, "finney-spec219")
	alice, bob := mustKey(t, "//Alice"), mustKey(t, "//Bob")
	node.setStorage("NetworksAdded", []byte{1}, u16le(450))
	node.neurons[450] = encodeNeuronsLite(450, []testNeuron{
		{hotkey: alice.PublicKey(), coldkey: bob.PublicKey(), uid: 0, stakes: []uint64{1_000_000_000, 5},
			axon: AxonInfo{IPLo: 0x01020304, Port: 8091, IPType: 4, Protocol: 4}, permit: true, lastUpdate: 9, dividends: 100},
		{hotkey: bob.PublicKey(), coldkey: bob.PublicKey(), uid: 1, emission: 42, incentive: 65535,
			axon: AxonInfo{IPHi: 0x20010db800000000, IPLo: 1, Port: 443, IPType: 6}},
	})
	node.setStorage("BlockAtRegistration", []byte{0x39, 0x30, 0, 0, 0, 0, 0, 0}, u16le(450), u16le(1)) // 12345
	c := dial(t, srv.URL, nil)
	mg, err := c.Metagraph(t.Context(), 450)
	if err != nil {
		t.Fatal(err)
	}
	if mg.Block != 9 || len(mg.Neurons) != 2 {
		t.Fatalf("Metagraph = block %d, %d neurons; want 9, 2", mg.Block, len(mg.Neurons))
	}
	n0, n1 := mg.Neurons[0], mg.Neurons[1]
	if n0.Hotkey != alice.PublicKey() || n0.Coldkey != bob.PublicKey() || n0.Stake != 1_000_000_005 ||
		n0.Axon != netip.MustParseAddrPort("1.2.3.4:8091") || !n0.ValidatorPermit || n0.LastUpdate != 9 || n0.Dividends != 100 || n0.Trust != 7 {
		t.Errorf("neuron 0 = %+v", n0)
	}
	if n0.RegisteredAt != 0 || n1.RegisteredAt != 12345 {
		t.Errorf("registration blocks = %d, %d; want 0 (storage default) and 12345", n0.RegisteredAt, n1.RegisteredAt)
	}
	if n1.UID != 1 || n1.Emission != 42 || n1.Incentive != 65535 || n1.Axon != netip.MustParseAddrPort("[2001:db8::1]:443") || n1.ValidatorPermit {
		t.Errorf("neuron 1 = %+v", n1)
	}
	if _, err := c.Metagraph(t.Context(), 3); !errors.Is(err, chain.ErrSubnetNotFound) {
		t.Errorf("Metagraph(absent subnet) err = %v, want ErrSubnetNotFound", err)
	}
	if uid, err := dial(t, srv.URL, bob).Register(t.Context(), 450); err != nil || uid != 1 {
		t.Errorf("Register(registered bob) = %d, %v; want 1", uid, err)
	}
	if _, err := dial(t, srv.URL, mustKey(t, "//Charlie")).Register(t.Context(), 450); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("Register(charlie) err = %v, want ErrNotRegistered", err)
	}
}

func decodeSetWeights(t *testing.T, md *Metadata, call []byte) (netuid uint16, uids, vals []uint16, version uint64) {
	t.Helper()
	pi, ci, _, _ := md.Call(pallet, "set_weights")
	d := scale.NewDecoder(call)
	if d.U8() != pi || d.U8() != ci {
		t.Fatalf("call %x is not set_weights", call)
	}
	netuid = d.U16()
	for range d.Len(2) {
		uids = append(uids, d.U16())
	}
	for range d.Len(2) {
		vals = append(vals, d.U16())
	}
	version = d.U64()
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	return
}

func TestSetWeights(t *testing.T) {
	for _, md := range []string{"finney-spec219", "testnet-spec224"} {
		t.Run(md, func(t *testing.T) {
			node, srv := newFakeNode(t, md)
			alice := mustKey(t, "//Alice")
			node.nonces[alice.PublicKey()] = 7
			c := dial(t, srv.URL, alice)
			if err := c.SetWeights(t.Context(), 450, []uint16{0, 2}, []uint16{65535, 100}, 3); err != nil {
				t.Fatalf("SetWeights: %v (node rejected %v)", err, node.rejected)
			}
			netuid, uids, vals, ver := decodeSetWeights(t, node.md, node.calls[0])
			if netuid != 450 || !slices.Equal(uids, []uint16{0, 2}) || !slices.Equal(vals, []uint16{65535, 100}) || ver != 3 {
				t.Errorf("node saw set_weights(%d, %v, %v, %d)", netuid, uids, vals, ver)
			}
			if node.nonces[alice.PublicKey()] != 8 {
				t.Errorf("nonce after one tx = %d, want 8", node.nonces[alice.PublicKey()])
			}
			// A second call uses the next nonce.
			if err := c.SetWeights(t.Context(), 450, []uint16{1}, []uint16{65535}, 3); err != nil {
				t.Fatalf("second SetWeights: %v (node rejected %v)", err, node.rejected)
			}
		})
	}
}

func TestSetWeightsModuleErrorIsNamed(t *testing.T) {
	node, srv := newFakeNode(t, "finney-spec219")
	node.refuse = "SettingWeightsTooFast"
	c := dial(t, srv.URL, mustKey(t, "//Alice"))
	err := c.SetWeights(t.Context(), 1, []uint16{0}, []uint16{65535}, 0)
	te, ok := errors.AsType[*chain.TxError](err)
	if !ok || te.Name != "SettingWeightsTooFast" || te.Detail != pallet {
		t.Fatalf("SetWeights on refusing chain err = %v, want TxError SettingWeightsTooFast", err)
	}
}

func TestSetWeightsCommitReveal(t *testing.T) {
	node, srv := newFakeNode(t, "finney-spec219")
	node.setStorage("CommitRevealWeightsEnabled", []byte{1}, u16le(58))
	c := dial(t, srv.URL, mustKey(t, "//Alice"))
	err := c.SetWeights(t.Context(), 58, []uint16{0}, []uint16{65535}, 0)
	if !errors.Is(err, ErrCommitRevealRequired) {
		t.Fatalf("SetWeights on commit-reveal subnet err = %v, want ErrCommitRevealRequired", err)
	}
	if len(node.calls) != 0 {
		t.Fatalf("a plain set_weights was submitted to a commit-reveal subnet")
	}
	// The storage default (false in spec 219) applies to other subnets.
	if on, err := c.CommitRevealEnabled(t.Context(), 1); err != nil || on {
		t.Fatalf("CommitRevealEnabled(default) = %v, %v; want metadata default false", on, err)
	}
}

func TestSubmitRejectedByPool(t *testing.T) {
	node, srv := newFakeNode(t, "finney-spec219")
	alice := mustKey(t, "//Alice")
	c := dial(t, srv.URL, alice)
	// A signer whose signatures do not match its public key: the node's
	// signature check must refuse the extrinsic.
	c.cfg.Signer = forgedSigner{pub: alice.PublicKey(), real: mustKey(t, "//Mallory")}
	err := c.SetWeights(t.Context(), 1, []uint16{0}, []uint16{65535}, 0)
	te, ok := errors.AsType[*chain.TxError](err)
	if !ok || te.Name != "InvalidTransaction" || len(node.calls) != 0 {
		t.Fatalf("forged signature: err = %v, calls %d; want InvalidTransaction and nothing applied", err, len(node.calls))
	}
}

type forgedSigner struct {
	pub  keys.PublicKey
	real *keys.Keypair
}

func (f forgedSigner) PublicKey() keys.PublicKey     { return f.pub }
func (f forgedSigner) Sign(m []byte) ([]byte, error) { return f.real.Sign(m) }

func TestSignatureBindsChainValues(t *testing.T) {
	node, _ := newFakeNode(t, "finney-spec219")
	md := node.md
	alice := mustKey(t, "//Alice")
	p := signingParams{SpecVersion: 219, TxVersion: 1, Genesis: [32]byte{1}, EraBlock: [32]byte{2}, Era: MortalEra(64, 100), Nonce: 3}
	ext, err := md.signedExtrinsic(alice, []byte{7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, p)
	if err != nil {
		t.Fatal(err)
	}
	x, err := md.DecodeSignedExtrinsic(ext)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(spec, txv uint32, genesis, eraBlock [32]byte) bool {
		payload, err := md.SigningPayload(x, spec, txv, genesis, eraBlock)
		return err == nil && x.Signer.Verify(payload, x.Signature)
	}
	if !verify(219, 1, [32]byte{1}, [32]byte{2}) {
		t.Fatal("signature does not verify under the values it was made with")
	}
	tests := []struct {
		name         string
		spec, txv    uint32
		genesis, era [32]byte
	}{
		{"other spec", 220, 1, [32]byte{1}, [32]byte{2}},
		{"other tx version", 219, 2, [32]byte{1}, [32]byte{2}},
		{"other genesis", 219, 1, [32]byte{9}, [32]byte{2}},
		{"other era block", 219, 1, [32]byte{1}, [32]byte{9}},
	}
	for _, tt := range tests {
		if verify(tt.spec, tt.txv, tt.genesis, tt.era) {
			t.Errorf("%s: signature still verifies", tt.name)
		}
	}
	if x.Nonce != 3 || x.Era != p.Era || x.Tip != 0 {
		t.Errorf("decoded extras = nonce %d era %+v tip %d", x.Nonce, x.Era, x.Tip)
	}
}

func TestUnconfirmed(t *testing.T) {
	node, srv := newFakeNode(t, "finney-spec219")
	node.drop = true
	c, err := Dial(t.Context(), Config{URL: srv.URL, Signer: mustKey(t, "//Alice"), ConfirmBlocks: 3, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetWeights(t.Context(), 1, []uint16{0}, []uint16{1}, 0); !errors.Is(err, ErrUnconfirmed) {
		t.Fatalf("SetWeights never included: err = %v, want ErrUnconfirmed", err)
	}
}

func TestConfirmHonoursContext(t *testing.T) {
	_, srv := newFakeNode(t, "finney-spec219")
	c := dial(t, srv.URL, mustKey(t, "//Alice"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.SetWeights(ctx, 1, []uint16{0}, []uint16{1}, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("SetWeights with cancelled context err = %v", err)
	}
}

func TestServeAxon(t *testing.T) {
	node, srv := newFakeNode(t, "testnet-spec224")
	c := dial(t, srv.URL, mustKey(t, "//Alice"))
	tests := []struct {
		addr   string
		lo, hi uint64
		ipType uint8
	}{
		{"203.0.113.7:8091", 0xcb007107, 0, 4},
		{"[2001:db8::2]:9000", 2, 0x20010db800000000, 6},
	}
	for i, tt := range tests {
		if err := c.ServeAxon(t.Context(), 450, netip.MustParseAddrPort(tt.addr)); err != nil {
			t.Fatalf("ServeAxon(%s): %v (rejected %v)", tt.addr, err, node.rejected)
		}
		pi, ci, _, _ := node.md.Call(pallet, "serve_axon")
		d := scale.NewDecoder(node.calls[i])
		if d.U8() != pi || d.U8() != ci || d.U16() != 450 || d.U32() != 1_000_000 {
			t.Fatalf("serve_axon header mismatch: %x", node.calls[i])
		}
		lo, hi := d.U128()
		port, ipType, proto := d.U16(), d.U8(), d.U8()
		if lo != tt.lo || hi != tt.hi || port != netip.MustParseAddrPort(tt.addr).Port() || ipType != tt.ipType || proto != 4 {
			t.Errorf("ServeAxon(%s) sent ip %x/%x port %d type %d proto %d", tt.addr, hi, lo, port, ipType, proto)
		}
	}
	if err := c.ServeAxon(t.Context(), 450, netip.MustParseAddrPort("0.0.0.0:1")); err == nil {
		t.Error("ServeAxon(0.0.0.0) accepted")
	}
}

func TestReadOnlyClientRefusesWrites(t *testing.T) {
	_, srv := newFakeNode(t, "finney-spec219")
	c := dial(t, srv.URL, nil)
	if err := c.SetWeights(t.Context(), 1, nil, nil, 0); !errors.Is(err, ErrNoSigner) {
		t.Errorf("SetWeights without signer err = %v", err)
	}
}

func TestUnknownSignedExtension(t *testing.T) {
	node, _ := newFakeNode(t, "finney-spec219")
	md := *node.md
	var u32ID, emptyID uint32 = 1 << 31, 1 << 31
	for _, ty := range md.Types {
		if ty.Def == defPrimitive && ty.Prim == primU32 {
			u32ID = ty.ID
		}
		if ty.Def == defTuple && len(ty.Tuple) == 0 {
			emptyID = ty.ID
		}
	}
	md.SignedExtensions = append(slices.Clone(md.SignedExtensions), SignedExtension{Identifier: "FutureNoOp", Type: emptyID, AdditionalSigned: emptyID})
	if err := md.checkExtensions(); err != nil {
		t.Fatalf("zero-sized unknown extension refused: %v", err)
	}
	md.SignedExtensions = append(md.SignedExtensions, SignedExtension{Identifier: "FutureData", Type: u32ID, AdditionalSigned: emptyID})
	if err := md.checkExtensions(); err == nil {
		t.Fatal("unknown extension carrying data accepted")
	}
}

func TestEra(t *testing.T) {
	tests := []struct {
		period, birth uint64
		hex           string
		phase         uint64
	}{
		{64, 42, "a502", 42},  // the Substrate docs' example: period 64, phase 42
		{64, 100, "4502", 36}, // 100 mod 64
		{4, 7, "3100", 3},
		{32768, 20005, "4e9c", 20000}, // quantised phase (factor 8)
		{100, 0, "0600", 0},           // period rounded up to 128
	}
	for _, tt := range tests {
		e := MortalEra(tt.period, tt.birth)
		if got := hex.EncodeToString(e.Encode()); got != tt.hex || e.Phase != tt.phase {
			t.Errorf("MortalEra(%d, %d) = %s phase %d, want %s phase %d", tt.period, tt.birth, got, e.Phase, tt.hex, tt.phase)
		}
		d := scale.NewDecoder(e.Encode())
		if back := DecodeEra(d); back != e || d.Finish() != nil {
			t.Errorf("DecodeEra(%s) = %+v, want %+v", tt.hex, back, e)
		}
	}
	if e := MortalEra(64, 100); e.Birth(120) != 100 || e.Birth(163) != 100 || e.Birth(164) != 164 {
		t.Errorf("Birth = %d, %d, %d", e.Birth(120), e.Birth(163), e.Birth(164))
	}
	if got := (Era{}).Encode(); len(got) != 1 || got[0] != 0 {
		t.Errorf("immortal era = %x", got)
	}
}

func TestStorageKeyVectors(t *testing.T) {
	node, _ := newFakeNode(t, "finney-spec219")
	alice := mustKey(t, "//Alice").PublicKey()
	tests := []struct {
		pallet, item string
		keys         [][]byte
		want         string
	}{
		{"System", "Events", nil, "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7"},
		{"System", "Account", [][]byte{alice[:]}, "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"},
	}
	for _, tt := range tests {
		k, _, err := node.md.StorageKey(tt.pallet, tt.item, tt.keys...)
		if err != nil || hex.EncodeToString(k) != tt.want {
			t.Errorf("StorageKey(%s.%s) = %x, %v; want %s", tt.pallet, tt.item, k, err, tt.want)
		}
	}
	// SubtensorModule.Tempo uses Identity(netuid).
	k, _, err := node.md.StorageKey(pallet, "Tempo", u16le(1))
	if err != nil || hex.EncodeToString(k[32:]) != "0100" {
		t.Errorf("Tempo key suffix = %x, %v; want 0100", k[32:], err)
	}
	if _, _, err := node.md.StorageKey(pallet, "Tempo"); err == nil {
		t.Error("StorageKey with missing map key accepted")
	}
}

func TestAxonInfoAddrPort(t *testing.T) {
	tests := []struct {
		in   AxonInfo
		want string
	}{
		{AxonInfo{IPLo: 0x7f000001, Port: 80, IPType: 4}, "127.0.0.1:80"},
		{AxonInfo{IPLo: 0, Port: 80, IPType: 4}, "invalid AddrPort"},
		{AxonInfo{IPLo: 1 << 32, Port: 80, IPType: 4}, "invalid AddrPort"},
		{AxonInfo{IPLo: 1, Port: 0, IPType: 4}, "invalid AddrPort"},
		{AxonInfo{IPLo: 1, Port: 1, IPType: 5}, "invalid AddrPort"},
		{AxonInfo{IPHi: 0xfe80 << 48, IPLo: 1, Port: 1, IPType: 6}, "[fe80::1]:1"},
	}
	for _, tt := range tests {
		if got := tt.in.AddrPort().String(); got != tt.want {
			t.Errorf("AddrPort(%+v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestHTTPURL(t *testing.T) {
	for in, want := range map[string]string{
		"wss://entrypoint-finney.opentensor.ai:443": "https://entrypoint-finney.opentensor.ai:443",
		"ws://127.0.0.1:9944":                       "http://127.0.0.1:9944",
		"https://test.finney.opentensor.ai":         "https://test.finney.opentensor.ai",
	} {
		if got := httpURL(in); got != want {
			t.Errorf("httpURL(%s) = %s, want %s", in, got, want)
		}
	}
}
