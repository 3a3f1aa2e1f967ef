package enclave

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"math"
	"slices"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill"
)

// Simulate answers req the way a Simulated-mode validator does without an
// enclave (VRAM HUB §10): the checkpoint hash is checked and its header gives
// N, each gradient is decoded to length N and scored roundHalfEven(‖ĝ‖₂·10^9)
// (clamped to 10^18), an invalid one [WorstScore]; losses stay empty, the
// rating preview runs as in [Scorer.Process] with rating's constants, and
// the signature is 64 zero bytes with an empty public key. Norm scores reward
// magnitude, which is why only a dev ledger accepts them.
//
// Errors are those of [Scorer.Process] except that no model is evaluated.
func Simulate(req *ProcessRequest, rating openskill.Options) (*ProcessResponse, error) {
	opts, err := checkRequest(req, rating)
	if err != nil {
		return nil, err
	}
	if CheckpointHash(req.CheckpointBytes) != req.CheckpointHash {
		return nil, ErrCheckpointMismatch
	}
	h, err := parseCheckpointHeader(req.CheckpointBytes)
	if err != nil {
		return nil, err
	}
	resp := newResponse(req)
	for _, uid := range req.UIDs() {
		g, reason := decodeGradient(req.PeerGradients[uid], int(h.count))
		if reason != "" {
			resp.exclude(uid, reason)
			continue
		}
		resp.Scores[uid] = NormScore(g)
	}
	if err := resp.finish(req, opts, nil); err != nil {
		return nil, err
	}
	return resp, nil
}

// NormScore returns roundHalfEven(‖g‖₂·10^9) clamped to [0, 10^18], the
// simulated score of a gradient. Squares accumulate in float64 in index
// order.
func NormScore(g []float32) int64 {
	var s float64
	for _, v := range g {
		x := float64(v)
		s += float64(x * x)
	}
	return fixedClamp(math.Sqrt(s))
}

// VerifyResponse runs a validator's checks on resp, the answer to req
// (VRAM HUB §9.5), and returns the pairs to submit in ascending uid order:
//
//   - window, validator_uid and checkpoint_hash echo req, and scores name
//     exactly the uids of req.PeerGradients, each within ±10^18;
//   - signed_payload byte-equals ledger.ScoreMessage rebuilt from req's
//     network id and validator uid and resp's window, checkpoint and scores;
//   - with key non-nil, public_key equals key and the signature verifies
//     under it; with key nil (Simulated mode) the signature must be 64 zero
//     bytes.
//
// It returns an error wrapping [ErrResponseMismatch], [ErrKeyMismatch] or
// [ErrBadSignature]; on any error nothing may be submitted.
func VerifyResponse(req *ProcessRequest, resp *ProcessResponse, key ed25519.PublicKey) ([]ledger.UIDScore, error) {
	switch {
	case resp.Window != req.Window:
		return nil, fmt.Errorf("%w: window %d, asked %d", ErrResponseMismatch, resp.Window, req.Window)
	case resp.ValidatorUID != req.ValidatorUID:
		return nil, fmt.Errorf("%w: validator uid %d, asked %d", ErrResponseMismatch, resp.ValidatorUID, req.ValidatorUID)
	case resp.CheckpointHash != req.CheckpointHash:
		return nil, fmt.Errorf("%w: checkpoint %s, asked %s", ErrResponseMismatch, resp.CheckpointHash, req.CheckpointHash)
	}
	pairs := resp.Pairs()
	uids := make([]uint64, len(pairs))
	for i, p := range pairs {
		uids[i] = p.UID
		if p.Score < WorstScore || p.Score > BestScore {
			return nil, fmt.Errorf("%w: score %d of uid %d out of range", ErrResponseMismatch, p.Score, p.UID)
		}
	}
	if !slices.Equal(uids, req.UIDs()) {
		return nil, fmt.Errorf("%w: scored uids %v, asked %v", ErrResponseMismatch, uids, req.UIDs())
	}
	msg, err := ledger.ScoreMessage(req.NetworkID, req.ValidatorUID, resp.Window, resp.CheckpointHash, pairs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrResponseMismatch, err)
	}
	if !bytes.Equal(msg, resp.SignedPayload) {
		return nil, fmt.Errorf("%w: signed_payload is not the canonical message", ErrResponseMismatch)
	}
	if len(resp.Signature) != SignatureSize {
		return nil, fmt.Errorf("%w: signature of %d bytes", ErrBadSignature, len(resp.Signature))
	}
	if key == nil {
		if !IsZeroSignature(resp.Signature) {
			return nil, fmt.Errorf("%w: simulated answer carries a non-zero signature", ErrBadSignature)
		}
		return pairs, nil
	}
	if !bytes.Equal(resp.PublicKey, key) {
		return nil, fmt.Errorf("%w: answer signed by %x, want %x", ErrKeyMismatch, []byte(resp.PublicKey), []byte(key))
	}
	if len(key) != ed25519.PublicKeySize || !ed25519.Verify(key, msg, resp.Signature) {
		return nil, ErrBadSignature
	}
	return pairs, nil
}

// IsZeroSignature reports whether sig is the 64-zero-byte simulated
// signature.
func IsZeroSignature(sig []byte) bool {
	return len(sig) == SignatureSize && bytes.Equal(sig, make([]byte, SignatureSize))
}
