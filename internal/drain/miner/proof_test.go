package miner

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/subnetkit/subnetkit/internal/keys"
)

var update = flag.Bool("update", false, "rewrite testdata vectors")

type proofVector struct {
	Key       string `json:"key"`
	Hotkey    string `json:"hotkey"`
	Message   string `json:"message"`
	Digest    string `json:"digest"`
	Signature string `json:"signature"`
	Address   string `json:"address"`
}

func vectorKey(i int) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256(fmt.Appendf(nil, "drain-proof-vector-%d", i)))
	if err != nil {
		panic(err)
	}
	return k
}

func devHotkey(t testing.TB, uri string) *keys.Keypair {
	t.Helper()
	kp, err := keys.FromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func makeVectors(t *testing.T) []proofVector {
	hotkeys := []string{
		devHotkey(t, "//Alice").SS58(),
		devHotkey(t, "//Bob").SS58(),
		"5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
		"", // the empty hotkey still yields a well-defined message
		"ünïcödé",
	}
	var vs []proofVector
	for i, hk := range hotkeys {
		key := vectorKey(i)
		// Built with go-ethereum's own EIP-191 hash, not ours.
		msg := "Bittensor Subnet 58 Miner: " + hk
		sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), key)
		if err != nil {
			t.Fatal(err)
		}
		sig[64] += 27
		vs = append(vs, proofVector{
			Key: hex.EncodeToString(crypto.FromECDSA(key)), Hotkey: hk, Message: msg,
			Digest:    hex.EncodeToString(accounts.TextHash([]byte(msg))),
			Signature: "0x" + hex.EncodeToString(sig), Address: crypto.PubkeyToAddress(key.PublicKey).Hex(),
		})
	}
	return vs
}

