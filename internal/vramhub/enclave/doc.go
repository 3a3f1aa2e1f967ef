// Package enclave is the VRAM HUB scoring enclave's deterministic core: it
// checks a validator's checkpoint, rebuilds every miner's batch from (uid,
// window), measures the loss before and after applying each miner's gradient,
// turns the difference into a fixed-point score, previews an OpenSkill update
// and signs the canonical score message the ledger verifies. It also holds the
// JSON shapes of the enclave API and the checks a validator runs on an answer.
//
// The HTTP server (the `vramhub nautilus` process) and the validator's client
// live in package enclavehttp; this package does no I/O, reads no clock, starts
// no goroutines and never logs.
//
// # Evaluation
//
// [Scorer.Process] handles one POST /process_data request:
//
//  1. SHA-256(checkpoint_bytes) must equal checkpoint_hash ([ErrCheckpointMismatch]).
//     The ledger, not the enclave, checks that the hash is the anchored one.
//  2. The checkpoint is loaded into the architecture the Scorer was built for
//     ([ParseCheckpoint]; [ErrCheckpointFormat] otherwise).
//  3. Optional assigned_batches and random_batch must equal the derivations of
//     package data ([ErrBatchMismatch]); the enclave never evaluates a batch a
//     validator supplies.
//  4. For every uid in ascending order, with batch = data.Assign(uid, window):
//     the gradient ĝ is decoded (compress.Decompress, length N);
//     L0 = Loss(θ; batch); θ' = θ − a·ĝ with a = apply_scale, computed per
//     element as float32(float64(θ_i) − float64(a·float64(ĝ_i)));
//     L1 = Loss(θ'; batch); Δ = L0 − L1 (positive means the gradient helped);
//     score = clamp(roundHalfEven(Δ·10^9), −10^18, 10^18).
//  5. A gradient that does not decode, has the wrong length or holds a
//     non-finite value, and a θ' whose loss is not finite, get [WorstScore]
//     (−10^18) and a reason under "excluded". Such miners stay in the signed
//     scores so the ledger ranks them last; leaving them out would let a
//     miner keep its rating by sending garbage. A non-finite L0 means the
//     checkpoint itself is broken and fails the call ([ErrLossNotFinite]).
//  6. With two or more scored miners, ratings previews one OpenSkill
//     Plackett–Luce update (openskill.Rate over the scores, uids ascending)
//     from current_ratings; a miner without a supplied rating starts at
//     (μ 25, σ 25/3). β is the request's beta, else the Scorer's
//     openskill.Options (default 25/6); τ is the Scorer's (default 25/300).
//     The ledger owns the real ratings; these are informational.
//  7. The signed payload is ledger.ScoreMessage(network_id, validator_uid,
//     window, checkpoint_hash, pairs) and the signature is pure Ed25519
//     (RFC 8032) over exactly those bytes. Without a key the signature is 64
//     zero bytes: the simulated form the dev ledger accepts.
//
// [Simulate] is the Simulated validator mode's stand-in: no model, scores
// roundHalfEven(‖ĝ‖₂·10^9), zero signature. [VerifyResponse] is the check a
// validator runs before submitting anything: it re-encodes the message from
// its own request, requires byte equality with signed_payload, the expected
// public key, and a valid signature.
//
// # Checkpoints
//
// checkpoint_bytes is either a VRAM HUB checkpoint file v1 (kind 1, dtype f32)
//
//	offset  size  field
//	0       4     magic "VHCK"
//	4       2     version u16 = 1
//	6       1     kind u8 = 1 (weights)
//	7       1     dtype u8 = 1 (f32)
//	8       2     model id length u16 = m
//	10      m     model id, UTF-8 (model.Model.ID)
//	10+m    8     window u64 (effective window)
//	18+m    8     count u64 = N
//	26+m    4N    parameters, f32 LE, in model order
//
// or the model package's saved-model format (magic "VHTM", model.Model.Save),
// whose hash is model.Model.Hash. Either way the model id must be the
// Scorer's, because an enclave evaluates the one architecture compiled into
// it, and nothing may follow the parameters.
//
// # Concurrency
//
// A [Scorer] is immutable after [NewScorer] and safe for concurrent use: each
// call clones the model it evaluates. Process and Simulate allocate their
// results; callers own them.
package enclave
