package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

const (
	genesisMs = 1_000_000
	windowMs  = 3_000
	putMs     = 1_500
	vram      = rewards.Unit
)

func pcr(b byte) HexBytes { return bytes.Repeat([]byte{b}, PCRLen) }

var (
	goodPCRs = [3]HexBytes{pcr(1), pcr(2), pcr(3)}
	ckpt0    = Hash(sha256.Sum256([]byte("checkpoint-0")))
)

func enclaveKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// fixture is a ledger with three miners (uids 0–2, owners m0–m2) and two
// validators (uids 3 and 4, owners v0 and v1, stakes 10 and 30 VRAM) whose
// enclaves are registered, at genesis with checkpoint ckpt0 anchored.
type fixture struct {
	t       *testing.T
	l       *Ledger
	keys    map[uint64]ed25519.PrivateKey
	profile Profile
}

type fixtureOpts struct {
	mainnet      bool
	noCheckpoint bool
	rate         RateFunc
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	f := &fixture{t: t, keys: map[uint64]ed25519.PrivateKey{}, profile: ProfileDev}
	if o.mainnet {
		f.profile = ProfileMainnet
	}
	p := DefaultParams()
	p.PutWindowOpenMs = putMs
	p.ExpectedPCRs = goodPCRs
	p.Admin, p.Aggregator, p.Treasury = "admin", "agg", "treasury"
	g := Genesis{Profile: f.profile, NetworkID: "vramhub-" + string(f.profile), GenesisMs: genesisMs, WindowMs: windowMs, Params: p}
	if !o.noCheckpoint {
		g.Checkpoint = &Anchor{Effective: 0, Hash: ckpt0, Key: "checkpoint-0-v1.pt"}
	}
	var err error
	f.l, err = New(g, Options{Rate: o.rate, Verifier: DevVerifier{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var allocs []Allocation
	for _, a := range []string{"alice", "m0", "m1", "m2", "v0", "v1"} {
		allocs = append(allocs, Allocation{Address: a, Amount: 100_000 * vram})
	}
	f.must(f.l.Premint(0, "admin", allocs))
	cred := Credentials{EncKind: EncPlaintext, Sealed: HexBytes("{}"), Bucket: "b"}
	if o.mainnet {
		cred.EncKind = EncSealIBE
	}
	for i := range 3 {
		uid, err := f.l.RegisterPeer(0, fmt.Sprintf("m%d", i), vram, cred)
		f.must(err)
		if uid != uint64(i) {
			t.Fatalf("miner uid = %d, want %d", uid, i)
		}
	}
	for i, stake := range []uint64{10 * vram, 30 * vram} {
		owner := fmt.Sprintf("v%d", i)
		uid, _, err := f.l.RegisterValidator(0, owner, stake)
		f.must(err)
		key := enclaveKey(byte(10 + i))
		f.keys[uid] = key
		pub := key.Public().(ed25519.PublicKey)
		f.must(f.l.RegisterEnclave(0, owner, uid, pub, DevDocument([3][]byte(toBytes(goodPCRs)), pub)))
	}
	return f
}

func toBytes(p [3]HexBytes) [3][]byte { return [3][]byte{p[0], p[1], p[2]} }

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// at returns the time offset ms into window w.
func at(w, offset uint64) uint64 { return genesisMs + w*windowMs + offset }

func contentHash(w, uid uint64) Hash {
	return sha256.Sum256(fmt.Appendf(nil, "gradient %d %d", w, uid))
}

func (f *fixture) upload(w uint64, uids ...uint64) {
	f.t.Helper()
	for _, uid := range uids {
		f.must(f.l.SubmitGradient(at(w, 0), fmt.Sprintf("m%d", uid), uid, w, GradientUpload{
			Key: GradientKey(w, uid), ContentHash: contentHash(w, uid), Size: 1000, Checkpoint: ckpt0,
		}))
	}
}

// signed returns a submission of scores for window w signed by vuid's
// enclave.
func (f *fixture) signed(vuid, w uint64, scores ...UIDScore) ScoreSubmission {
	f.t.Helper()
	msg, err := ScoreMessage(f.l.NetworkID(), vuid, w, ckpt0, scores)
	f.must(err)
	key := f.keys[vuid]
	return ScoreSubmission{Checkpoint: ckpt0, Scores: scores, EnclaveKey: HexBytes(key.Public().(ed25519.PublicKey)), Signature: ed25519.Sign(key, msg)}
}

func (f *fixture) snapshot() []byte {
	f.t.Helper()
	b, err := f.l.Snapshot()
	f.must(err)
	return b
}

// checkSupply verifies that balances, locked stakes and the vault add up
// to the supply.
func (f *fixture) checkSupply() {
	f.t.Helper()
	var total uint64
	for _, b := range f.l.s.Balances {
		total += b
	}
	for _, p := range f.l.s.Peers {
		total += p.Stake
	}
	total += f.l.s.Burned
	if total != f.l.s.Supply {
		f.t.Errorf("balances + stakes + burned = %d, supply = %d", total, f.l.s.Supply)
	}
}

func wantReject(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s = %v, want %v", what, err, want)
	}
	if _, ok := errors.AsType[*RejectError](err); !ok {
		t.Fatalf("%s = %T, want *RejectError", what, err)
	}
}
