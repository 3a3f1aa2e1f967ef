package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"testing"
)

func testGenesis(profile Profile) Genesis {
	p := DefaultParams()
	p.PutWindowOpenMs = putMs
	p.ExpectedPCRs = goodPCRs
	p.Admin, p.Aggregator, p.Treasury = "admin", "agg", "treasury"
	return Genesis{Profile: profile, NetworkID: "vramhub-" + string(profile), GenesisMs: genesisMs, WindowMs: windowMs, Params: p,
		Checkpoint: &Anchor{Hash: ckpt0, Key: "checkpoint-0-v1.pt"}}
}

// scenario returns the operations of a short run: premint, registrations,
// two windows of uploads and scores, finalization and one aggregation.
// Some operations are rejected on purpose.
func scenario() []Op {
	key := enclaveKey(10)
	pub := HexBytes(key.Public().(ed25519.PublicKey))
	ops := []Op{
		{Type: OpPremint, Sender: "admin", Allocations: []Allocation{{"m0", 100 * vram}, {"m1", 100 * vram}, {"v0", 10_000 * vram}}},
		{Type: OpRegisterPeer, Sender: "m0", Amount: vram, Credentials: &Credentials{Sealed: HexBytes("c0")}},
		{Type: OpRegisterPeer, Sender: "m1", Amount: vram},
		{Type: OpRegisterValidator, Sender: "v0", Amount: 10 * vram},
		{Type: OpRegisterEnclave, Sender: "v0", UID: 2, PublicKey: pub, Document: DevDocument(toBytes(goodPCRs), pub)},
		{Type: OpTransfer, Sender: "m0", To: "m1", Amount: 1_000 * vram}, // rejected
	}
	for w := range uint64(2) {
		for uid := range uint64(2) {
			g := GradientUpload{Key: GradientKey(w, uid), ContentHash: contentHash(w, uid), Size: 10, Checkpoint: ckpt0}
			ops = append(ops, Op{Type: OpSubmitGradient, NowMs: at(w, 10), Sender: []string{"m0", "m1"}[uid], UID: uid, Window: w, Gradient: &g})
		}
		scores := []UIDScore{{0, int64(w) + 5}, {1, -3}}
		msg, _ := ScoreMessage("vramhub-dev", 2, w, ckpt0, scores)
		sub := ScoreSubmission{Checkpoint: ckpt0, Scores: scores, EnclaveKey: pub, Signature: ed25519.Sign(key, msg)}
		ops = append(ops,
			Op{Type: OpSubmitScores, NowMs: at(w, putMs), Sender: "v0", UID: 2, Window: w, Scores: &sub},
			Op{Type: OpSubmitScores, NowMs: at(w, putMs+1), Sender: "v0", UID: 2, Window: w, Scores: &sub}, // duplicate
			Op{Type: OpFinalize, NowMs: at(w+1, 0), Window: w},
		)
	}
	return append(ops,
		Op{Type: OpRecordAggregation, NowMs: at(2, 1), Sender: "agg", Window: 0, Hash: Hash{1}, Key: "aggregation-0.pt"},
		Op{Type: OpAnchorCheckpoint, NowMs: at(2, 2), Sender: "agg", Window: 3, Hash: Hash{2}, Key: "checkpoint-3-v1.pt"},
		Op{Type: OpSlash, NowMs: at(2, 3), Sender: "admin", UID: 1, Amount: vram},
	)
}

func TestReplayAndSnapshot(t *testing.T) {
	l, err := New(testGenesis(ProfileDev), Options{Rate: shiftRate})
	if err != nil {
		t.Fatal(err)
	}
	var accepted []Op
	rejected := 0
	for _, op := range scenario() {
		// Every op goes through its JSON form, as a log would store it.
		b, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		var back Op
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Apply(back); err != nil {
			rejected++
			continue
		}
		accepted = append(accepted, back)
	}
	if rejected != 3 {
		t.Fatalf("scenario rejected %d ops, want 3", rejected)
	}
	if l.NextFinalize() != 2 || l.MiningIssued() != 140*vram {
		t.Fatalf("NextFinalize() = %d, MiningIssued() = %d, want 2, %d", l.NextFinalize(), l.MiningIssued(), 140*vram)
	}
	snap, err := l.Snapshot()
	if err != nil {
		t.Fatal(err)
	}

	replayed, _ := New(testGenesis(ProfileDev), Options{Rate: shiftRate})
	for _, op := range accepted {
		if _, err := replayed.Apply(op); err != nil {
			t.Fatalf("replay %s: %v", op, err)
		}
	}
	if got, _ := replayed.Snapshot(); !bytes.Equal(got, snap) {
		t.Error("replaying the accepted ops gave a different snapshot")
	}

	restored, err := FromSnapshot(snap, Options{Rate: shiftRate})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := restored.Snapshot(); !bytes.Equal(got, snap) {
		t.Error("Snapshot(Restore(s)) != s")
	}
	if r, _ := restored.WindowRecord(1); r.Emission != 70*vram {
		t.Errorf("restored WindowRecord(1).Emission = %d, want %d", r.Emission, 70*vram)
	}
	if evs := restored.Events(0); len(evs) == 0 || evs[0].Seq != 0 || len(restored.Events(uint64(len(evs)))) != 0 {
		t.Errorf("Events(0) = %d events", len(evs))
	}
}

func TestRestoreRejectsGarbage(t *testing.T) {
	for _, in := range []string{"", "{", `{"version":2}`, `{"version":1,"nope":1}`} {
		if _, err := FromSnapshot([]byte(in), Options{}); err == nil {
			t.Errorf("FromSnapshot(%q) = nil error, want one", in)
		}
	}
}

func TestNewRejectsBadGenesis(t *testing.T) {
	tests := []struct {
		name string
		edit func(g *Genesis)
		want error
	}{
		{"profile", func(g *Genesis) { g.Profile = "test" }, ErrBadParams},
		{"window", func(g *Genesis) { g.WindowMs = 0 }, ErrBadParams},
		{"network id", func(g *Genesis) { g.NetworkID = "" }, ErrBadParams},
		{"admin", func(g *Genesis) { g.Params.Admin = "" }, ErrBadParams},
		{"pcrs", func(g *Genesis) { g.Params.ExpectedPCRs[2] = nil }, ErrBadParams},
		{"split", func(g *Genesis) { g.Params.Split.MinerBps = 1 }, ErrBadSplit},
		{"tiers", func(g *Genesis) { g.Params.BurnTiers[0] = 0 }, ErrBadBurnTiers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testGenesis(ProfileDev)
			tt.edit(&g)
			_, err := New(g, Options{})
			wantReject(t, "New", err, tt.want)
		})
	}
}

// FuzzApplyJSON decodes an operation from untrusted JSON and applies it:
// no input may panic, and a rejected op must leave the state unchanged.
func FuzzApplyJSON(f *testing.F) {
	for _, op := range scenario() {
		b, _ := json.Marshal(op)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"submit_scores","uid":2,"scores":{"scores":[{"uid":1},{"uid":0}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var op Op
		if json.Unmarshal(data, &op) != nil {
			return
		}
		l, _ := New(testGenesis(ProfileDev), Options{Rate: shiftRate})
		for _, o := range scenario()[:5] {
			l.Apply(o)
		}
		before, _ := l.Snapshot()
		if _, err := l.Apply(op); err != nil {
			if after, _ := l.Snapshot(); !bytes.Equal(before, after) {
				t.Fatalf("rejected %s changed the state", op)
			}
		}
	})
}