func readProofVectors(t testing.TB) []proofVector {
	b, err := os.ReadFile(filepath.Join("testdata", "proof_vectors.json"))
	if err != nil {
		t.Fatalf("read vectors (run with -update to create): %v", err)
	}
	var vs []proofVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestProofVectors(t *testing.T) {
	if *update {
		b, err := json.MarshalIndent(makeVectors(t), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "proof_vectors.json"), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range readProofVectors(t) {
		t.Run(v.Hotkey, func(t *testing.T) {
			key, err := ParseWalletKey(v.Key)
			if err != nil {
				t.Fatal(err)
			}
			if got := ProofMessage(v.Hotkey); got != v.Message {
				t.Errorf("ProofMessage(%q) = %q, want %q", v.Hotkey, got, v.Message)
			}
			if got := hex.EncodeToString(TextHash([]byte(v.Message))); got != v.Digest {
				t.Errorf("TextHash(%q) = %s, want %s", v.Message, got, v.Digest)
			}
			if got := hex.EncodeToString(accounts.TextHash([]byte(v.Message))); got != v.Digest {
				t.Errorf("accounts.TextHash(%q) = %s, want %s", v.Message, got, v.Digest)
			}
			got, err := Proof(key, v.Hotkey)
			if err != nil || got != v.Signature {
				t.Errorf("Proof(key, %q) = %s, %v, want %s", v.Hotkey, got, err, v.Signature)
			}
			if !VerifyProof(v.Address, v.Hotkey, v.Signature) {
				t.Errorf("VerifyProof(%s, %q, %s) = false, want true", v.Address, v.Hotkey, v.Signature)
			}
			if addr, ok := RecoverProof(v.Hotkey, v.Signature); !ok || addr.Hex() != v.Address {
				t.Errorf("RecoverProof(%q) = %s, %v, want %s", v.Hotkey, addr.Hex(), ok, v.Address)
			}
		})
	}
}

// highS returns the malleable twin of a low-s signature: s' = N − s and
// the recovery bit flipped. It recovers to the same key.
func highS(sig string) string {
	b, _ := hex.DecodeString(strings.TrimPrefix(sig, "0x"))
	s := new(big.Int).SetBytes(b[32:64])
	s.Sub(crypto.S256().Params().N, s)
	copy(b[32:64], common.LeftPadBytes(s.Bytes(), 32))
	b[64] = 27 + 28 - b[64] // 27 ↔ 28
	return "0x" + hex.EncodeToString(b)
}

func withV(sig string, v byte) string {
	b, _ := hex.DecodeString(strings.TrimPrefix(sig, "0x"))
	b[64] = v
	return "0x" + hex.EncodeToString(b)
}

func TestVerifyProof(t *testing.T) {
	v := readProofVectors(t)[0]
	other := readProofVectors(t)[1]
	raw := strings.TrimPrefix(v.Signature, "0x")
	base := v.Signature[:len(v.Signature)-2]
	tests := []struct {
		name            string
		wallet, hk, sig string
		want            bool
	}{
		{"valid", v.Address, v.Hotkey, v.Signature, true},
		{"lower-case wallet", strings.ToLower(v.Address), v.Hotkey, v.Signature, true},
		{"upper-case wallet digits", "0x" + strings.ToUpper(v.Address[2:]), v.Hotkey, v.Signature, true},
		{"0X prefixes", "0X" + v.Address[2:], v.Hotkey, "0X" + raw, true},
		{"proof without 0x", v.Address, v.Hotkey, raw, true},
		{"v as 0/1", v.Address, v.Hotkey, withV(v.Signature, v.Signature[len(v.Signature)-1]-'b'), true},
		{"high s rejected", v.Address, v.Hotkey, highS(v.Signature), false},
		{"v = 29", v.Address, v.Hotkey, base + "1d", false},
		{"v = 2", v.Address, v.Hotkey, base + "02", false},
		{"64 bytes", v.Address, v.Hotkey, v.Signature[:130], false},
		{"66 bytes", v.Address, v.Hotkey, v.Signature + "00", false},
		{"not hex", v.Address, v.Hotkey, "0x" + strings.Repeat("zz", 65), false},
		{"zero signature", v.Address, v.Hotkey, "0x" + strings.Repeat("00", 64) + "1b", false},
		{"empty proof", v.Address, v.Hotkey, "", false},
		{"another hotkey", v.Address, other.Hotkey, v.Signature, false},
		{"another wallet", other.Address, v.Hotkey, v.Signature, false},
		{"wallet without 0x", v.Address[2:], v.Hotkey, v.Signature, false},
		{"short wallet", v.Address[:41], v.Hotkey, v.Signature, false},
		{"empty wallet", "", v.Hotkey, v.Signature, false},
		{"zero wallet", "0x0000000000000000000000000000000000000000", v.Hotkey, v.Signature, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyProof(tt.wallet, tt.hk, tt.sig); got != tt.want {
				t.Errorf("VerifyProof(%s, %q, %s) = %v, want %v", tt.wallet, tt.hk, tt.sig, got, tt.want)
			}
		})
	}
}

func TestHighSTwinRecoversSameKey(t *testing.T) {
	// The twin is a valid ECDSA signature for go-ethereum's raw recovery,
	// so rejecting it in VerifyProof is a deliberate rule, not luck.
	v := readProofVectors(t)[0]
	b, _ := hex.DecodeString(strings.TrimPrefix(highS(v.Signature), "0x"))
	b[64] -= 27
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(v.Message)), b)
	if err != nil || crypto.PubkeyToAddress(*pub).Hex() != v.Address {
		t.Fatalf("SigToPub(high-s twin) = %v, want %s", err, v.Address)
	}
}

func TestParseWalletKey(t *testing.T) {
	key := vectorKey(0)
	h := hex.EncodeToString(crypto.FromECDSA(key))
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"bare hex", h, true},
		{"0x and newline", "0x" + h + "\n", true},
		{"upper case", "0X" + strings.ToUpper(h), true},
		{"short", h[:62], false},
		{"not hex", strings.Repeat("g", 64), false},
		{"zero scalar", strings.Repeat("0", 64), false},
		{"curve order", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseWalletKey(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseWalletKey(%s) error = %v, want ok %v", tt.name, err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), tt.in[:min(len(tt.in), 16)]) {
				t.Errorf("ParseWalletKey error %q echoes the key", err)
			}
			if tt.ok && !k.Equal(key) {
				t.Errorf("ParseWalletKey(%s) = another key", tt.name)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "wallet.key")
	if err := os.WriteFile(path, []byte("0x"+h+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if k, err := ReadWalletKeyFile(path); err != nil || !k.Equal(key) {
		t.Errorf("ReadWalletKeyFile() = %v, want the key", err)
	}
	if _, err := ReadWalletKeyFile(path + ".missing"); err == nil {
		t.Error("ReadWalletKeyFile(missing) succeeded")
	}
}

// FuzzVerifyProof: arbitrary wallets, hotkeys and proofs never panic.
func FuzzVerifyProof(f *testing.F) {
	for _, v := range readProofVectors(f) {
		f.Add(v.Address, v.Hotkey, v.Signature)
		f.Add(v.Address, v.Hotkey, highS(v.Signature))
	}
	f.Fuzz(func(t *testing.T, wallet, hk, sig string) {
		VerifyProof(wallet, hk, sig)
	})
}
