// Package keys holds the key material subnetkit nodes sign with: sr25519
// keypairs (schnorrkel, signing context "substrate"), SS58 addresses
// (Bittensor prefix 42), BIP-39 mnemonics, //dev derivation and the
// Bittensor wallet files written by btcli.
//
// Secret material never leaves a [Keypair] in printable form: its String
// and LogValue methods redact. Every type here is safe for concurrent use
// once constructed.
package keys

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/decred/base58"
	"github.com/vedhavyas/go-subkey/v2"
)

// SS58Prefix is the address format Bittensor uses (the generic Substrate one).
const SS58Prefix = 42

// ErrInvalidAddress is returned by [ParseSS58] for a string that is not a
// valid SS58 address of a 32-byte public key.
var ErrInvalidAddress = errors.New("invalid SS58 address")

// PublicKey is a 32-byte sr25519 (or ed25519) public key, the AccountId32 of
// Substrate chains. Its text form is the SS58 address with prefix 42.
type PublicKey [32]byte

// SS58 returns the key's SS58 address with the Bittensor prefix.
func (p PublicKey) SS58() string { return subkey.SS58Encode(p[:], SS58Prefix) }

// String returns the SS58 address.
func (p PublicKey) String() string { return p.SS58() }

// IsZero reports whether p is all zero bytes (no key).
func (p PublicKey) IsZero() bool { return p == PublicKey{} }

// MarshalText encodes p as its SS58 address.
func (p PublicKey) MarshalText() ([]byte, error) { return []byte(p.SS58()), nil }

// UnmarshalText parses an SS58 address (any one-byte prefix) or 0x-hex.
func (p *PublicKey) UnmarshalText(b []byte) error {
	k, err := ParseSS58(string(b))
	if err != nil {
		return err
	}
	*p = k
	return nil
}

// ss58Decode is subkey.SS58Decode with any panic turned into an error.
func ss58Decode(addr string) (prefix uint16, b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed address: %v", r)
		}
	}()
	return subkey.SS58Decode(addr)
}

// ParseSS58 decodes an SS58 address into its public key. It checks the
// checksum and length and returns an error wrapping [ErrInvalidAddress]
// otherwise. A 0x-prefixed 64-character hex string is accepted too.
func ParseSS58(addr string) (PublicKey, error) {
	var p PublicKey
	if len(addr) == 66 && (addr[:2] == "0x" || addr[:2] == "0X") {
		b, err := hex.DecodeString(addr[2:])
		if err != nil || len(b) != 32 {
			return p, fmt.Errorf("%w: bad hex public key", ErrInvalidAddress)
		}
		copy(p[:], b)
		return p, nil
	}
	// Check the decoded length first: the decoder slices by the prefix
	// byte and panics on short input, and addresses arrive from the network.
	raw := base58.Decode(addr)
	if len(raw) != 35 && len(raw) != 36 {
		return p, fmt.Errorf("%w: %q does not decode to a prefix, 32-byte key and checksum", ErrInvalidAddress, addr)
	}
	_, b, err := ss58Decode(addr)
	if err != nil {
		return p, fmt.Errorf("%w: %q: %v", ErrInvalidAddress, addr, err)
	}
	if len(b) != 32 {
		return p, fmt.Errorf("%w: %q holds %d bytes, want 32", ErrInvalidAddress, addr, len(b))
	}
	copy(p[:], b)
	return p, nil
}
