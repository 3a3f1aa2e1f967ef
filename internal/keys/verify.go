package keys

import (
	"bytes"

	"github.com/ChainSafe/go-schnorrkel"
)

// SigningContext is the schnorrkel signing context Substrate chains use.
const SigningContext = "substrate"

// Signer signs messages with an sr25519 key. *Keypair implements it; so do
// remote signers in tests.
type Signer interface {
	// PublicKey returns the key whose signatures Sign produces.
	PublicKey() PublicKey
	// Sign returns a 64-byte sr25519 signature over msg.
	Sign(msg []byte) ([]byte, error)
}

// Verify reports whether sig is a valid sr25519 signature by p over msg
// (context "substrate"). As bittensor-wallet does, it also accepts a
// signature over "<Bytes>" + msg + "</Bytes>", the form browser extensions
// sign. Any malformed input yields false.
func (p PublicKey) Verify(msg, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	pub, err := schnorrkel.NewPublicKey(p)
	if err != nil {
		return false
	}
	var s schnorrkel.Signature
	if err := s.Decode([64]byte(sig)); err != nil {
		return false
	}
	if ok, err := pub.Verify(&s, schnorrkel.NewSigningContext([]byte(SigningContext), msg)); err == nil && ok {
		return true
	}
	wrapped := bytes.Join([][]byte{[]byte("<Bytes>"), msg, []byte("</Bytes>")}, nil)
	ok, err := pub.Verify(&s, schnorrkel.NewSigningContext([]byte(SigningContext), wrapped))
	return err == nil && ok
}
