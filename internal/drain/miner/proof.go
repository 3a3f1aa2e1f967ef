package miner

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// ProofPrefix starts the signed text; the hotkey's SS58 address follows.
const ProofPrefix = "Bittensor Subnet 58 Miner: "

// ErrWalletKey is returned for a wallet key that does not parse.
var ErrWalletKey = errors.New("invalid wallet private key")

// ProofMessage returns the exact text a miner signs for hotkeySS58.
func ProofMessage(hotkeySS58 string) string { return ProofPrefix + hotkeySS58 }

// TextHash returns the EIP-191 personal_sign digest of msg:
// keccak256("\x19Ethereum Signed Message:\n" ‖ decimal len(msg) ‖ msg).
func TextHash(msg []byte) []byte {
	return crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n"+strconv.Itoa(len(msg))), msg)
}

// Proof signs the wallet proof for hotkeySS58 with key and returns it as
// 0x-prefixed hex of r ‖ s ‖ v (65 bytes, v ∈ {27, 28}, low s), the form
// personal_sign and eth_account produce.
func Proof(key *ecdsa.PrivateKey, hotkeySS58 string) (string, error) {
	if key == nil {
		return "", fmt.Errorf("%w: nil key", ErrWalletKey)
	}
	sig, err := crypto.Sign(TextHash([]byte(ProofMessage(hotkeySS58))), key)
	if err != nil {
		return "", fmt.Errorf("sign wallet proof: %w", err)
	}
	sig[64] += 27
	return "0x" + hex.EncodeToString(sig), nil
}

// ParseWallet parses a 0x-prefixed 40-digit hex address in any letter case
// (no checksum requirement, as the reference compares lower-cased text).
func ParseWallet(s string) (common.Address, bool) {
	if len(s) != 42 || (s[:2] != "0x" && s[:2] != "0X") {
		return common.Address{}, false
	}
	b, err := hex.DecodeString(s[2:])
	if err != nil {
		return common.Address{}, false
	}
	return common.BytesToAddress(b), true
}

// RecoverProof returns the address that signed proof over hotkeySS58's
// message. proof is hex with an optional 0x; it must be 65 bytes with
// v ∈ {0, 1, 27, 28}, r and s in range and s in the lower half of the
// curve order (as OpenZeppelin's ECDSA.tryRecover).
func RecoverProof(hotkeySS58, proof string) (common.Address, bool) {
	h := proof
	if len(h) >= 2 && (h[:2] == "0x" || h[:2] == "0X") {
		h = h[2:]
	}
	if len(h) != 130 {
		return common.Address{}, false
	}
	sig, err := hex.DecodeString(h)
	if err != nil {
		return common.Address{}, false
	}
	v := sig[64]
	if v >= 27 {
		v -= 27
	}
	if v > 1 {
		return common.Address{}, false
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if !crypto.ValidateSignatureValues(v, r, s, true) {
		return common.Address{}, false
	}
	sig[64] = v
	pub, err := crypto.SigToPub(TextHash([]byte(ProofMessage(hotkeySS58))), sig)
	if err != nil {
		return common.Address{}, false
	}
	return crypto.PubkeyToAddress(*pub), true
}

// VerifyProof reports whether proof is wallet's signature over the proof
// message of hotkeySS58, the hotkey the metagraph holds for the UID (never
// one taken from the response). wallet is compared case-insensitively;
// any parse or recovery failure is false, never a panic.
func VerifyProof(wallet, hotkeySS58, proof string) bool {
	w, ok := ParseWallet(wallet)
	if !ok || w == (common.Address{}) {
		return false
	}
	got, ok := RecoverProof(hotkeySS58, proof)
	return ok && got == w
}

// ParseWalletKey parses a secp256k1 private key written as 64 hex digits,
// with an optional 0x and surrounding white space (the POLYGON_PRIVATE_KEY
// format). Errors wrap [ErrWalletKey] and never include the key.
func ParseWalletKey(s string) (*ecdsa.PrivateKey, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(s) != 64 {
		return nil, fmt.Errorf("%w: want 64 hex digits", ErrWalletKey)
	}
	k, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, fmt.Errorf("%w: not a valid secp256k1 scalar in hex", ErrWalletKey)
	}
	return k, nil
}

// ReadWalletKeyFile reads a key in the [ParseWalletKey] format from path.
func ReadWalletKeyFile(path string) (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read wallet key: %w", err)
	}
	return ParseWalletKey(string(b))
}
