package cliflag

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/keys"
)

// Hotkey holds the flags that locate a node's sr25519 hotkey: a file
// holding a secret URI or mnemonic, or a btcli wallet. Secrets never come
// from flag values: the file's path does, and prefix+"HOTKEY_URI" may hold
// a development URI such as //Alice.
type Hotkey struct {
	File, WalletPath, WalletName, WalletHotkey string
	prefix                                     string
}

// Register adds --hotkey-file and --wallet.path/name/hotkey to cmd, with
// variables prefix+"HOTKEY_FILE", prefix+"WALLET_PATH", … .
func (h *Hotkey) Register(cmd *cobra.Command, prefix string) {
	h.prefix = prefix
	fl := cmd.Flags()
	fl.StringVar(&h.File, "hotkey-file", "", "file holding the hotkey's secret URI or mnemonic (or set $"+prefix+"HOTKEY_URI for development keys)")
	fl.StringVar(&h.WalletPath, "wallet.path", "~/.bittensor/wallets", "Bittensor wallets directory")
	fl.StringVar(&h.WalletName, "wallet.name", "default", "wallet name")
	fl.StringVar(&h.WalletHotkey, "wallet.hotkey", "default", "hotkey name")
	Env(cmd, "hotkey-file", prefix+"HOTKEY_FILE")
	Env(cmd, "wallet.path", prefix+"WALLET_PATH")
	Env(cmd, "wallet.name", prefix+"WALLET_NAME")
	Env(cmd, "wallet.hotkey", prefix+"WALLET_HOTKEY")
}

// Load returns the hotkey: from --hotkey-file, else $prefix+HOTKEY_URI,
// else the btcli wallet's hotkey file.
func (h *Hotkey) Load(getenv func(string) string) (*keys.Keypair, error) {
	if h.File != "" {
		b, err := os.ReadFile(h.File)
		if err != nil {
			return nil, fmt.Errorf("read hotkey file: %w", err)
		}
		kp, err := keys.FromURI(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("hotkey file %s: %w", h.File, err)
		}
		return kp, nil
	}
	if uri := getenv(h.prefix + "HOTKEY_URI"); uri != "" {
		kp, err := keys.FromURI(uri)
		if err != nil {
			return nil, fmt.Errorf("$%sHOTKEY_URI: %w", h.prefix, err)
		}
		return kp, nil
	}
	p := h.WalletPath
	if strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		p = filepath.Join(home, p[2:])
	}
	kp, err := keys.Wallet{Path: p, Name: h.WalletName, Hotkey: h.WalletHotkey}.LoadHotkey()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("no hotkey: set --hotkey-file, $%sHOTKEY_URI or the --wallet.* flags", h.prefix), err)
	}
	return kp, nil
}
