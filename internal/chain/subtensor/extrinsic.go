package subtensor

import (
	"errors"
	"fmt"
	"math/bits"

	"golang.org/x/crypto/blake2b"

	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Era is a transaction's validity window. The zero Era is immortal.
type Era struct {
	// Period is a power of two in [4, 65536]; 0 means immortal.
	Period uint64
	// Phase is birth block mod Period.
	Phase uint64
}

// MortalEra returns the era of the given period born at block birth. The
// period is rounded up to a power of two and clamped to [4, 65536].
func MortalEra(period, birth uint64) Era {
	period = min(max(period, 4), 1<<16)
	if period&(period-1) != 0 {
		period = 1 << bits.Len64(period)
	}
	q := max(period>>12, 1)
	return Era{Period: period, Phase: birth % period / q * q}
}

// Encode returns the era's SCALE bytes.
func (e Era) Encode() []byte {
	if e.Period == 0 {
		return []byte{0}
	}
	q := max(e.Period>>12, 1)
	enc := min(15, max(1, uint64(bits.TrailingZeros64(e.Period))-1)) | (e.Phase/q)<<4
	return []byte{byte(enc), byte(enc >> 8)}
}

// Birth returns the block at which the era began, given the current block.
func (e Era) Birth(current uint64) uint64 {
	if e.Period == 0 {
		return 0
	}
	return (max(current, e.Phase)-e.Phase)/e.Period*e.Period + e.Phase
}

// DecodeEra reads an era.
func DecodeEra(d *scale.Decoder) Era {
	first := d.U8()
	if d.Err() != nil || first == 0 {
		return Era{}
	}
	second := d.U8()
	enc := uint64(first) | uint64(second)<<8
	period := uint64(2) << (enc % 16)
	if period < 4 {
		d.Fail(errors.New("subtensor: invalid era period"))
		return Era{}
	}
	q := max(period>>12, 1)
	phase := (enc >> 4) * q
	if phase >= period {
		d.Fail(errors.New("subtensor: era phase exceeds period"))
		return Era{}
	}
	return Era{Period: period, Phase: phase}
}

// signingParams are the chain values a signature commits to.
type signingParams struct {
	SpecVersion uint32
	TxVersion   uint32
	Genesis     [32]byte
	// EraBlock is the hash of the era's birth block (genesis if immortal).
	EraBlock [32]byte
	Era      Era
	Nonce    uint32
	Tip      uint64
}

// extensions encodes the explicit ("extra") and implicit ("additional
// signed") bytes of every signed extension the metadata lists. Unknown
// extensions must be zero-sized in both, or it fails.
func (m *Metadata) extensions(p signingParams) (extra, additional []byte, err error) {
	var ex, ad scale.Encoder
	for _, e := range m.SignedExtensions {
		switch e.Identifier {
		case "CheckSpecVersion":
			ad.U32(p.SpecVersion)
		case "CheckTxVersion":
			ad.U32(p.TxVersion)
		case "CheckGenesis":
			ad.Raw(p.Genesis[:])
		case "CheckMortality", "CheckEra":
			ex.Raw(p.Era.Encode())
			ad.Raw(p.EraBlock[:])
		case "CheckNonce":
			ex.Compact(uint64(p.Nonce))
		case "ChargeTransactionPayment", "ChargeTransactionPaymentWrapper":
			ex.Compact(p.Tip)
		case "ChargeAssetTxPayment":
			ex.Compact(p.Tip).U8(0) // no asset id
		case "CheckMetadataHash":
			ex.U8(0) // mode: disabled
			ad.U8(0) // Option<[u8; 32]>: None
		default:
			if !m.zeroSized(e.Type) || !m.zeroSized(e.AdditionalSigned) {
				return nil, nil, fmt.Errorf("subtensor: signed extension %q carries data this client cannot fill", e.Identifier)
			}
		}
	}
	return ex.Bytes(), ad.Bytes(), nil
}

// checkExtensions fails if the runtime lists an extension the client
// cannot sign for.
func (m *Metadata) checkExtensions() error {
	_, _, err := m.extensions(signingParams{})
	return err
}

// signedExtrinsic builds a v4 signed extrinsic for call.
func (m *Metadata) signedExtrinsic(signer keys.Signer, call []byte, p signingParams) ([]byte, error) {
	if m.ExtrinsicVersion != 4 {
		return nil, fmt.Errorf("subtensor: extrinsic version %d unsupported (want 4)", m.ExtrinsicVersion)
	}
	extra, additional, err := m.extensions(p)
	if err != nil {
		return nil, err
	}
	payload := make([]byte, 0, len(call)+len(extra)+len(additional))
	payload = append(append(append(payload, call...), extra...), additional...)
	if len(payload) > 256 {
		h := blake2b.Sum256(payload)
		payload = h[:]
	}
	sig, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("sign extrinsic: %w", err)
	}
	if len(sig) != 64 {
		return nil, fmt.Errorf("sign extrinsic: signature is %d bytes, want 64", len(sig))
	}
	pub := signer.PublicKey()
	var body scale.Encoder
	body.U8(0x84).U8(0x00).Raw(pub[:]).U8(0x01).Raw(sig).Raw(extra).Raw(call)
	var out scale.Encoder
	out.ByteVec(body.Bytes())
	return out.Bytes(), nil
}

