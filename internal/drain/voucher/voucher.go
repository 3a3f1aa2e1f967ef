package voucher

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Domain name and version the channel contract signs under.
const (
	DomainName    = "DrainChannel"
	DomainVersion = "1"
)

// Type strings, as hashed into the EIP-712 type hashes.
const (
	DomainType  = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
	VoucherType = "Voucher(bytes32 channelId,uint256 amount,uint256 nonce)"
)

var (
	domainTypeHash  = crypto.Keccak256Hash([]byte(DomainType))
	voucherTypeHash = crypto.Keccak256Hash([]byte(VoucherType))
	nameHash        = crypto.Keccak256Hash([]byte(DomainName))
	versionHash     = crypto.Keccak256Hash([]byte(DomainVersion))

	// secp256k1 group order and its half: signatures with s above the
	// half are the malleable twins of low-s ones and are rejected.
	curveOrder = crypto.S256().Params().N
	halfOrder  = new(big.Int).Rsh(curveOrder, 1)
	maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
)

// Errors returned by the package.
var (
	// ErrInvalidSignature reports a signature that is not 65 bytes, has a v
	// other than 0, 1, 27 or 28, has a high or zero s or r, or recovers no key.
	ErrInvalidSignature = errors.New("voucher: invalid signature")
	// ErrInvalidVoucher reports a voucher whose amount or nonce is nil,
	// negative or wider than 256 bits.
	ErrInvalidVoucher = errors.New("voucher: invalid voucher")
	// ErrInvalidHeader reports an X-DRAIN-Voucher value that does not
	// follow the header format.
	ErrInvalidHeader = errors.New("voucher: invalid header")
)

// Domain is the part of the EIP-712 domain that varies by deployment.
type Domain struct {
	// ChainID is the chain the channel contract lives on.
	ChainID *big.Int
	// VerifyingContract is the channel contract's address.
	VerifyingContract common.Address
}

// Separator returns the EIP-712 domain separator, the value the contract's
// DOMAIN_SEPARATOR() returns.
func (d Domain) Separator() common.Hash {
	chain := new(big.Int)
	if d.ChainID != nil {
		chain = d.ChainID
	}
	return crypto.Keccak256Hash(
		domainTypeHash[:], nameHash[:], versionHash[:],
		common.LeftPadBytes(chain.Bytes(), 32),
		common.LeftPadBytes(d.VerifyingContract[:], 32),
	)
}

// Voucher is an unsigned voucher. Amount is cumulative over the channel's
// life; Nonce rises with each voucher and is checked only off-chain.
type Voucher struct {
	ChannelID common.Hash
	Amount    *big.Int
	Nonce     *big.Int
}

// Signed is a voucher with the consumer's signature (65 bytes, v ∈ {27, 28}).
type Signed struct {
	Voucher
	Signature []byte
}

func validUint256(x *big.Int) bool {
	return x != nil && x.Sign() >= 0 && x.Cmp(maxUint256) <= 0
}

// Validate returns [ErrInvalidVoucher] unless Amount and Nonce are both in
// [0, 2^256).
func (v Voucher) Validate() error {
	if !validUint256(v.Amount) || !validUint256(v.Nonce) {
		return ErrInvalidVoucher
	}
	return nil
}

// StructHash returns hashStruct(voucher) = keccak256(typeHash ‖ fields).
// It returns [ErrInvalidVoucher] for an invalid voucher.
func (v Voucher) StructHash() (common.Hash, error) {
	if err := v.Validate(); err != nil {
		return common.Hash{}, err
	}
	return crypto.Keccak256Hash(
		voucherTypeHash[:], v.ChannelID[:],
		common.LeftPadBytes(v.Amount.Bytes(), 32),
		common.LeftPadBytes(v.Nonce.Bytes(), 32),
	), nil
}

// Digest returns the EIP-712 digest of v under d, the hash that is signed.
// It returns [ErrInvalidVoucher] for an invalid voucher.
func Digest(d Domain, v Voucher) (common.Hash, error) {
	sh, err := v.StructHash()
	if err != nil {
		return common.Hash{}, err
	}
	sep := d.Separator()
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], sh[:]), nil
}

// Sign signs v under d with key (deterministic RFC 6979 nonces, low s) and
// returns the signed voucher with v ∈ {27, 28}. It returns
// [ErrInvalidVoucher] for an invalid voucher.
func Sign(key *ecdsa.PrivateKey, d Domain, v Voucher) (Signed, error) {
	h, err := Digest(d, v)
	if err != nil {
		return Signed{}, err
	}
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return Signed{}, fmt.Errorf("voucher: sign: %w", err)
	}
	sig[64] += 27
	return Signed{Voucher: v, Signature: sig}, nil
}

// NormalizeSignature returns a copy of sig with v mapped to 27 or 28. It
// returns [ErrInvalidSignature] when sig is not 65 bytes, v is not one of
// 0, 1, 27, 28, r or s is zero, or s is above half the curve order.
func NormalizeSignature(sig []byte) ([]byte, error) {
	if len(sig) != 65 {
		return nil, ErrInvalidSignature
	}
	out := append([]byte(nil), sig...)
	switch out[64] {
	case 0, 1:
		out[64] += 27
	case 27, 28:
	default:
		return nil, ErrInvalidSignature
	}
	r := new(big.Int).SetBytes(out[:32])
	s := new(big.Int).SetBytes(out[32:64])
	if r.Sign() == 0 || r.Cmp(curveOrder) >= 0 || s.Sign() == 0 || s.Cmp(halfOrder) > 0 {
		return nil, ErrInvalidSignature
	}
	return out, nil
}

// Recover returns the address that signed v under d with sig. It accepts v
// as 0/1 or 27/28 and returns [ErrInvalidSignature] for malformed,
// high-s or unrecoverable signatures and [ErrInvalidVoucher] for an
// invalid voucher.
func Recover(d Domain, v Voucher, sig []byte) (common.Address, error) {
	h, err := Digest(d, v)
	if err != nil {
		return common.Address{}, err
	}
	norm, err := NormalizeSignature(sig)
	if err != nil {
		return common.Address{}, err
	}
	norm[64] -= 27
	pub, err := crypto.SigToPub(h[:], norm)
	if err != nil {
		return common.Address{}, ErrInvalidSignature
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Signer returns the address that signed s under d, as [Recover].
func (s Signed) Signer(d Domain) (common.Address, error) {
	return Recover(d, s.Voucher, s.Signature)
}
