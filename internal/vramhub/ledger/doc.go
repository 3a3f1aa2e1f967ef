// Package ledger is the VRAM HUB ledger: a deterministic state machine that
// stands in for the network's on-chain contracts.
//
// It holds the peer registry (miners and validators, one uid per address,
// locked stakes, sealed credentials), the validator registry with its
// bonding-curve burn and soulbound tickets, the enclave registry (public
// key, PCR0–2, attestation document), round state (window clock, anchored
// checkpoints, aggregations), governance parameters, the score ledger
// (gradient records, signed score submissions, ratings), the reward
// distributor and the VRAM token balances.
//
// Every operation is a method that takes the ledger time nowMs as an
// argument; the ledger never reads a clock, does no I/O, starts no
// goroutines and draws no randomness. Its clock never runs backwards: an
// operation stamped earlier than the last applied one is judged at the
// later time. An operation either applies completely or returns a
// *[RejectError] (matchable with errors.Is against the ErrX sentinels) and
// leaves the state untouched, so a shell can log successful operations as
// [Op] values and rebuild the state by replaying them. Amounts are u64 base
// units (1 VRAM = 10^9); no float touches an amount. Ratings are the one
// float computation, delegated to [Options.Rate] and stored back in fp.
//
// Windows: S(w) = genesis_ms + w·window_ms. Miners upload in [S(w), S(w)+P),
// validators submit scores in [S(w)+P, S(w+1)), and Finalize(w) runs once
// now ≥ S(w+1), in window order.
//
// Scores are bound to an enclave key: the ledger rebuilds the canonical
// message with [ScoreMessage] from the call's own arguments and verifies the
// Ed25519 signature against the key registered for the validator, so a
// signature cannot be replayed with other scores, windows, checkpoints or
// validators. The all-zero signature marks simulated scores, accepted only
// under [ProfileDev].
//
// A Ledger is not safe for concurrent use. The shell in package ledgerhttp
// serializes operations, appends each accepted one to its log and syncs it
// before it answers the caller: persist, then acknowledge.
package ledger
