// Package miner is the DRAIN (subnet 58) miner neuron's protocol surface and
// the validator's view of it (drain.md §5, §7, §8):
//
//   - the wallet proof: an EIP-191 personal_sign by the provider's Polygon
//     key over "Bittensor Subnet 58 Miner: <hotkey SS58>" ([Proof],
//     [VerifyProof]);
//   - the ProviderCheck synapse: an HTTP handler ([Server]) that verifies the
//     caller's dendrite signature with internal/axon and answers
//     {polygon_wallet, wallet_proof, api_url}, and the validator's client
//     ([Check]) with a strict decoder for the answer ([DecodeResponse]);
//   - marketplace registration: an sr25519 hotkey signature over
//     "handshake58:<hotkey SS58>:<api_url>" POSTed to
//     {MARKETPLACE_URL}/api/directory/providers ([Registrar]).
//
// The synapse carries no hashed fields, so its body hash is SHA3-256 of the
// empty string; this package registers "ProviderCheck" in
// axon.SynapseFields (with no fields) at init so axon signs and verifies it.
//
// The wallet key is an input ([Config.WalletKey]); commands read it from a
// file or the environment ([ReadWalletKeyFile], [ParseWalletKey]), never
// from a flag. The proof is signed once in [New] and served unchanged.
//
// [Server], [Checker] and [Registrar] are safe for concurrent use.
package miner
