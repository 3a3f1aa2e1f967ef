package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Attestation is what a verified attestation document vouches for.
type Attestation struct {
	// PCRs are PCR0, PCR1 and PCR2.
	PCRs [3][]byte
	// PublicKey is the enclave's Ed25519 key named in the document.
	PublicKey []byte
}

// Verifier checks an enclave attestation document at ledger time nowMs
// (the Nitro chain of trust, or a development stand-in). It must be
// deterministic: the same document and time give the same answer, because
// the ledger replays operations.
type Verifier interface {
	Verify(document []byte, nowMs uint64) (Attestation, error)
}

// DevVerifier accepts the synthetic documents [DevDocument] builds. The
// ledger uses it under the dev profile when no other verifier is given.
type DevVerifier struct{}

type devDocument struct {
	Mode      string      `json:"mode"`
	PCRs      [3]HexBytes `json:"pcrs"`
	PublicKey HexBytes    `json:"public_key"`
}

// DevDocument returns a synthetic attestation document for a development
// enclave with the given PCRs and public key.
func DevDocument(pcrs [3][]byte, publicKey []byte) []byte {
	d := devDocument{Mode: "dev", PublicKey: publicKey}
	for i, p := range pcrs {
		d.PCRs[i] = p
	}
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // hex fields cannot fail to encode
	}
	return b
}

// Verify parses a [DevDocument]; it rejects anything else.
func (DevVerifier) Verify(document []byte, _ uint64) (Attestation, error) {
	dec := json.NewDecoder(bytes.NewReader(document))
	dec.DisallowUnknownFields()
	var d devDocument
	if err := dec.Decode(&d); err != nil {
		return Attestation{}, fmt.Errorf("dev attestation: %w", err)
	}
	if d.Mode != "dev" {
		return Attestation{}, errors.New("dev attestation: mode is not dev")
	}
	return Attestation{PCRs: [3][]byte{d.PCRs[0], d.PCRs[1], d.PCRs[2]}, PublicKey: d.PublicKey}, nil
}
