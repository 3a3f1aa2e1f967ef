// Package subtensor is a [chain.Client] for the real Bittensor chain
// (Subtensor) over Substrate JSON-RPC, in pure Go.
//
// At start-up the client reads the runtime's V14 metadata
// (state_getMetadata) and takes from it, instead of hard-coding: the
// SubtensorModule pallet and call indices, the shape of every call it sends,
// the signed extension list (each extension it does not know must encode to
// no bytes, or the client refuses to start), storage defaults and module
// error names.
//
// Reads: the metagraph comes from the NeuronInfoRuntimeApi_get_neurons_lite
// runtime call, decoded from SCALE; the block height from chain_getHeader.
//
// Writes: set_weights and serve_axon are extrinsics (format v4) signed by
// the hotkey with sr25519, a mortal era of 64 blocks born at the current head,
// the account's next nonce (system_accountNextIndex) and no tip; the metadata
// hash check is disabled (mode 0). After author_submitExtrinsic the client
// watches new blocks for the extrinsic and reads System.Events at the block
// that includes it: ExtrinsicFailed with a module error becomes a
// *[chain.TxError] named after the error ("SettingWeightsTooFast").
//
// Subnets with commit-reveal enabled (CommitRevealWeightsEnabled, true by
// default on Subtensor) refuse plain set_weights; SetWeights detects this
// before signing and returns [ErrCommitRevealRequired], which explains that
// the weights need a drand-timelocked commit (commit_timelocked_weights).
//
// Registration (burned_register) is signed by the coldkey, which a node does
// not hold: Register returns the UID of an already registered hotkey and
// [ErrNotRegistered] otherwise, naming the btcli command to run.
//
// WebSocket endpoint URLs (wss://, ws://) are accepted: the same host and
// port answer HTTP JSON-RPC, which the client speaks.
package subtensor