// SignedExtrinsic is a decoded v4 signed extrinsic.
type SignedExtrinsic struct {
	Signer    keys.PublicKey
	Signature []byte
	Era       Era
	Nonce     uint32
	Tip       uint64
	Call      []byte
}

// DecodeSignedExtrinsic parses a length-prefixed v4 signed extrinsic whose
// signer is a MultiAddress::Id and signature sr25519, reading the signed
// extensions the metadata lists. It is the inverse of what the client sends
// and verifies nothing.
func (m *Metadata) DecodeSignedExtrinsic(b []byte) (*SignedExtrinsic, error) {
	outer := scale.NewDecoder(b)
	body := outer.ByteVec()
	if err := outer.Finish(); err != nil {
		return nil, fmt.Errorf("subtensor: extrinsic length: %w", err)
	}
	d := scale.NewDecoder(body)
	if v := d.U8(); v != 0x84 {
		return nil, fmt.Errorf("subtensor: extrinsic version byte %#x, want 0x84", v)
	}
	if a := d.U8(); a != 0 {
		return nil, fmt.Errorf("subtensor: address kind %d, want Id", a)
	}
	x := &SignedExtrinsic{Signer: keys.PublicKey(d.Array32())}
	if s := d.U8(); s != 1 {
		return nil, fmt.Errorf("subtensor: signature kind %d, want Sr25519", s)
	}
	x.Signature = d.Bytes(64)
	for _, e := range m.SignedExtensions {
		switch e.Identifier {
		case "CheckMortality", "CheckEra":
			x.Era = DecodeEra(d)
		case "CheckNonce":
			n := d.Compact()
			if n > 1<<32-1 {
				d.Fail(errors.New("subtensor: nonce exceeds u32"))
			}
			x.Nonce = uint32(n)
		case "ChargeTransactionPayment", "ChargeTransactionPaymentWrapper":
			x.Tip = d.Compact()
		case "ChargeAssetTxPayment":
			x.Tip = d.Compact()
			if d.Option() {
				m.DecodeValue(d, e.Type) // not produced by this client
			}
		case "CheckMetadataHash":
			if mode := d.U8(); mode > 1 {
				d.Fail(fmt.Errorf("subtensor: metadata hash mode %d", mode))
			}
		default:
			m.DecodeValue(d, e.Type)
		}
	}
	x.Call = d.Bytes(d.Remaining())
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("subtensor: decode extrinsic: %w", err)
	}
	return x, nil
}

// SigningPayload rebuilds the bytes a signer signed for x under the given
// chain values (spec, tx version, genesis, era block hash).
func (m *Metadata) SigningPayload(x *SignedExtrinsic, spec, txVersion uint32, genesis, eraBlock [32]byte) ([]byte, error) {
	extra, additional, err := m.extensions(signingParams{
		SpecVersion: spec, TxVersion: txVersion, Genesis: genesis, EraBlock: eraBlock,
		Era: x.Era, Nonce: x.Nonce, Tip: x.Tip,
	})
	if err != nil {
		return nil, err
	}
	payload := append(append(append([]byte{}, x.Call...), extra...), additional...)
	if len(payload) > 256 {
		h := blake2b.Sum256(payload)
		payload = h[:]
	}
	return payload, nil
}
