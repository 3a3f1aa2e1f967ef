package ledger

import (
	"slices"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// shiftRate is a stand-in rating rule: μ moves by score/100 and σ shrinks
// by one.
func shiftRate(players []UIDScore, prior map[uint64]Rating) map[uint64]Rating {
	out := map[uint64]Rating{}
	for _, p := range players {
		r := prior[p.UID]
		out[p.UID] = Rating{Mu: r.Mu + float64(p.Score)/100, Sigma: r.Sigma - 1}
	}
	return out
}

func TestFinalizeDistributes(t *testing.T) {
	f := newFixture(t, fixtureOpts{rate: shiftRate})
	f.upload(0, 0, 1, 2)
	scoring := at(0, putMs)
	f.must(f.l.SubmitScores(scoring, "v0", 3, 0, f.signed(3, 0, UIDScore{0, 100}, UIDScore{1, 50}, UIDScore{2, -10})))
	f.must(f.l.SubmitScores(scoring, "v1", 4, 0, f.signed(4, 0, UIDScore{0, 200}, UIDScore{1, -51})))
	before := map[string]uint64{}
	for _, a := range []string{"m0", "m1", "m2", "v0", "v1"} {
		before[a] = f.l.Balance(a)
	}
	rec, err := f.l.Finalize(at(1, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	// x0 = (10·100 + 30·200)/40 = 175; x1 = floor(−1030/40) = −26; x2 = −10.
	if want := []UIDScore{{0, 175}, {1, -26}, {2, -10}}; !slices.Equal(rec.Players, want) {
		t.Errorf("Players = %v, want %v", rec.Players, want)
	}
	wantRatings := map[uint64]StoredRating{
		0: {MuFp: 26_750_000_000, SigmaFp: 7_333_333_333, Games: 1},
		1: {MuFp: 24_740_000_000, SigmaFp: 7_333_333_333, Games: 1},
		2: {MuFp: 24_900_000_000, SigmaFp: 7_333_333_333, Games: 1},
	}
	for uid, want := range wantRatings {
		if got := f.l.Rating(uid); got != want {
			t.Errorf("Rating(%d) = %+v, want %+v", uid, got, want)
		}
	}
	wantMiners := []Payment{
		{UID: 0, Address: "m0", Weight: 993_703_422, Amount: 49_686_164_804},
		{UID: 1, Address: "m1", Weight: 0, Amount: 0},
		{UID: 2, Address: "m2", Weight: 6_296_578, Amount: 314_835_196},
	}
	if !slices.Equal(rec.Miners, wantMiners) {
		t.Errorf("Miners = %+v, want %+v", rec.Miners, wantMiners)
	}
	// u = stake × pairs: 10·3 and 30·2 → 1/3 and 2/3.
	wantVals := []Payment{
		{UID: 3, Address: "v0", Weight: 333_333_333, Amount: 6_666_333_326},
		{UID: 4, Address: "v1", Weight: 666_666_667, Amount: 13_332_666_674},
	}
	if !slices.Equal(rec.Validators, wantVals) {
		t.Errorf("Validators = %+v, want %+v", rec.Validators, wantVals)
	}
	if rec.Emission != 70*vram || rec.TreasuryAmount != 0 || rec.Simulated {
		t.Errorf("record = %+v, want emission %d, no treasury, not simulated", rec, 70*vram)
	}
	for _, p := range append(slices.Clone(rec.Miners), rec.Validators...) {
		if got := f.l.Balance(p.Address) - before[p.Address]; got != p.Amount {
			t.Errorf("%s credited %d, want %d", p.Address, got, p.Amount)
		}
		if got := f.l.Earned(p.Address); got != p.Amount {
			t.Errorf("Earned(%s) = %d, want %d", p.Address, got, p.Amount)
		}
	}
	if f.l.MiningIssued() != 70*vram || f.l.NextFinalize() != 1 {
		t.Errorf("MiningIssued() = %d, NextFinalize() = %d, want %d, 1", f.l.MiningIssued(), f.l.NextFinalize(), 70*vram)
	}
	f.checkSupply()
}

func TestFinalizeEmissionSchedule(t *testing.T) {
	tests := []struct {
		name                  string
		issued                uint64
		emission, miners, val uint64
	}{
		{"genesis", 0, 70 * vram, 50_001_000_000, 19_999_000_000},
		{"last genesis window", rewards.HalvingAt - 70*vram, 70 * vram, 50_001_000_000, 19_999_000_000},
		{"halving boundary", rewards.HalvingAt, 35 * vram, 25_000_500_000, 9_999_500_000},
		{"straddling halving", rewards.HalvingAt - 1, 70 * vram, 50_001_000_000, 19_999_000_000},
		{"last full window", rewards.MiningCap - 35*vram, 35 * vram, 25_000_500_000, 9_999_500_000},
		{"partial final window", rewards.MiningCap - 10*vram, 10 * vram, 7_143_000_000, 2_857_000_000},
		{"one base unit left", rewards.MiningCap - 1, 1, 0, 1},
		{"cap reached", rewards.MiningCap, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{})
			f.l.s.Issued = tt.issued
			f.l.s.Supply += tt.issued
			f.l.s.Balances["issued"] = tt.issued
			f.upload(0, 0)
			f.must(f.l.SubmitScores(at(0, putMs), "v0", 3, 0, f.signed(3, 0, pairs(0)...)))
			rec, err := f.l.Finalize(at(1, 0), 0)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Emission != tt.emission || rec.Miners[0].Amount != tt.miners || rec.Validators[0].Amount != tt.val {
				t.Errorf("Finalize at I=%d: emission %d, miner %d, validator %d; want %d, %d, %d",
					tt.issued, rec.Emission, rec.Miners[0].Amount, rec.Validators[0].Amount, tt.emission, tt.miners, tt.val)
			}
			if f.l.MiningIssued() != tt.issued+tt.emission {
				t.Errorf("MiningIssued() = %d, want %d", f.l.MiningIssued(), tt.issued+tt.emission)
			}
			f.checkSupply()
		})
	}
}

func TestFinalizeEmptyAndSimulated(t *testing.T) {
	f := newFixture(t, fixtureOpts{rate: shiftRate})
	rec, err := f.l.Finalize(at(1, 0), 0)
	if err != nil || rec.Emission != 0 || len(rec.Players) != 0 {
		t.Fatalf("Finalize(empty) = %+v, %v, want an empty record", rec, err)
	}
	f.upload(1, 0)
	sub := ScoreSubmission{Checkpoint: ckpt0, Scores: pairs(0), Signature: make(HexBytes, 64)}
	f.must(f.l.SubmitScores(at(1, putMs), "v0", 3, 1, sub))
	rec, err = f.l.Finalize(at(5, 0), 1)
	if err != nil {
		t.Fatal(err)
	}
	// One player: no rating update, all of the miner pool.
	if !rec.Simulated || rec.Miners[0].Weight != rewards.PPB || f.l.Rating(0).Games != 0 || rec.Emission != 70*vram {
		t.Errorf("Finalize(simulated, one player) = %+v, rating %+v", rec, f.l.Rating(0))
	}
	if f.l.MiningIssued() != 70*vram {
		t.Errorf("MiningIssued() = %d, want %d", f.l.MiningIssued(), 70*vram)
	}
}

func TestFinalizeTreasury(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.must(f.l.UpdateSplit(0, "admin", rewards.Split{MinerBps: 6000, ValidatorBps: 3000, TreasuryBps: 1000}))
	f.upload(0, 0)
	f.must(f.l.SubmitScores(at(0, putMs), "v0", 3, 0, f.signed(3, 0, pairs(0)...)))
	rec, err := f.l.Finalize(at(1, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	if rec.TreasuryAmount != 7*vram || f.l.Balance("treasury") != 7*vram || rec.Miners[0].Amount != 42*vram {
		t.Errorf("treasury %d (balance %d), miners %d; want %d, %d", rec.TreasuryAmount, f.l.Balance("treasury"), rec.Miners[0].Amount, 7*vram, 42*vram)
	}
	f.checkSupply()
}

func TestFinalizeSupplyCap(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.l.s.Supply = rewards.HardCap - 1
	f.upload(0, 0)
	f.must(f.l.SubmitScores(at(0, putMs), "v0", 3, 0, f.signed(3, 0, pairs(0)...)))
	before := f.snapshot()
	_, err := f.l.Finalize(at(1, 0), 0)
	wantReject(t, "Finalize(at hard cap)", err, ErrSupplyCap)
	if string(before) != string(f.snapshot()) {
		t.Error("rejected Finalize changed the state")
	}
}

func TestFinalizeIgnoresBadRatings(t *testing.T) {
	nan := func(players []UIDScore, prior map[uint64]Rating) map[uint64]Rating {
		out := map[uint64]Rating{}
		for _, p := range players {
			out[p.UID] = Rating{Mu: 0 / zero(), Sigma: 1}
		}
		return out
	}
	f := newFixture(t, fixtureOpts{rate: nan})
	f.upload(0, 0, 1)
	f.must(f.l.SubmitScores(at(0, putMs), "v0", 3, 0, f.signed(3, 0, pairs(0, 1)...)))
	if _, err := f.l.Finalize(at(1, 0), 0); err != nil {
		t.Fatal(err)
	}
	if got := f.l.Rating(0); got.MuFp != InitialMuFp || got.SigmaFp != InitialSigmaFp || got.Games != 1 {
		t.Errorf("Rating(0) = %+v, want the initial rating kept", got)
	}
}

func zero() float64 { return 0 }
