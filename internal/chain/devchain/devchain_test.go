package devchain

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/keys"
)

func key(t testing.TB, uri string) keys.PublicKey {
	t.Helper()
	kp, err := keys.FromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return kp.PublicKey()
}

// net4 builds subnet 1 with a staked validator (uid 0) and three miners.
func net4(t testing.TB, c *Chain, p SubnetParams) (val keys.PublicKey, miners []keys.PublicKey) {
	c.CreateSubnet(1, p)
	val = key(t, "//Alice")
	if _, err := c.Register(1, val, val); err != nil {
		t.Fatal(err)
	}
	if err := c.AddStake(1, val, 1_000_000_000_000); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"//M1", "//M2", "//M3"} {
		m := key(t, u)
		if _, err := c.Register(1, m, m); err != nil {
			t.Fatal(err)
		}
		miners = append(miners, m)
	}
	return val, miners
}

func txName(err error) string {
	if te, ok := errors.AsType[*chain.TxError](err); ok {
		return te.Name
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func TestSetWeightsChecks(t *testing.T) {
	tests := []struct {
		name    string
		params  SubnetParams
		who     string
		netuid  uint16
		uids    []uint16
		vals    []uint16
		version uint64
		want    string
	}{
		{"ok", SubnetParams{}, "//Alice", 1, []uint16{1, 2}, []uint16{1, 3}, 0, ""},
		{"commit reveal", SubnetParams{CommitRevealEnabled: true}, "//Alice", 1, []uint16{1}, []uint16{1}, 0, "CommitRevealEnabled"},
		{"root", SubnetParams{}, "//Alice", 0, []uint16{1}, []uint16{1}, 0, "CanNotSetRootNetworkWeights"},
		{"unequal", SubnetParams{}, "//Alice", 1, []uint16{1, 2}, []uint16{1}, 0, "WeightVecNotEqualSize"},
		{"no subnet", SubnetParams{}, "//Alice", 9, []uint16{1}, []uint16{1}, 0, "SubNetworkDoesNotExist"},
		{"too many uids", SubnetParams{}, "//Alice", 1, []uint16{0, 1, 2, 3, 4}, []uint16{1, 1, 1, 1, 1}, 0, "UidsLengthExceedUidsInSubNet"},
		{"unregistered", SubnetParams{}, "//Eve", 1, []uint16{1}, []uint16{1}, 0, "HotKeyNotRegisteredInSubNet"},
		{"min stake", SubnetParams{MinStake: 2_000_000_000_000}, "//Alice", 1, []uint16{1}, []uint16{1}, 0, "NotEnoughStakeToSetWeights"},
		{"version key", SubnetParams{WeightsVersionKey: 100}, "//Alice", 1, []uint16{1}, []uint16{1}, 99, "IncorrectWeightVersionKey"},
		{"no permit", SubnetParams{}, "//M1", 1, []uint16{2}, []uint16{1}, 0, "NeuronNoValidatorPermit"},
		{"self weight without permit", SubnetParams{}, "//M1", 1, []uint16{1}, []uint16{1}, 0, ""},
		{"duplicates", SubnetParams{}, "//Alice", 1, []uint16{1, 1}, []uint16{1, 1}, 0, "DuplicateUids"},
		{"invalid uid", SubnetParams{}, "//Alice", 1, []uint16{1, 7}, []uint16{1, 1}, 0, "UidVecContainInvalidOne"},
		{"too few", SubnetParams{MinAllowedWeights: 3}, "//Alice", 1, []uint16{1, 2}, []uint16{1, 1}, 0, "WeightVecLengthIsLow"},
		{"max weight", SubnetParams{MaxWeightsLimit: 40000}, "//Alice", 1, []uint16{1, 2}, []uint16{1, 3}, 0, "MaxWeightExceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := New(Config{})
			net4(t, c, tt.params)
			for range 101 { // past the registration-time rate limit
				c.Commit()
			}
			err := c.SetWeights(tt.netuid, key(t, tt.who), tt.uids, tt.vals, tt.version)
			if got := txName(err); got != tt.want {
				t.Fatalf("SetWeights = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestRateLimitAndUpscale(t *testing.T) {
	c, _ := New(Config{})
	val, _ := net4(t, c, SubnetParams{WeightsSetRateLimit: 10})
	c.AdvanceTime(11 * 12 * 1e9)
	if err := c.SetWeights(1, val, []uint16{1, 2, 3}, []uint16{10, 20, 0}, 0); err != nil {
		t.Fatal(err)
	}
	if w := c.Weights(1, 0); w[2] != 65535 || w[1] != 32768 || w[3] != 0 {
		t.Fatalf("stored weights = %v, want max-upscaled", w)
	}
	for range 9 {
		c.Commit()
	}
	if err := c.SetWeights(1, val, []uint16{1}, []uint16{1}, 0); txName(err) != "SettingWeightsTooFast" {
		t.Fatalf("after 9 blocks: %v, want SettingWeightsTooFast", err)
	}
	c.Commit()
	if err := c.SetWeights(1, val, []uint16{1}, []uint16{1}, 0); err != nil {
		t.Fatalf("after 10 blocks: %v", err)
	}
}

func TestEmissionSplitAndPermits(t *testing.T) {
	c, _ := New(Config{})
	val, miners := net4(t, c, SubnetParams{Tempo: 9, WeightsSetRateLimit: 1, Owner: key(t, "//Owner"), EmissionPerBlock: 1000})
	// A second, smaller validator.
	bob := key(t, "//Bob")
	c.Register(1, bob, bob)
	c.AddStake(1, bob, 250_000_000_000) // Alice 1000 TAO, Bob 250 TAO
	c.Commit()
	c.Commit()
	if err := c.SetWeights(1, val, []uint16{1, 2}, []uint16{1, 1}, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.SetWeights(1, bob, []uint16{3}, []uint16{1}, 0); err != nil {
		t.Fatal(err)
	}
	for c.Height() < 10 {
		c.Commit()
	}
	mg, _ := c.Metagraph(1)
	// Epoch at block 8 ((8+1+1) % 10 == 0): total 10 blocks × 1000 = 10,000 rao.
	// Miner pool 4,100: Alice (0.8 of stake) gives m1, m2 0.4 each; Bob (0.2) gives m3 0.2.
	want := map[keys.PublicKey]uint64{miners[0]: 1640, miners[1]: 1640, miners[2]: 820, val: 3280, bob: 820}
	var sum uint64
	for _, n := range mg.Neurons {
		if n.Emission != want[n.Hotkey] {
			t.Errorf("uid %d emission = %d, want %d", n.UID, n.Emission, want[n.Hotkey])
		}
		sum += n.Emission
	}
	c.mu.Lock()
	owner := c.st.Subnets[1].OwnerEmission
	c.mu.Unlock()
	if owner != 1800 || sum+owner != 10_000 {
		t.Errorf("owner = %d, total = %d; want 1800 and 10000", owner, sum+owner)
	}
	if !mg.Neurons[0].ValidatorPermit || mg.Neurons[1].ValidatorPermit {
		t.Error("permits not given by stake")
	}
	if mg.Neurons[1].Incentive != 26214 { // 0.4 × 65535
		t.Errorf("incentive = %d, want 26214", mg.Neurons[1].Incentive)
	}
}

func TestServeAxon(t *testing.T) {
	c, _ := New(Config{})
	_, miners := net4(t, c, SubnetParams{})
	if err := c.ServeAxon(1, miners[0], netip.MustParseAddrPort("127.0.0.1:8091")); err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{"0.0.0.0:8091": "InvalidIpAddress", "10.0.0.1:0": "InvalidPort"} {
		if err := c.ServeAxon(1, miners[0], netip.MustParseAddrPort(addr)); txName(err) != want {
			t.Errorf("ServeAxon(%s) = %v, want %s", addr, err, want)
		}
	}
	strict, _ := New(Config{DenyLoopbackAxons: true})
	_, ms := net4(t, strict, SubnetParams{})
	if err := strict.ServeAxon(1, ms[0], netip.MustParseAddrPort("127.0.0.1:8091")); txName(err) != "InvalidIpAddress" {
		t.Errorf("loopback on a strict chain = %v", err)
	}
	if err := c.ServeAxon(1, key(t, "//Eve"), netip.MustParseAddrPort("10.0.0.1:1")); txName(err) != "HotKeyNotRegisteredInSubNet" {
		t.Errorf("unregistered = %v", err)
	}
}

func TestDeterministicAndPersistent(t *testing.T) {
	run := func(dir string) *Chain {
		c, err := New(Config{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		net4(t, c, SubnetParams{Tempo: 4})
		for range 12 {
			c.Commit()
		}
		return c
	}
	dir := t.TempDir()
	a, b := run(dir), run("")
	if a.Hash() != b.Hash() {
		t.Fatal("two identical runs produced different block hashes")
	}
	resumed, err := New(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Height() != 12 || resumed.Hash() != a.Hash() {
		t.Fatalf("resumed at %d %x, want 12 %x", resumed.Height(), resumed.Hash(), a.Hash())
	}
	mg, _ := resumed.Metagraph(1)
	if len(mg.Neurons) != 4 || mg.Neurons[0].Stake != 1_000_000_000_000 {
		t.Fatalf("resumed metagraph = %+v", mg.Neurons)
	}
}

func TestClientImplementsChain(t *testing.T) {
	c, _ := New(Config{})
	c.CreateSubnet(450, SubnetParams{WeightsSetRateLimit: 1})
	alice, _ := keys.FromURI("//Alice")
	cl := c.Client(alice)
	uid, err := cl.Register(t.Context(), 450)
	if err != nil || uid != 0 {
		t.Fatalf("Register = %d, %v", uid, err)
	}
	if again, _ := cl.Register(t.Context(), 450); again != uid {
		t.Fatal("Register is not idempotent")
	}
	if err := cl.ServeAxon(t.Context(), 450, netip.MustParseAddrPort("127.0.0.1:9000")); err != nil {
		t.Fatal(err)
	}
	c.Commit()
	if err := cl.SetWeights(t.Context(), 450, []uint16{0}, []uint16{1}, 100); err != nil {
		t.Fatal(err)
	}
	mg, _ := cl.Metagraph(t.Context(), 450)
	if n, ok := mg.ByHotkey(alice.PublicKey()); !ok || n.Axon.Port() != 9000 {
		t.Fatalf("metagraph = %+v", mg)
	}
	if _, err := cl.Metagraph(t.Context(), 7); !errors.Is(err, chain.ErrSubnetNotFound) {
		t.Fatalf("missing subnet: %v", err)
	}
}
