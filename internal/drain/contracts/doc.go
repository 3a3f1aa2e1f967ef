// Package contracts deploys and drives the DRAIN payment-channel contract
// (sol/DrainChannel.sol) and its 6-decimal test token (sol/TestUSDC.sol)
// from Go: [Deploy] for development chains and tests, and a [Client] with
// typed Open, Claim, Close and channel reads for agents and providers.
//
// The Solidity sources, the solc-js artifacts (artifacts/) and the abigen
// v2 bindings (bindings/) are all committed; `make contracts` regenerates
// the last two and TestArtifactsUpToDate fails when they drift.
//
// Transactions are sent with the caller's key and waited for: each Client
// method that transacts returns only once the receipt is in, and returns a
// [*RevertError] (matching the ErrX sentinels with errors.Is) when the
// contract rejects the call. On a simulated chain wrap the backend with
// [AutoMine] so that sent transactions are mined at once, as anvil does.
//
// A Client is safe for concurrent use; concurrent transactions from the
// same key may collide on the account nonce, so callers serialise them.
package contracts
