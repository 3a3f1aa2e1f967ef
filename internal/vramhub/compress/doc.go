// Package compress implements VRAM HUB gradient compression: stage-1 top-K
// sparsification of a dense gradient, stage-2 error-feedback momentum with a
// chunked orthonormal DCT-II, per-chunk top-K selection and IEEE binary16
// quantisation, and the v1 wire format that carries the result.
//
// Miners (and native models) call [Sparsify] on a fresh gradient, then feed it
// to a [Compressor], which owns the error-feedback buffer and returns the
// message bytes to upload. Validators, the enclave and the aggregator call
// [Decode] or [Decompress] on bytes they downloaded; those bytes are
// untrusted and every field is checked before anything is allocated beyond
// the message itself.
//
// # Stage 2
//
// For a gradient g of length N and a buffer e (zero at start):
//
//  1. e ← γ·e + η·g (defaults γ = 0.999, η = 1; γ = 0 disables momentum).
//     Non-finite inputs are replaced by zero and counted in [Result].
//  2. C = min(chunk, N) (default chunk 4096). e is zero-padded to
//     M = ceil(N/C)·C and each chunk of C values goes through the orthonormal
//     DCT-II X_k = a_k Σ_n x_n cos(π(2n+1)k/(2C)), a_0 = √(1/C),
//     a_k = √(2/C) for k ≥ 1. The inverse is the DCT-III.
//  3. In each chunk the K_c = min(K, C) coefficients of largest magnitude are
//     kept (default K = 32), ties to the lower index; the global index is
//     chunk·C + position.
//  4. Each kept coefficient is rounded to float32 and then to binary16 with
//     round-half-to-even and saturation at ±65504 ([F16FromF32]). Entries that
//     become ±0 are dropped. The rest are written in ascending index order.
//  5. The message is decoded exactly as a validator would into t (dense,
//     length N, float32) and e ← e − t.
//
// With the transform disabled the message carries chunk size 0, indices are
// parameter positions, and the K_c·ceil(N/C) largest |e| are kept.
//
// # Wire format v1
//
// All integers little-endian. A message is exactly 20 + 6k bytes and at most
// [MaxMessageSize] bytes:
//
//	offset  size  field
//	0       4     magic "VHGD"
//	4       2     version u16 = 1
//	6       2     reserved u16 = 0
//	8       4     total_len u32 = N, the dense gradient length (N ≥ 1)
//	12      4     chunk_size u32 = C (0: no transform; otherwise 1 ≤ C ≤ N)
//	16      4     k u32, the number of entries
//	20      4k    indices u32, strictly ascending, each < bound
//	20+4k   2k    values, IEEE 754 binary16 bit patterns, never Inf or NaN
//
// bound is N when C = 0 and ceil(N/C)·C otherwise; it must not exceed 2^32.
// Decoding scatters the values into zeros of length bound, applies the
// inverse DCT per chunk when C > 0, truncates to N and converts to float32.
// The content hash of a message is SHA-256 over its exact bytes
// ([ContentHash]).
//
// # Concurrency
//
// The package-level functions are safe for concurrent use. A [Compressor]
// holds mutable state and must be used by one goroutine at a time.
package compress
