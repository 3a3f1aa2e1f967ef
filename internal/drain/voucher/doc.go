// Package voucher implements DRAIN payment vouchers: the EIP-712 typed-data
// digest a consumer signs, signing and signer recovery, and the
// X-DRAIN-Voucher HTTP header a voucher travels in.
//
// A voucher authorises the provider of a channel to claim a cumulative
// amount (token base units) from the channel's deposit:
//
//	Voucher(bytes32 channelId,uint256 amount,uint256 nonce)
//
// under the EIP-712 domain {name "DrainChannel", version "1", chainId,
// verifyingContract}. The digest is
//
//	keccak256(0x19 0x01 ‖ domainSeparator ‖ keccak256(typeHash ‖ channelId ‖ amount ‖ nonce))
//
// and a signature is 65 bytes r ‖ s ‖ v with v ∈ {27, 28} and s in the
// lower half of the curve order, which is what the channel contract accepts.
//
// The header value is a JSON object with four non-empty strings:
//
//	{"channelId":"0x<64 hex>","amount":"<decimal>","nonce":"<decimal>","signature":"0x<130 hex>"}
//
// The package is pure: no I/O, no clock, no goroutines. Its values are
// immutable once built and safe to share.
package voucher
