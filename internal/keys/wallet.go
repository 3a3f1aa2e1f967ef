package keys

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tyler-smith/go-bip39"
	"github.com/vedhavyas/go-subkey/v2/sr25519"
)

// FromSeed returns the keypair of a 32-byte mini-secret (Ed25519-mode
// expansion, as Substrate does).
func FromSeed(seed [32]byte) (*Keypair, error) {
	kp, err := sr25519.Scheme{}.FromSeed(seed[:])
	if err != nil {
		return nil, fmt.Errorf("keys: from seed: %w", err)
	}
	return fromSubkey(kp)
}

// Seed returns the keypair's 32-byte mini-secret, for writing wallet files.
func (k *Keypair) Seed() ([32]byte, bool) {
	var s [32]byte
	b := k.kp.Seed()
	if len(b) != 32 {
		return s, false
	}
	copy(s[:], b)
	return s, true
}

// NewMnemonic returns a 12-word BIP-39 phrase from 16 bytes of rand.
func NewMnemonic(rand io.Reader) (string, error) {
	ent := make([]byte, 16)
	if _, err := io.ReadFull(rand, ent); err != nil {
		return "", fmt.Errorf("keys: entropy: %w", err)
	}
	return bip39.NewMnemonic(ent)
}

// Wallet names a Bittensor wallet directory: Path/Name/hotkeys/Hotkey and
// Path/Name/coldkeypub.txt, as btcli writes them.
type Wallet struct {
	Path, Name, Hotkey string
}

// hotkeyFile is btcli's plaintext hotkey JSON.
type hotkeyFile struct {
	AccountID    string `json:"accountId"`
	PublicKey    string `json:"publicKey"`
	PrivateKey   string `json:"privateKey,omitempty"`
	SecretPhrase string `json:"secretPhrase,omitempty"`
	SecretSeed   string `json:"secretSeed,omitempty"`
	SS58Address  string `json:"ss58Address"`
}

// HotkeyPath returns the hotkey file's path.
func (w Wallet) HotkeyPath() string { return filepath.Join(w.Path, w.Name, "hotkeys", w.Hotkey) }

// ColdkeyPubPath returns coldkeypub.txt's path.
func (w Wallet) ColdkeyPubPath() string { return filepath.Join(w.Path, w.Name, "coldkeypub.txt") }

// ErrExists is returned by WriteHotkey when the file exists.
var ErrExists = errors.New("keys: wallet file already exists")

// LoadHotkey reads the hotkey file and derives its keypair from secretSeed
// (else secretPhrase). It fails if the derived key does not match the
// file's ss58Address or publicKey.
func (w Wallet) LoadHotkey() (*Keypair, error) {
	b, err := os.ReadFile(w.HotkeyPath())
	if err != nil {
		return nil, fmt.Errorf("keys: read hotkey: %w", err)
	}
	var f hotkeyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("keys: hotkey file %s is not btcli JSON: %w", w.HotkeyPath(), err)
	}
	var kp *Keypair
	switch {
	case f.SecretSeed != "":
		s, err := hex.DecodeString(strings.TrimPrefix(f.SecretSeed, "0x"))
		if err != nil || len(s) != 32 {
			return nil, fmt.Errorf("keys: hotkey file %s: bad secretSeed", w.HotkeyPath())
		}
		kp, err = FromSeed([32]byte(s))
		if err != nil {
			return nil, err
		}
	case f.SecretPhrase != "":
		if kp, err = FromURI(f.SecretPhrase); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("keys: hotkey file %s holds no secret (secretSeed or secretPhrase)", w.HotkeyPath())
	}
	if f.SS58Address != "" && f.SS58Address != kp.SS58() {
		return nil, fmt.Errorf("keys: hotkey file %s: ss58Address %s does not match its secret (%s)", w.HotkeyPath(), f.SS58Address, kp.SS58())
	}
	if f.PublicKey != "" && !strings.EqualFold(strings.TrimPrefix(f.PublicKey, "0x"), hex.EncodeToString(kp.pub[:])) {
		return nil, fmt.Errorf("keys: hotkey file %s: publicKey does not match its secret", w.HotkeyPath())
	}
	return kp, nil
}

// WriteHotkey writes kp (and its phrase, if known) as a btcli hotkey file
// with mode 0600 in 0700 directories. It refuses to overwrite (ErrExists).
func (w Wallet) WriteHotkey(kp *Keypair, phrase string) error {
	seed, ok := kp.Seed()
	if !ok {
		return errors.New("keys: keypair has no seed to write")
	}
	pub := "0x" + hex.EncodeToString(kp.pub[:])
	f := hotkeyFile{AccountID: pub, PublicKey: pub, SecretPhrase: phrase, SecretSeed: "0x" + hex.EncodeToString(seed[:]), SS58Address: kp.SS58()}
	b, _ := json.Marshal(f)
	return writeNew(w.HotkeyPath(), b)
}

// WriteColdkeyPub writes coldkeypub.txt for pub.
func (w Wallet) WriteColdkeyPub(pub PublicKey) error {
	h := "0x" + hex.EncodeToString(pub[:])
	b, _ := json.Marshal(map[string]string{"accountId": h, "publicKey": h, "ss58Address": pub.SS58()})
	return writeNew(w.ColdkeyPubPath(), b)
}

// LoadColdkeyPub reads coldkeypub.txt (or coldkeypub).
func (w Wallet) LoadColdkeyPub() (PublicKey, error) {
	b, err := os.ReadFile(w.ColdkeyPubPath())
	if errors.Is(err, os.ErrNotExist) {
		b, err = os.ReadFile(strings.TrimSuffix(w.ColdkeyPubPath(), ".txt"))
	}
	if err != nil {
		return PublicKey{}, fmt.Errorf("keys: read coldkeypub: %w", err)
	}
	var f hotkeyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return PublicKey{}, fmt.Errorf("keys: coldkeypub is not JSON: %w", err)
	}
	return ParseSS58(f.SS58Address)
}

func writeNew(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
