package ledger

import (
	"crypto/ed25519"
	"fmt"
	"testing"
)

func TestSubmitScoresSignatures(t *testing.T) {
	scoring := at(0, putMs)
	type mk func(f *fixture) (vuid uint64, sub ScoreSubmission)
	real := func(f *fixture) (uint64, ScoreSubmission) { return 3, f.signed(3, 0, pairs(0, 1)...) }
	tests := []struct {
		name          string
		make          mk
		dev, mainnet  error
		wantSimulated bool
	}{
		{name: "accepted", make: real},
		{name: "forged", make: func(f *fixture) (uint64, ScoreSubmission) {
			s := f.signed(3, 0, pairs(0, 1)...)
			msg, _ := ScoreMessage(f.l.NetworkID(), 3, 0, ckpt0, s.Scores)
			s.Signature = ed25519.Sign(enclaveKey(77), msg)
			return 3, s
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "replayed with other scores", make: func(f *fixture) (uint64, ScoreSubmission) {
			s := f.signed(3, 0, pairs(0, 1)...)
			s.Scores = []UIDScore{{UID: 0, Score: 5}, {UID: 1, Score: 999_999}}
			return 3, s
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "replayed with a subset", make: func(f *fixture) (uint64, ScoreSubmission) {
			s := f.signed(3, 0, pairs(0, 1)...)
			s.Scores = s.Scores[:1]
			return 3, s
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "other window", make: func(f *fixture) (uint64, ScoreSubmission) {
			return 3, f.signed(3, 1, pairs(0, 1)...)
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "other network", make: func(f *fixture) (uint64, ScoreSubmission) {
			s := f.signed(3, 0, pairs(0, 1)...)
			msg, _ := ScoreMessage("vramhub-elsewhere", 3, 0, ckpt0, s.Scores)
			s.Signature = ed25519.Sign(f.keys[3], msg)
			return 3, s
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "other validator's signature under own key", make: func(f *fixture) (uint64, ScoreSubmission) {
			s := f.signed(3, 0, pairs(0, 1)...)
			s.EnclaveKey = HexBytes(f.keys[4].Public().(ed25519.PublicKey))
			return 4, s
		}, dev: ErrBadSignature, mainnet: ErrBadSignature},
		{name: "other validator's signature and key", make: func(f *fixture) (uint64, ScoreSubmission) {
			return 4, f.signed(3, 0, pairs(0, 1)...)
		}, dev: ErrEnclaveNotRegistered, mainnet: ErrEnclaveNotRegistered},
		{name: "zero signature", make: func(f *fixture) (uint64, ScoreSubmission) {
			return 3, ScoreSubmission{Checkpoint: ckpt0, Scores: pairs(0, 1), Signature: make(HexBytes, 64)}
		}, mainnet: ErrSimulatedSignature, wantSimulated: true},
	}
	for _, tt := range tests {
		for _, mainnet := range []bool{false, true} {
			want := tt.dev
			if mainnet {
				want = tt.mainnet
			}
			t.Run(fmt.Sprintf("%s/mainnet=%v", tt.name, mainnet), func(t *testing.T) {
				f := newFixture(t, fixtureOpts{mainnet: mainnet})
				f.upload(0, 0, 1)
				vuid, sub := tt.make(f)
				err := f.l.SubmitScores(scoring, f.l.s.Peers[vuid].Owner, vuid, 0, sub)
				if want != nil {
					wantReject(t, "SubmitScores", err, want)
					if _, ok := f.l.Submission(0, vuid); ok {
						t.Error("rejected submission was stored")
					}
					return
				}
				if err != nil {
					t.Fatalf("SubmitScores = %v, want nil", err)
				}
				got, ok := f.l.Submission(0, vuid)
				if !ok || got.Simulated != tt.wantSimulated || got.Stake != 10*vram || len(got.Pairs) != 2 {
					t.Errorf("Submission(0, %d) = %+v, %v, want simulated %v, stake %d", vuid, got, ok, tt.wantSimulated, 10*vram)
				}
			})
		}
	}
}

func TestBurnTiers(t *testing.T) {
	tests := []struct {
		slot uint64
		burn uint64
		tier int
		want error
	}{
		{0, 0, 0, ErrBadParams},
		{1, 2_100 * vram, 1, nil},
		{25, 2_100 * vram, 1, nil},
		{26, 4_200 * vram, 2, nil},
		{100, 4_200 * vram, 2, nil},
		{101, 10_500 * vram, 3, nil},
		{250, 10_500 * vram, 3, nil},
		{251, 21_000 * vram, 4, nil},
		{500, 21_000 * vram, 4, nil},
		{501, 0, 0, ErrValidatorSlotsFull},
	}
	for _, tt := range tests {
		burn, tier, err := DefaultBurnTiers.Burn(tt.slot)
		if tt.want != nil {
			wantReject(t, fmt.Sprintf("Burn(%d)", tt.slot), err, tt.want)
			continue
		}
		if burn != tt.burn || tier != tt.tier || err != nil {
			t.Errorf("Burn(%d) = %d, %d, %v, want %d, %d, nil", tt.slot, burn, tier, err, tt.burn, tt.tier)
		}
	}
}

// TestBondingCurveSaturation registers 500 validators and checks each
// slot's burn, the tier totals and the rejection of slot 501.
func TestBondingCurveSaturation(t *testing.T) {
	p := DefaultParams()
	p.ExpectedPCRs, p.Admin = goodPCRs, "admin"
	l, err := New(Genesis{Profile: ProfileDev, NetworkID: "n", WindowMs: 600_000, Params: p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Premint(0, "admin", []Allocation{{"whale", 10_000_000 * vram}}); err != nil {
		t.Fatal(err)
	}
	stake := 10 * vram
	want := map[uint64]uint64{1: 2_100 * vram, 25: 2_100 * vram, 26: 4_200 * vram, 100: 4_200 * vram,
		101: 10_500 * vram, 250: 10_500 * vram, 251: 21_000 * vram, 500: 21_000 * vram}
	for slot := uint64(1); slot <= 500; slot++ {
		addr := fmt.Sprintf("val%03d", slot)
		burn, _, _ := DefaultBurnTiers.Burn(slot)
		if err := l.Transfer(0, "whale", addr, burn+stake); err != nil {
			t.Fatal(err)
		}
		uid, tk, err := l.RegisterValidator(0, addr, stake)
		if err != nil {
			t.Fatalf("RegisterValidator(slot %d) = %v", slot, err)
		}
		if w, ok := want[slot]; ok && (tk.Burned != w || tk.Slot != slot) {
			t.Errorf("slot %d ticket = %+v, want burn %d", slot, tk, w)
		}
		if l.Balance(addr) != 0 || l.s.Peers[uid].Stake != stake {
			t.Errorf("slot %d: balance %d stake %d, want 0 and %d", slot, l.Balance(addr), l.s.Peers[uid].Stake, stake)
		}
	}
	if l.Burned() != 7_192_500*vram {
		t.Errorf("Burned() = %d, want %d", l.Burned(), 7_192_500*vram)
	}
	if err := l.Transfer(0, "whale", "late", 100_000*vram); err != nil {
		t.Fatal(err)
	}
	_, _, err = l.RegisterValidator(0, "late", stake)
	wantReject(t, "RegisterValidator(slot 501)", err, ErrValidatorSlotsFull)
	// Slashing frees no slot.
	if err := l.Slash(0, "admin", 0, stake); err != nil {
		t.Fatal(err)
	}
	_, _, err = l.RegisterValidator(0, "late", stake)
	wantReject(t, "RegisterValidator(after slash)", err, ErrValidatorSlotsFull)
}

func TestEnclaveReRegistration(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.upload(0, 0)
	old := f.signed(3, 0, pairs(0)...)
	next := enclaveKey(42)
	pub := next.Public().(ed25519.PublicKey)
	f.must(f.l.RegisterEnclave(1, "v0", 3, pub, DevDocument(toBytes(goodPCRs), pub)))
	// The old key is free again and no longer accepted for uid 3.
	err := f.l.SubmitScores(at(0, putMs), "v0", 3, 0, old)
	wantReject(t, "SubmitScores(old key)", err, ErrEnclaveNotRegistered)
	f.keys[3] = next
	f.must(f.l.SubmitScores(at(0, putMs), "v0", 3, 0, f.signed(3, 0, pairs(0)...)))
	oldPub := enclaveKey(10).Public().(ed25519.PublicKey)
	f.must(f.l.RegisterEnclave(1, "v1", 4, oldPub, DevDocument(toBytes(goodPCRs), oldPub)))
}

func TestGradientPhases(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.must(f.l.SubmitGradient(at(0, putMs-1), "m0", 0, 0, goodGrad(0, 0)))
	// A later anchor serves later windows; earlier windows keep theirs.
	ck5 := Hash{5}
	f.must(f.l.AnchorCheckpoint(at(0, 0), "agg", 2, ck5, "checkpoint-2-v1.pt"))
	err := f.l.SubmitGradient(at(2, 0), "m1", 1, 2, goodGrad(2, 1))
	wantReject(t, "SubmitGradient(stale checkpoint)", err, ErrCheckpointMismatch)
	g := goodGrad(2, 1)
	g.Checkpoint = ck5
	f.must(f.l.SubmitGradient(at(2, 0), "m1", 1, 2, g))
	if a, _ := f.l.Anchored(1); a.Hash != ckpt0 {
		t.Errorf("Anchored(1) = %s, want %s", a.Hash, ckpt0)
	}
	if a, _ := f.l.Anchored(9); a.Hash != ck5 {
		t.Errorf("Anchored(9) = %s, want %s", a.Hash, ck5)
	}
}

func TestClockNeverRunsBackwards(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.upload(0, 0)
	f.must(f.l.Transfer(at(1, 0), "alice", "bob", 1))
	// Stamped inside window 0's upload phase, but the ledger already saw
	// window 1.
	err := f.l.SubmitGradient(at(0, 1), "m1", 1, 0, goodGrad(0, 1))
	wantReject(t, "SubmitGradient(backdated)", err, ErrUploadClosed)
	if f.l.ClockMs() != at(1, 0) {
		t.Errorf("ClockMs() = %d, want %d", f.l.ClockMs(), at(1, 0))
	}
}
