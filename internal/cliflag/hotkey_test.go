package cliflag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/keys"
)

func TestHotkeyPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hk")
	if err := os.WriteFile(file, []byte("//Bob\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	alice, _ := keys.FromURI("//Alice")
	bob, _ := keys.FromURI("//Bob")
	charlie, _ := keys.FromURI("//Charlie")
	w := keys.Wallet{Path: dir, Name: "w", Hotkey: "h"}
	if err := w.WriteHotkey(charlie, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want keys.PublicKey
		err  string
	}{
		{"file wins", []string{"--hotkey-file", file}, map[string]string{"X_HOTKEY_URI": "//Alice"}, bob.PublicKey(), ""},
		{"env uri", nil, map[string]string{"X_HOTKEY_URI": "//Alice"}, alice.PublicKey(), ""},
		{"wallet", []string{"--wallet.path", dir, "--wallet.name", "w", "--wallet.hotkey", "h"}, nil, charlie.PublicKey(), ""},
		{"nothing", []string{"--wallet.path", dir}, nil, keys.PublicKey{}, "no hotkey"},
		{"bad uri", nil, map[string]string{"X_HOTKEY_URI": "not a uri at all"}, keys.PublicKey{}, "X_HOTKEY_URI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Hotkey
			c := &cobra.Command{Use: "x"}
			h.Register(c, "X_")
			if err := c.ParseFlags(tt.args); err != nil {
				t.Fatal(err)
			}
			kp, err := h.Load(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Load err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || kp.PublicKey() != tt.want {
				t.Fatalf("Load = %v, %v", kp, err)
			}
		})
	}
}
