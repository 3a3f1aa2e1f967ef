// Package axon implements the Bittensor dendrite/axon request-signing scheme
// that Engram validators, miners and the SDK use over HTTP, so Python
// Bittensor peers interoperate with ours.
//
// A caller (the "dendrite") signs each POST with its sr25519 hotkey:
//
//	message   = "{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}"
//	body_hash = hex SHA3-256( hex SHA3-256(str(f1)) ‖ hex SHA3-256(str(f2)) ‖ … )
//
// over the synapse's hash fields in order (see [SynapseFields]), where str()
// is Python's rendering of each field's value as received in the JSON body.
// The headers carry the nonce (time in ns), the dendrite's hotkey, a UUID
// fixed per dendrite instance, the signature and computed_body_hash.
//
// A miner (the "axon") rebuilds the message with its own hotkey, recomputes
// the body hash from the body it received, requires a fresh nonce per
// {hotkey}:{uuid} (the first above now − 4 s − timeout, later ones strictly
// increasing), verifies the signature, and only then remembers the nonce.
//
// [Dendrite] and [Verifier] are safe for concurrent use.
package axon
