package enclave

import (
	"crypto/ed25519"
	"crypto/sha512"
	"fmt"
	"io"
)

// GenerateKey draws an ephemeral Ed25519 key: ed25519.SeedSize bytes read
// from r, expanded with ed25519.NewKeyFromSeed. Production passes
// crypto/rand.Reader; tests pass a fixed reader for a reproducible key. The
// key lives only in memory and a restart makes a new one.
func GenerateKey(r io.Reader) (ed25519.PrivateKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(r, seed); err != nil {
		return nil, fmt.Errorf("read key seed: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// DevPCRs returns the measurements a development enclave reports in its
// attestation document: PCRi = SHA-384("vramhub-dev-pcr" ‖ decimal i) for
// i = 0, 1, 2. They are non-zero 48-byte values, so a dev ledger whose
// expected PCRs are set to them accepts the enclave's registration.
func DevPCRs() [3][]byte {
	var out [3][]byte
	for i := range out {
		h := sha512.Sum384(fmt.Appendf(nil, "vramhub-dev-pcr%d", i))
		out[i] = h[:]
	}
	return out
}
