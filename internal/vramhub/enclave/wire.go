package enclave

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
)

// Mode is how a validator obtains signed scores (VRAM HUB §10).
type Mode string

// Validator modes.
const (
	// ModeSimulated runs no enclave: scores come from gradient norms and
	// carry the all-zero signature, which only a dev ledger accepts.
	ModeSimulated Mode = "simulated"
	// ModeDev talks to a real enclave process and trusts the key it reports
	// at GET /get_attestation; every answer is verified against that key.
	ModeDev Mode = "dev"
	// ModeNitro talks to an AWS Nitro enclave whose key is pinned to the key
	// registered on the ledger; a different key is refused.
	ModeNitro Mode = "nitro"
)

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() bool { return m == ModeSimulated || m == ModeDev || m == ModeNitro }

// Score limits.
const (
	// WorstScore is the score of a gradient that does not decode or whose
	// updated loss is not finite: −10^18, the ledger's lower bound.
	WorstScore int64 = -ledger.MaxAbsScore
	// BestScore is the upper clamp of a score: 10^18.
	BestScore int64 = ledger.MaxAbsScore
	// MaxMiners is the most gradients one call may carry.
	MaxMiners = ledger.MaxPairs
	// SignatureSize is the length of an Ed25519 signature.
	SignatureSize = 64
)

// Errors returned by [Scorer.Process], [Simulate] and [VerifyResponse].
// Every rejection of a request's content wraps [ErrBadRequest]; a server
// answers those with 400.
var (
	// ErrBadRequest reports a request the enclave refuses to evaluate.
	ErrBadRequest = errors.New("enclave: bad request")
	// ErrCheckpointMismatch reports checkpoint_bytes whose SHA-256 is not
	// checkpoint_hash.
	ErrCheckpointMismatch = fmt.Errorf("%w: checkpoint hash mismatch", ErrBadRequest)
	// ErrCheckpointFormat reports checkpoint bytes that do not decode or
	// belong to another model.
	ErrCheckpointFormat = fmt.Errorf("%w: bad checkpoint", ErrBadRequest)
	// ErrBatchMismatch reports a supplied batch that differs from the
	// derivation of (uid, window).
	ErrBatchMismatch = fmt.Errorf("%w: batch differs from the derived batch", ErrBadRequest)
	// ErrTooManyMiners reports more than [MaxMiners] gradients.
	ErrTooManyMiners = fmt.Errorf("%w: too many miners", ErrBadRequest)
	// ErrNothingScored reports a request without gradients (HTTP 422).
	ErrNothingScored = errors.New("enclave: nothing to score")
	// ErrLossNotFinite reports a checkpoint whose loss on a batch is not
	// finite; the call fails (HTTP 500).
	ErrLossNotFinite = errors.New("enclave: checkpoint loss is not finite")
	// ErrConfig reports an invalid [ScorerConfig].
	ErrConfig = errors.New("enclave: invalid config")

	// ErrResponseMismatch reports an answer that does not match the request
	// it answers or whose signed_payload is not the canonical message.
	ErrResponseMismatch = errors.New("enclave: response does not match request")
	// ErrBadSignature reports a signature that does not verify.
	ErrBadSignature = errors.New("enclave: bad signature")
	// ErrKeyMismatch reports an enclave key other than the expected one
	// ("enclave pubkey mismatch").
	ErrKeyMismatch = errors.New("enclave: enclave pubkey mismatch")
	// ErrNitroAttestationUnsupported reports that a Nitro attestation
	// document would have to be verified here and no verifier is available.
	ErrNitroAttestationUnsupported = errors.New("enclave: nitro attestation document verification is not supported")
)

// ProcessRequest is the body of POST /process_data. Map keys are miner uids,
// which JSON carries as decimal strings; byte fields are standard padded
// base64 and hashes lowercase hex.
//
//	{
//	  "network_id": "vramhub-dev",
//	  "validator_uid": 3,
//	  "window": 1042,
//	  "checkpoint_hash": "<64 hex>",
//	  "checkpoint_bytes": "<base64 checkpoint file>",
//	  "peer_gradients": {"0": "<base64 wire v1>", "5": "…"},
//	  "apply_scale": 0.1,
//	  "assigned_batches": {"0": [[1,2,3], [4,5,6]]},   optional
//	  "random_batch": [[7,8,9]],                        optional
//	  "beta": 4.1666666666666667,                       optional
//	  "current_ratings": {"0": [25, 8.333333333333334]} optional
//	}
type ProcessRequest struct {
	// NetworkID is the ledger network id bound into the signed message.
	NetworkID string `json:"network_id"`
	// ValidatorUID is the submitting validator.
	ValidatorUID uint64 `json:"validator_uid"`
	// Window is the scored window.
	Window uint64 `json:"window"`
	// CheckpointHash is the anchored checkpoint hash of Window.
	CheckpointHash ledger.Hash `json:"checkpoint_hash"`
	// CheckpointBytes is the whole checkpoint file.
	CheckpointBytes []byte `json:"checkpoint_bytes"`
	// PeerGradients maps each miner uid to its wire-v1 gradient message.
	PeerGradients map[uint64][]byte `json:"peer_gradients"`
	// ApplyScale is a in θ' = θ − a·ĝ; finite and positive.
	ApplyScale float64 `json:"apply_scale"`
	// AssignedBatches optionally repeats miners' batches (rows of tokens);
	// each must equal the derived batch of its uid.
	AssignedBatches map[uint64][][]int32 `json:"assigned_batches,omitempty"`
	// RandomBatch optionally repeats the window's evaluation batch (uid
	// 2^64−1); it must equal the derived one.
	RandomBatch [][]int32 `json:"random_batch,omitempty"`
	// Beta is the preview's OpenSkill β; 0 means the Scorer's default.
	Beta float64 `json:"beta,omitempty"`
	// CurrentRatings are the miners' prior ratings as [μ, σ]; miners absent
	// here start at the defaults.
	CurrentRatings map[uint64][2]float64 `json:"current_ratings,omitempty"`
}

