// Package enclavehttp carries the VRAM HUB enclave API over HTTP: [Server] is
// the enclave process (`vramhub nautilus`) and [Client] is what a validator
// uses to reach it in each of the three modes.
//
// # Routes
//
//	GET  /health, /health_check  enclave.HealthResponse
//	GET  /get_attestation        enclave.AttestationResponse
//	POST /process_data           enclave.ProcessRequest → enclave.ProcessResponse
//
// Errors are non-2xx with enclave.ErrorResponse {"error":"…"}: 400 for a
// request that does not decode (unknown fields and trailing data included) or
// that the scorer refuses (enclave.ErrBadRequest), 413 for a body over
// ServerConfig.MaxBodyBytes, 422 when there is nothing to score, 503 when the
// server is busy and the caller gave up waiting, 500 for the enclave's own
// failures (logged, not echoed).
//
// # Keys and modes
//
// The server draws its Ed25519 key at start from ServerConfig.Rand (crypto/rand
// in production) and never writes it anywhere: a restart is a new key. In dev
// mode GET /get_attestation returns ledger.DevDocument(PCRs, key), which the
// dev ledger's DevVerifier accepts at RegisterEnclave; in nitro mode the
// document comes from an [Attester] (the Nitro Security Module), which this
// package does not implement.
//
// The client, per mode:
//
//   - enclave.ModeSimulated: no server; enclave.Simulate answers locally with
//     norm scores and the all-zero signature.
//   - enclave.ModeDev: the key is read from GET /get_attestation and trusted;
//     every answer is verified against it.
//   - enclave.ModeNitro: the key from GET /get_attestation must equal both the
//     pinned key (VRAMHUB_ENCLAVE_PUBKEY) and the ledger's record, else
//     enclave.ErrKeyMismatch; the document must then pass ClientConfig.Verifier,
//     and without one Attestation returns
//     enclave.ErrNitroAttestationUnsupported.
//
// Every answer goes through enclave.VerifyResponse before ProcessData returns
// it, so a tampered or mis-signed answer never reaches the ledger.
//
// # Concurrency
//
// Server and Client are safe for concurrent use. The server evaluates at most
// ServerConfig.MaxConcurrent requests at a time (default 1: an enclave has
// little memory); others wait until their request context ends.
package enclavehttp
