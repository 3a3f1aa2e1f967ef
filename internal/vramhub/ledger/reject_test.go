package ledger

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

func scoresOp(f *fixture, now, vuid, w uint64, sub ScoreSubmission) Op {
	return Op{Type: OpSubmitScores, NowMs: now, Sender: f.l.s.Peers[vuid].Owner, UID: vuid, Window: w, Scores: &sub}
}

func gradOp(now uint64, sender string, uid, w uint64, g GradientUpload) Op {
	return Op{Type: OpSubmitGradient, NowMs: now, Sender: sender, UID: uid, Window: w, Gradient: &g}
}

func goodGrad(w, uid uint64) GradientUpload {
	return GradientUpload{Key: GradientKey(w, uid), ContentHash: contentHash(w, uid), Size: 10, Checkpoint: ckpt0}
}

func pairs(uids ...uint64) []UIDScore {
	out := make([]UIDScore, len(uids))
	for i, u := range uids {
		out[i] = UIDScore{UID: u, Score: int64(u) * 1000}
	}
	return out
}

// TestRejections runs one operation per case on a fresh fixture and checks
// both the typed error and that the snapshot did not change.
func TestRejections(t *testing.T) {
	scoring := at(0, putMs)
	type tc struct {
		name  string
		opts  fixtureOpts
		setup func(f *fixture)
		op    func(f *fixture) Op
		want  error
	}
	withUploads := func(f *fixture) { f.upload(0, 0, 1) }
	pub := func(seed byte) HexBytes { return HexBytes(enclaveKey(seed).Public().(ed25519.PublicKey)) }
	doc := func(pcrs [3]HexBytes, key HexBytes) HexBytes { return DevDocument(toBytes(pcrs), key) }
	cases := []tc{
		{name: "NotAdmin slash", op: func(f *fixture) Op { return Op{Type: OpSlash, Sender: "alice", UID: 3, Amount: 1} }, want: ErrNotAdmin},
		{name: "NotAdmin split", op: func(f *fixture) Op { return Op{Type: OpUpdateSplit, Sender: "alice", Split: &rewards.DefaultSplit} }, want: ErrNotAdmin},
		{name: "NotAdmin premint", op: func(f *fixture) Op { return Op{Type: OpPremint, Sender: "alice"} }, want: ErrNotAdmin},
		{name: "NotAdmin set aggregator", op: func(f *fixture) Op { return Op{Type: OpSetAggregator, Sender: "agg", To: "alice"} }, want: ErrNotAdmin},
		{name: "NotAggregator anchor", op: func(f *fixture) Op {
			return Op{Type: OpAnchorCheckpoint, Sender: "admin", Window: 5, Hash: ckpt0}
		}, want: ErrNotAggregator},
		{name: "NotAggregator aggregation", op: func(f *fixture) Op { return Op{Type: OpRecordAggregation, Sender: "alice"} }, want: ErrNotAggregator},
		{name: "NotOwner credentials", op: func(f *fixture) Op {
			return Op{Type: OpUpdateCredentials, Sender: "m1", UID: 0, Credentials: &Credentials{}}
		}, want: ErrNotOwner},
		{name: "NotOwner enclave", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v1", UID: 3, PublicKey: pub(1), Document: doc(goodPCRs, pub(1))}
		}, want: ErrNotOwner},
		{name: "NotOwner deactivate", op: func(f *fixture) Op { return Op{Type: OpDeactivateEnclave, Sender: "v1", UID: 3} }, want: ErrNotOwner},
		{name: "NotOwner gradient", op: func(f *fixture) Op { return gradOp(at(0, 0), "m1", 0, 0, goodGrad(0, 0)) }, want: ErrNotOwner},
		{name: "NotOwner scores", setup: withUploads, op: func(f *fixture) Op {
			o := scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0)...))
			o.Sender = "v1"
			return o
		}, want: ErrNotOwner},
		{name: "UnknownPeer credentials", op: func(f *fixture) Op {
			return Op{Type: OpUpdateCredentials, Sender: "m0", UID: 99, Credentials: &Credentials{}}
		}, want: ErrUnknownPeer},
		{name: "UnknownPeer slash", op: func(f *fixture) Op { return Op{Type: OpSlash, Sender: "admin", UID: 99} }, want: ErrUnknownPeer},
		{name: "UnknownPeer enclave", op: func(f *fixture) Op { return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 99} }, want: ErrUnknownPeer},
		{name: "UnknownPeer gradient", op: func(f *fixture) Op { return gradOp(at(0, 0), "m0", 99, 0, goodGrad(0, 99)) }, want: ErrUnknownPeer},
		{name: "UnknownPeer scores", op: func(f *fixture) Op {
			return Op{Type: OpSubmitScores, NowMs: scoring, Sender: "v0", UID: 99, Scores: &ScoreSubmission{}}
		}, want: ErrUnknownPeer},
		{name: "AlreadyRegistered peer", op: func(f *fixture) Op { return Op{Type: OpRegisterPeer, Sender: "m0", Amount: vram} }, want: ErrAlreadyRegistered},
		{name: "AlreadyRegistered validator", op: func(f *fixture) Op {
			return Op{Type: OpRegisterValidator, Sender: "m0", Amount: 10 * vram}
		}, want: ErrAlreadyRegistered},
		{name: "StakeTooLow peer", op: func(f *fixture) Op { return Op{Type: OpRegisterPeer, Sender: "alice", Amount: vram - 1} }, want: ErrStakeTooLow},
		{name: "StakeTooLow validator", op: func(f *fixture) Op {
			return Op{Type: OpRegisterValidator, Sender: "alice", Amount: 10*vram - 1}
		}, want: ErrStakeTooLow},
		{name: "InsufficientBalance transfer", op: func(f *fixture) Op {
			return Op{Type: OpTransfer, Sender: "alice", To: "bob", Amount: 100_000*vram + 1}
		}, want: ErrInsufficientBalance},
		{name: "InsufficientBalance peer", op: func(f *fixture) Op { return Op{Type: OpRegisterPeer, Sender: "bob", Amount: vram} }, want: ErrInsufficientBalance},
		{name: "InsufficientBalance validator burn", setup: func(f *fixture) {
			f.must(f.l.Transfer(0, "alice", "bob", 2_110*vram-1))
		}, op: func(f *fixture) Op { return Op{Type: OpRegisterValidator, Sender: "bob", Amount: 10 * vram} }, want: ErrInsufficientBalance},
		{name: "ValidatorSlotsFull", setup: func(f *fixture) {
			p := f.l.Params()
			p.MaxValidators = 2
			f.must(f.l.UpdateParams(0, "admin", p))
		}, op: func(f *fixture) Op { return Op{Type: OpRegisterValidator, Sender: "alice", Amount: 10 * vram} }, want: ErrValidatorSlotsFull},
		{name: "BadBurnTiers zero", op: func(f *fixture) Op {
			return Op{Type: OpUpdateBurnTiers, Sender: "admin", BurnTiers: &BurnTiers{0, 1, 2, 3}}
		}, want: ErrBadBurnTiers},
		{name: "BadBurnTiers decreasing", op: func(f *fixture) Op {
			return Op{Type: OpUpdateBurnTiers, Sender: "admin", BurnTiers: &BurnTiers{2, 1, 3, 4}}
		}, want: ErrBadBurnTiers},
		{name: "NotActiveValidator enclave on miner", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "m0", UID: 0, PublicKey: pub(1), Document: doc(goodPCRs, pub(1))}
		}, want: ErrNotActiveValidator},
		{name: "NotActiveValidator miner scores", setup: withUploads, op: func(f *fixture) Op {
			return Op{Type: OpSubmitScores, NowMs: scoring, Sender: "m0", UID: 0, Scores: &ScoreSubmission{}}
		}, want: ErrNotActiveValidator},
		{name: "NotActiveValidator slashed", setup: func(f *fixture) {
			f.upload(0, 0)
			f.must(f.l.Slash(0, "admin", 3, 10*vram))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0)...)) }, want: ErrNotActiveValidator},
		{name: "NotActiveValidator under min stake", setup: func(f *fixture) {
			f.upload(0, 0)
			f.must(f.l.Slash(0, "admin", 3, 1))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0)...)) }, want: ErrNotActiveValidator},
		{name: "NotMiner", op: func(f *fixture) Op { return gradOp(at(0, 0), "v0", 3, 0, goodGrad(0, 3)) }, want: ErrNotMiner},
		{name: "BeforeGenesis", op: func(f *fixture) Op { return gradOp(genesisMs-1, "m0", 0, 0, goodGrad(0, 0)) }, want: ErrBeforeGenesis},
		{name: "WindowNotOpen gradient", op: func(f *fixture) Op { return gradOp(at(0, 0), "m0", 0, 1, goodGrad(1, 0)) }, want: ErrWindowNotOpen},
		{name: "WindowNotOpen scores", op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 1, ScoreSubmission{}) }, want: ErrWindowNotOpen},
		{name: "WindowNotOpen scores before genesis", op: func(f *fixture) Op { return scoresOp(f, genesisMs-1, 3, 0, ScoreSubmission{}) }, want: ErrWindowNotOpen},
		{name: "UploadClosed deadline", op: func(f *fixture) Op { return gradOp(at(0, putMs), "m0", 0, 0, goodGrad(0, 0)) }, want: ErrUploadClosed},
		{name: "UploadClosed past window", op: func(f *fixture) Op { return gradOp(at(1, 0), "m0", 0, 0, goodGrad(0, 0)) }, want: ErrUploadClosed},
		{name: "ScoresTooEarly", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, at(0, putMs-1), 3, 0, f.signed(3, 0, pairs(0)...))
		}, want: ErrScoresTooEarly},
		{name: "WindowClosed late", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, at(1, 0), 3, 0, f.signed(3, 0, pairs(0)...))
		}, want: ErrWindowClosed},
		{name: "WindowClosed a window later", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, at(1, putMs), 3, 0, f.signed(3, 0, pairs(0)...))
		}, want: ErrWindowClosed},
		{name: "DuplicateGradient", setup: withUploads, op: func(f *fixture) Op {
			g := goodGrad(0, 0)
			g.ContentHash[0] ^= 1
			return gradOp(at(0, 1), "m0", 0, 0, g)
		}, want: ErrDuplicateGradient},
		{name: "DuplicateContent", setup: withUploads, op: func(f *fixture) Op {
			g := goodGrad(0, 2)
			g.ContentHash = contentHash(0, 1)
			return gradOp(at(0, 1), "m2", 2, 0, g)
		}, want: ErrDuplicateContent},
		{name: "GradientTooLarge", op: func(f *fixture) Op {
			g := goodGrad(0, 0)
			g.Size = 50<<20 + 1
			return gradOp(at(0, 0), "m0", 0, 0, g)
		}, want: ErrGradientTooLarge},
		{name: "BadParams gradient key", op: func(f *fixture) Op {
			g := goodGrad(0, 0)
			g.Key = GradientKey(0, 1)
			return gradOp(at(0, 0), "m0", 0, 0, g)
		}, want: ErrBadParams},
		{name: "NoCheckpoint gradient", opts: fixtureOpts{noCheckpoint: true}, op: func(f *fixture) Op {
			return gradOp(at(0, 0), "m0", 0, 0, goodGrad(0, 0))
		}, want: ErrNoCheckpoint},
		{name: "NoCheckpoint scores", opts: fixtureOpts{noCheckpoint: true}, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, ScoreSubmission{})
		}, want: ErrNoCheckpoint},
		{name: "CheckpointMismatch gradient", op: func(f *fixture) Op {
			g := goodGrad(0, 0)
			g.Checkpoint[0] ^= 1
			return gradOp(at(0, 0), "m0", 0, 0, g)
		}, want: ErrCheckpointMismatch},
		{name: "CheckpointMismatch scores", setup: withUploads, op: func(f *fixture) Op {
			s := f.signed(3, 0, pairs(0)...)
			s.Checkpoint[0] ^= 1
			return scoresOp(f, scoring, 3, 0, s)
		}, want: ErrCheckpointMismatch},
		{name: "DuplicateSubmission", setup: func(f *fixture) {
			f.upload(0, 0, 1)
			f.must(f.l.SubmitScores(scoring, "v0", 3, 0, f.signed(3, 0, pairs(0)...)))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring+1, 3, 0, f.signed(3, 0, pairs(0, 1)...)) }, want: ErrDuplicateSubmission},
		{name: "EmptyScores", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, ScoreSubmission{Checkpoint: ckpt0})
		}, want: ErrEmptyScores},
		{name: "TooManyScores", setup: func(f *fixture) {
			f.upload(0, 0, 1)
			p := f.l.Params()
			p.MaxScores = 1
			f.must(f.l.UpdateParams(0, "admin", p))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0, 1)...)) }, want: ErrTooManyScores},
		{name: "NonCanonicalScores descending", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, ScoreSubmission{Checkpoint: ckpt0, Scores: []UIDScore{{UID: 1}, {UID: 0}}})
		}, want: ErrNonCanonicalScores},
		{name: "NonCanonicalScores repeated", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, ScoreSubmission{Checkpoint: ckpt0, Scores: []UIDScore{{UID: 1}, {UID: 1}}})
		}, want: ErrNonCanonicalScores},
		{name: "UnknownMiner missing", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0, 99)...))
		}, want: ErrUnknownMiner},
		{name: "UnknownMiner validator", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0, 4)...))
		}, want: ErrUnknownMiner},
		{name: "NoGradient", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0, 2)...))
		}, want: ErrNoGradient},
		{name: "ScoreOutOfRange", setup: withUploads, op: func(f *fixture) Op {
			return scoresOp(f, scoring, 3, 0, f.signed(3, 0, UIDScore{UID: 0, Score: -MaxAbsScore - 1}))
		}, want: ErrScoreOutOfRange},
		{name: "SimulatedSignature", opts: fixtureOpts{mainnet: true}, setup: withUploads, op: func(f *fixture) Op {
			s := f.signed(3, 0, pairs(0)...)
			s.Signature = make(HexBytes, 64)
			return scoresOp(f, scoring, 3, 0, s)
		}, want: ErrSimulatedSignature},
		{name: "EnclaveNotRegistered other key", setup: withUploads, op: func(f *fixture) Op {
			s := f.signed(3, 0, pairs(0)...)
			s.EnclaveKey = pub(1)
			return scoresOp(f, scoring, 3, 0, s)
		}, want: ErrEnclaveNotRegistered},
		{name: "EnclaveNotRegistered deactivated", setup: func(f *fixture) {
			f.upload(0, 0)
			f.must(f.l.DeactivateEnclave(0, "v0", 3))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0)...)) }, want: ErrEnclaveNotRegistered},
		{name: "EnclaveNotRegistered deactivate twice", setup: func(f *fixture) { f.must(f.l.DeactivateEnclave(0, "v0", 3)) },
			op: func(f *fixture) Op { return Op{Type: OpDeactivateEnclave, Sender: "v0", UID: 3} }, want: ErrEnclaveNotRegistered},
		{name: "EnclaveOutdated", setup: func(f *fixture) {
			f.upload(0, 0)
			f.must(f.l.UpdateExpectedPCRs(0, "admin", [3]HexBytes{pcr(1), pcr(2), pcr(4)}))
		}, op: func(f *fixture) Op { return scoresOp(f, scoring, 3, 0, f.signed(3, 0, pairs(0)...)) }, want: ErrEnclaveOutdated},
		{name: "BadSignature forged", setup: withUploads, op: func(f *fixture) Op {
			s := f.signed(3, 0, pairs(0)...)
			msg, _ := ScoreMessage(f.l.NetworkID(), 3, 0, ckpt0, s.Scores)
			s.Signature = ed25519.Sign(enclaveKey(99), msg)
			return scoresOp(f, scoring, 3, 0, s)
		}, want: ErrBadSignature},
		{name: "BadSignature short", setup: withUploads, op: func(f *fixture) Op {
			s := f.signed(3, 0, pairs(0)...)
			s.Signature = s.Signature[:63]
			return scoresOp(f, scoring, 3, 0, s)
		}, want: ErrBadSignature},
		{name: "AttestationInvalid garbage", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 3, PublicKey: pub(1), Document: HexBytes("not a document")}
		}, want: ErrAttestationInvalid},
		{name: "PCRMismatch", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 3, PublicKey: pub(1), Document: doc([3]HexBytes{pcr(1), pcr(9), pcr(3)}, pub(1))}
		}, want: ErrPCRMismatch},
		{name: "DebugEnclave", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 3, PublicKey: pub(1), Document: doc([3]HexBytes{pcr(0), pcr(0), pcr(0)}, pub(1))}
		}, want: ErrDebugEnclave},
		{name: "AttestationKeyMismatch", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 3, PublicKey: pub(1), Document: doc(goodPCRs, pub(2))}
		}, want: ErrAttestationKeyMismatch},
		{name: "BadPublicKey", op: func(f *fixture) Op {
			return Op{Type: OpRegisterEnclave, Sender: "v0", UID: 3, PublicKey: pub(1)[:31], Document: doc(goodPCRs, pub(1))}
		}, want: ErrBadPublicKey},
		{name: "EnclaveKeyInUse", op: func(f *fixture) Op {
			k := HexBytes(f.keys[3].Public().(ed25519.PublicKey))
			return Op{Type: OpRegisterEnclave, Sender: "v1", UID: 4, PublicKey: k, Document: doc(goodPCRs, k)}
		}, want: ErrEnclaveKeyInUse},
		{name: "AnchorWindow current", setup: func(f *fixture) {}, op: func(f *fixture) Op {
			return Op{Type: OpAnchorCheckpoint, NowMs: at(3, 0), Sender: "agg", Window: 3, Hash: ckpt0}
		}, want: ErrAnchorWindow},
		{name: "AnchorWindow not after last", setup: func(f *fixture) {
			f.must(f.l.AnchorCheckpoint(at(0, 0), "agg", 5, ckpt0, "k"))
		}, op: func(f *fixture) Op {
			return Op{Type: OpAnchorCheckpoint, NowMs: at(0, 0), Sender: "agg", Window: 5, Hash: ckpt0}
		}, want: ErrAnchorWindow},
		{name: "WindowNotClosed", op: func(f *fixture) Op { return Op{Type: OpFinalize, NowMs: at(1, 0) - 1, Window: 0} }, want: ErrWindowNotClosed},
		{name: "FinalizeOrder", op: func(f *fixture) Op { return Op{Type: OpFinalize, NowMs: at(5, 0), Window: 1} }, want: ErrFinalizeOrder},
		{name: "AlreadyFinalized", setup: func(f *fixture) {
			_, err := f.l.Finalize(at(1, 0), 0)
			f.must(err)
		}, op: func(f *fixture) Op { return Op{Type: OpFinalize, NowMs: at(5, 0), Window: 0} }, want: ErrAlreadyFinalized},
		{name: "BadSplit sum", op: func(f *fixture) Op {
			return Op{Type: OpUpdateSplit, Sender: "admin", Split: &rewards.Split{MinerBps: 7000, ValidatorBps: 2000}}
		}, want: ErrBadSplit},
		{name: "BadSplit treasury without address", setup: func(f *fixture) {
			p := f.l.Params()
			p.Treasury = ""
			f.must(f.l.UpdateParams(0, "admin", p))
		}, op: func(f *fixture) Op {
			return Op{Type: OpUpdateSplit, Sender: "admin", Split: &rewards.Split{MinerBps: 7000, ValidatorBps: 2000, TreasuryBps: 1000}}
		}, want: ErrBadSplit},
		{name: "AlreadyPreminted", op: func(f *fixture) Op { return Op{Type: OpPremint, Sender: "admin"} }, want: ErrAlreadyPreminted},
		{name: "BadParams put window", op: func(f *fixture) Op {
			p := f.l.Params()
			p.PutWindowOpenMs = windowMs
			return Op{Type: OpUpdateParams, Sender: "admin", Params: &p}
		}, want: ErrBadParams},
		{name: "BadParams PCR length", op: func(f *fixture) Op {
			return Op{Type: OpUpdateExpectedPCRs, Sender: "admin", PCRs: &[3]HexBytes{pcr(1), pcr(2), pcr(3)[:47]}}
		}, want: ErrBadParams},
		{name: "BadParams aggregation not finalized", op: func(f *fixture) Op {
			return Op{Type: OpRecordAggregation, NowMs: at(3, 0), Sender: "agg", Window: 0, Hash: ckpt0}
		}, want: ErrBadParams},
		{name: "BadParams aggregation twice", setup: func(f *fixture) {
			_, err := f.l.Finalize(at(1, 0), 0)
			f.must(err)
			f.must(f.l.RecordAggregation(at(1, 0), "agg", 0, ckpt0, "aggregation-0.pt"))
		}, op: func(f *fixture) Op { return Op{Type: OpRecordAggregation, NowMs: at(1, 1), Sender: "agg", Window: 0} }, want: ErrBadParams},
		{name: "BadParams mainnet plaintext credentials", opts: fixtureOpts{mainnet: true}, op: func(f *fixture) Op {
			return Op{Type: OpRegisterPeer, Sender: "alice", Amount: vram, Credentials: &Credentials{EncKind: EncPlaintext}}
		}, want: ErrBadParams},
		{name: "BadParams unknown op", op: func(f *fixture) Op { return Op{Type: "mint_everything", Sender: "admin"} }, want: ErrBadParams},
		{name: "BadParams missing scores", op: func(f *fixture) Op { return Op{Type: OpSubmitScores, Sender: "v0", UID: 3} }, want: ErrBadParams},
	}
	seen := map[Code]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.opts)
			if c.setup != nil {
				c.setup(f)
			}
			op := c.op(f)
			before := f.snapshot()
			_, err := f.l.Apply(op)
			wantReject(t, "Apply("+op.String()+")", err, c.want)
			if after := f.snapshot(); !bytes.Equal(before, after) {
				t.Errorf("Apply(%s) rejected with %v but changed the state", op, err)
			}
			seen[c.want.(*RejectError).Code] = true
		})
	}
	// Codes covered by dedicated tests elsewhere: SupplyCap (TestPremintSupplyCap,
	// TestFinalizeSupplyCap), AttestationInvalid on mainnet (TestMainnetNeedsVerifier).
	for c := CodeNotAdmin; c <= CodeBadParams; c++ {
		if !seen[c] && c != CodeSupplyCap {
			t.Errorf("no rejection case for %v", c)
		}
	}
}

