package keys

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWalletRoundTrip(t *testing.T) {
	w := Wallet{Path: t.TempDir(), Name: "default", Hotkey: "miner1"}
	phrase, err := NewMnemonic(bytes.NewReader(bytes.Repeat([]byte{7}, 16)))
	if err != nil {
		t.Fatal(err)
	}
	kp, err := FromURI(phrase)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteHotkey(kp, phrase); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(w.HotkeyPath())
	if st.Mode().Perm() != 0o600 {
		t.Errorf("hotkey file mode = %v, want 0600", st.Mode().Perm())
	}
	back, err := w.LoadHotkey()
	if err != nil || back.PublicKey() != kp.PublicKey() {
		t.Fatalf("LoadHotkey = %v, %v", back, err)
	}
	if err := w.WriteHotkey(kp, phrase); !errors.Is(err, ErrExists) {
		t.Fatalf("overwrite: %v, want ErrExists", err)
	}
	if err := w.WriteColdkeyPub(kp.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if pk, err := w.LoadColdkeyPub(); err != nil || pk != kp.PublicKey() {
		t.Fatalf("LoadColdkeyPub = %v, %v", pk, err)
	}
}

// TestBtcliHotkeyFile loads a file in btcli's format written by hand from
// the Substrate documentation's test account.
func TestBtcliHotkeyFile(t *testing.T) {
	dir := t.TempDir()
	w := Wallet{Path: dir, Name: "w", Hotkey: "h"}
	os.MkdirAll(filepath.Dir(w.HotkeyPath()), 0o700)
	good := `{"accountId": "0xd6a3105d6768e956e9e5d41050ac29843f98561410d3a47f9dd5b3b227ab8746", "publicKey": "0xd6a3105d6768e956e9e5d41050ac29843f98561410d3a47f9dd5b3b227ab8746", "secretPhrase": "caution juice atom organ advance problem want pledge someone senior holiday very", "secretSeed": "0xc8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849", "ss58Address": "5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR"}`
	os.WriteFile(w.HotkeyPath(), []byte(good), 0o600)
	kp, err := w.LoadHotkey()
	if err != nil || kp.SS58() != "5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR" {
		t.Fatalf("LoadHotkey = %v, %v", kp, err)
	}
	bad := bytes.Replace([]byte(good), []byte("5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR"), []byte("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"), 1)
	os.WriteFile(w.HotkeyPath(), bad, 0o600)
	if _, err := w.LoadHotkey(); err == nil {
		t.Fatal("mismatched ss58Address accepted")
	}
}
