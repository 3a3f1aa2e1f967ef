package keys

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vedhavyas/go-subkey/v2"
	"github.com/vedhavyas/go-subkey/v2/sr25519"
)

// Keypair is an sr25519 keypair. It implements [Signer]. Its String and
// LogValue show only the public address, never secret material.
type Keypair struct {
	kp  subkey.KeyPair
	pub PublicKey
}

var _ Signer = (*Keypair)(nil)

// FromURI derives a keypair from a Substrate secret URI: a dev path such as
// "//Alice" (derived from the well-known development phrase), a BIP-39
// phrase with optional "//hard" or "/soft" junctions, or a 0x-prefixed
// 32-byte seed with optional junctions.
func FromURI(uri string) (*Keypair, error) {
	uri = strings.TrimSpace(uri)
	if uri == "" {
		return nil, errors.New("keys: empty secret URI")
	}
	if strings.HasPrefix(uri, "/") {
		uri = subkey.DevPhrase + uri
	}
	kp, err := subkey.DeriveKeyPair(sr25519.Scheme{}, uri)
	if err != nil {
		return nil, fmt.Errorf("keys: derive from secret URI: %w", err)
	}
	return fromSubkey(kp)
}

func fromSubkey(kp subkey.KeyPair) (*Keypair, error) {
	pub := kp.Public()
	if len(pub) != 32 {
		return nil, errors.New("keys: derived public key is not 32 bytes")
	}
	return &Keypair{kp: kp, pub: PublicKey(pub)}, nil
}

// PublicKey returns the public key.
func (k *Keypair) PublicKey() PublicKey { return k.pub }

// SS58 returns the public key's SS58 address.
func (k *Keypair) SS58() string { return k.pub.SS58() }

// Sign returns a 64-byte sr25519 signature over msg (context "substrate").
func (k *Keypair) Sign(msg []byte) ([]byte, error) { return k.kp.Sign(msg) }

// String returns "sr25519:<address>"; secrets are never printed.
func (k *Keypair) String() string { return "sr25519:" + k.pub.SS58() }

// GoString is like String, so %#v does not print secrets either.
func (k *Keypair) GoString() string { return k.String() }

// LogValue makes slog print only the address.
func (k *Keypair) LogValue() slog.Value { return slog.StringValue(k.String()) }