// UIDs returns the uids of PeerGradients in ascending order.
func (r *ProcessRequest) UIDs() []uint64 { return slices.Sorted(maps.Keys(r.PeerGradients)) }

// ProcessResponse is the answer of POST /process_data.
//
//	{
//	  "window": 1042,
//	  "validator_uid": 3,
//	  "checkpoint_hash": "<64 hex>",
//	  "scores": {"0": 142000, "5": -1000000000000000000},
//	  "losses": {"0": [2.77, 2.76]},
//	  "excluded": {"5": "decode gradient: compress: bad magic"},
//	  "ratings": {"0": [27.6, 8.0], "5": [22.4, 8.0]},
//	  "signed_payload": "<hex of the canonical message>",
//	  "signature": "<128 hex>",
//	  "public_key": "<64 hex>"
//	}
//
// Scores are JSON integers; parse them as int64, never through float64.
// Every map is present, possibly empty; public_key is empty for simulated
// answers.
type ProcessResponse struct {
	// Window echoes the request.
	Window uint64 `json:"window"`
	// ValidatorUID echoes the request.
	ValidatorUID uint64 `json:"validator_uid"`
	// CheckpointHash echoes the request.
	CheckpointHash ledger.Hash `json:"checkpoint_hash"`
	// Scores holds every requested uid's fixed-point loss delta.
	Scores map[uint64]int64 `json:"scores"`
	// Losses holds [L0, L1] for every gradient that was applied and gave a
	// finite loss.
	Losses map[uint64][2]float64 `json:"losses"`
	// Excluded gives the reason for every uid scored [WorstScore].
	Excluded map[uint64]string `json:"excluded"`
	// Ratings is the preview rating [μ', σ'] per scored uid; empty with
	// fewer than two miners.
	Ratings map[uint64][2]float64 `json:"ratings"`
	// SignedPayload is the canonical score message (ledger.ScoreMessage).
	SignedPayload ledger.HexBytes `json:"signed_payload"`
	// Signature is the Ed25519 signature of SignedPayload, or 64 zero bytes.
	Signature ledger.HexBytes `json:"signature"`
	// PublicKey is the enclave's raw 32-byte key; empty when simulated.
	PublicKey ledger.HexBytes `json:"public_key"`
}

// Pairs returns Scores as ledger pairs in ascending uid order, the form
// SubmitScores takes.
func (r *ProcessResponse) Pairs() []ledger.UIDScore {
	out := make([]ledger.UIDScore, 0, len(r.Scores))
	for _, uid := range slices.Sorted(maps.Keys(r.Scores)) {
		out = append(out, ledger.UIDScore{UID: uid, Score: r.Scores[uid]})
	}
	return out
}

// AttestationResponse is the answer of GET /get_attestation.
//
//	{"attestation_document":"<hex>","public_key":"<64 hex>","mode":"dev"}
//
// In dev mode the document is exactly ledger.DevDocument(pcrs, public_key),
// which the dev ledger's DevVerifier accepts; in nitro mode it is the NSM's
// COSE_Sign1 document.
type AttestationResponse struct {
	// AttestationDocument is the attestation document.
	AttestationDocument ledger.HexBytes `json:"attestation_document"`
	// PublicKey is the enclave's raw 32-byte Ed25519 key.
	PublicKey ledger.HexBytes `json:"public_key"`
	// Mode is "dev" or "nitro".
	Mode Mode `json:"mode"`
}

// HealthResponse is the answer of GET /health and GET /health_check.
//
//	{"status":"ok","public_key":"<64 hex>"}
type HealthResponse struct {
	// Status is "ok".
	Status string `json:"status"`
	// PublicKey is the enclave's raw 32-byte Ed25519 key.
	PublicKey ledger.HexBytes `json:"public_key"`
}

// ErrorResponse is the body of every non-2xx answer.
//
//	{"error":"enclave: bad request: checkpoint hash mismatch"}
type ErrorResponse struct {
	// Error describes the failure.
	Error string `json:"error"`
}
