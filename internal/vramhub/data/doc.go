// Package data derives each miner's training batch for a window, so that
// miners, validators, the enclave and the trainer sidecar all build the same
// rows without anyone shipping them.
//
// The derivation:
//
//	seed   = SHA-256(le64(uid) ‖ le64(window))            ([Seed])
//	seed64 = first 8 bytes of seed as u64 little-endian  ([Seed64])
//	draw:  s ← s·6364136223846793005 + 1442695040888963407 (mod 2^64), then read
//
// One LCG state sequence, started at seed64, serves all rows in order. A
// synthetic row is L draws, token = (s >> 32) mod V (the high half, because
// the low bits of a power-of-two LCG have short periods). A corpus row takes
// one draw and uses the full state: off = s mod (N − L + 1), row = T[off:off+L]
// for a corpus of N ≥ L tokens. Row length L includes the final target:
// inputs are row[0:L−1] and targets row[1:L]. The random (evaluation) batch
// of a window uses the reserved uid [EvalUID] = 2^64−1.
//
// Corpora are stored as u32 little-endian token files pinned by the SHA-256
// of those bytes ([EncodeTokens], [DecodeTokens], [TokensHash]). The package
// also carries a byte-level tokenizer ([EncodeText], [DecodeText]; vocabulary
// 256 bytes plus an end-of-text token) and an embedded English corpus about
// distributed training and accelerator hardware ([CorpusText],
// [CorpusTokens]), so models can train on real text offline.
//
// Everything here is pure and deterministic and safe for concurrent use;
// returned slices are newly allocated and owned by the caller.
package data