func TestPremintSupplyCap(t *testing.T) {
	tests := []struct {
		name   string
		allocs []Allocation
		want   error
	}{
		{"exactly the premint share", []Allocation{{"a", 6_300_000 * vram}, {"b", 4_200_000 * vram}}, nil},
		{"one base unit over", []Allocation{{"a", 6_300_000 * vram}, {"b", 4_200_000*vram + 1}}, ErrSupplyCap},
		{"overflow", []Allocation{{"a", 1}, {"b", ^uint64(0)}}, ErrSupplyCap},
		{"empty address", []Allocation{{"", 1}}, ErrBadParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			p.ExpectedPCRs, p.Admin = goodPCRs, "admin"
			l, err := New(Genesis{Profile: ProfileDev, NetworkID: "n", WindowMs: 600_000, Params: p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = l.Premint(0, "admin", tt.allocs)
			if tt.want == nil {
				if err != nil || l.Supply() != rewards.HardCap-rewards.MiningCap {
					t.Fatalf("Premint = %v, supply %d, want nil, %d", err, l.Supply(), rewards.HardCap-rewards.MiningCap)
				}
				return
			}
			wantReject(t, "Premint", err, tt.want)
			if l.Supply() != 0 {
				t.Errorf("Supply() = %d after rejected premint, want 0", l.Supply())
			}
		})
	}
}

func TestMainnetNeedsVerifier(t *testing.T) {
	f := newFixture(t, fixtureOpts{mainnet: true})
	f.l.opts.Verifier = nil
	k := HexBytes(enclaveKey(50).Public().(ed25519.PublicKey))
	err := f.l.RegisterEnclave(0, "v0", 3, k, DevDocument(toBytes(goodPCRs), k))
	wantReject(t, "RegisterEnclave(mainnet, no verifier)", err, ErrAttestationInvalid)
}
