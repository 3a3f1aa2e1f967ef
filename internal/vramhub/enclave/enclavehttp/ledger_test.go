package enclavehttp

import (
	"errors"
	"fmt"
	"testing"

	"github.com/subnetkit/subnetkit/internal/vramhub/compress"
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave"
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// TestLedgerAcceptsEnclaveScores registers a dev enclave on a dev ledger with
// the document GET /get_attestation serves, scores a window through the
// client and submits the answer: the ledger's own signature check is the
// judge.
func TestLedgerAcceptsEnclaveScores(t *testing.T) {
	const (
		genesisMs = 1_000_000
		windowMs  = 3_000
		putMs     = 1_500
		w         = testWindow
	)
	f := newFixture(t)
	p := ledger.DefaultParams()
	p.PutWindowOpenMs = putMs
	pcrs := enclave.DevPCRs()
	p.ExpectedPCRs = [3]ledger.HexBytes{pcrs[0], pcrs[1], pcrs[2]}
	p.Admin, p.Aggregator, p.Treasury = "admin", "agg", "treasury"
	l, err := ledger.New(ledger.Genesis{
		Profile: ledger.ProfileDev, NetworkID: "vramhub-dev", GenesisMs: genesisMs, WindowMs: windowMs, Params: p,
		Checkpoint: &ledger.Anchor{Hash: enclave.CheckpointHash(f.ckpt), Key: "checkpoint-0-v1.pt"},
	}, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var allocs []ledger.Allocation
	for _, a := range []string{"m0", "m1", "m2", "v0", "v1"} {
		allocs = append(allocs, ledger.Allocation{Address: a, Amount: 100_000 * rewards.Unit})
	}
	must(l.Premint(0, "admin", allocs))
	for i := range 3 {
		_, err := l.RegisterPeer(0, fmt.Sprintf("m%d", i), rewards.Unit, ledger.Credentials{Sealed: ledger.HexBytes("{}"), Bucket: "b"})
		must(err)
	}
	vuid, _, err := l.RegisterValidator(0, "v0", 10*rewards.Unit)
	must(err)
	simUID, _, err := l.RegisterValidator(0, "v1", 10*rewards.Unit)
	must(err)

	s := f.server(t, ServerConfig{})
	ts := startHTTP(t, s)
	c := newClient(t, ts, ClientConfig{Mode: enclave.ModeDev})
	att, err := c.Attestation(t.Context())
	must(err)
	must(l.RegisterEnclave(0, "v0", vuid, att.PublicKey, att.AttestationDocument))

	req := f.request(t, 0, 1, 2)
	req.ValidatorUID = vuid
	req.PeerGradients[2] = []byte("garbage that passed no fast-eval")
	start := uint64(genesisMs + w*windowMs)
	for uid, g := range req.PeerGradients {
		must(l.SubmitGradient(start, fmt.Sprintf("m%d", uid), uid, w, ledger.GradientUpload{
			Key: ledger.GradientKey(w, uid), ContentHash: compress.ContentHash(g), Size: uint64(len(g)), Checkpoint: req.CheckpointHash,
		}))
	}
	resp, err := c.ProcessData(t.Context(), req)
	must(err)
	if resp.Scores[2] != enclave.WorstScore {
		t.Errorf("score of the garbage gradient = %d, want %d", resp.Scores[2], enclave.WorstScore)
	}
	sub := ledger.ScoreSubmission{Checkpoint: resp.CheckpointHash, Scores: resp.Pairs(), EnclaveKey: resp.PublicKey, Signature: resp.Signature}

	t.Run("replay with other scores", func(t *testing.T) {
		forged := sub
		forged.Scores = append([]ledger.UIDScore(nil), sub.Scores...)
		forged.Scores[2].Score = enclave.BestScore
		err := l.SubmitScores(start+putMs, "v0", vuid, w, forged)
		if !errors.Is(err, ledger.ErrBadSignature) {
			t.Errorf("SubmitScores(forged) = %v, want %v", err, ledger.ErrBadSignature)
		}
	})
	if err := l.SubmitScores(start+putMs, "v0", vuid, w, sub); err != nil {
		t.Fatalf("SubmitScores(enclave answer) = %v", err)
	}
	got, ok := l.Submission(w, vuid)
	if !ok || got.Simulated {
		t.Errorf("Submission = %+v, %v; want a stored non-simulated submission", got, ok)
	}

	t.Run("simulated answer accepted as simulated", func(t *testing.T) {
		sim, err := NewClient(ClientConfig{Mode: enclave.ModeSimulated})
		must(err)
		simReq := *req
		simReq.ValidatorUID = simUID
		simResp, err := sim.ProcessData(t.Context(), &simReq)
		must(err)
		if len(simResp.PublicKey) != 0 || !enclave.IsZeroSignature(simResp.Signature) {
			t.Errorf("simulated key %x signature %x, want none and zeros", []byte(simResp.PublicKey), []byte(simResp.Signature))
		}
		simSub := ledger.ScoreSubmission{Checkpoint: simResp.CheckpointHash, Scores: simResp.Pairs(), Signature: simResp.Signature}
		if err := l.SubmitScores(start+putMs, "v1", simUID, w, simSub); err != nil {
			t.Fatalf("SubmitScores(simulated) = %v", err)
		}
		if got, ok := l.Submission(w, simUID); !ok || !got.Simulated {
			t.Errorf("Submission = %+v, %v; want a stored simulated submission", got, ok)
		}
	})
}
