package cliflag

import (
	"errors"
	"fmt"
	"io/fs"
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

// Register adds --hotkey-file and the wallet flags (see RegisterWallet),
// with the variable prefix+"HOTKEY_FILE".
func (h *Hotkey) Register(cmd *cobra.Command, prefix string) {
	cmd.Flags().StringVar(&h.File, "hotkey-file", "", "file holding the hotkey's secret URI or mnemonic (or set $"+prefix+"HOTKEY_URI for development keys)")
	Env(cmd, "hotkey-file", prefix+"HOTKEY_FILE")
	h.RegisterWallet(cmd, prefix)
}

// RegisterWallet adds only --wallet.path/name/hotkey, with the variables
// prefix+"WALLET_PATH", prefix+"WALLET_NAME" and prefix+"WALLET_HOTKEY".
func (h *Hotkey) RegisterWallet(cmd *cobra.Command, prefix string) {
	h.prefix = prefix
	fl := cmd.Flags()
	fl.StringVar(&h.WalletPath, "wallet.path", "~/.bittensor/wallets", "Bittensor wallets directory")
	fl.StringVar(&h.WalletName, "wallet.name", "default", "wallet name")
	fl.StringVar(&h.WalletHotkey, "wallet.hotkey", "default", "hotkey name")
	Env(cmd, "wallet.path", prefix+"WALLET_PATH")
	Env(cmd, "wallet.name", prefix+"WALLET_NAME")
	Env(cmd, "wallet.hotkey", prefix+"WALLET_HOTKEY")
}

// Wallet returns the btcli wallet the flags name, with "~/" expanded.
func (h *Hotkey) Wallet() (keys.Wallet, error) {
	p := h.WalletPath
	if strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return keys.Wallet{}, err
		}
		p = filepath.Join(home, p[2:])
	}
	return keys.Wallet{Path: p, Name: h.WalletName, Hotkey: h.WalletHotkey}, nil
}

// Load returns the hotkey: from --hotkey-file, else $prefix+HOTKEY_URI,
// else the btcli wallet's hotkey file.
func (h *Hotkey) Load(getenv func(string) string) (*keys.Keypair, error) {
	kp, err := h.LoadOptional(getenv)
	if err == nil && kp == nil {
		err = fs.ErrNotExist
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("no hotkey: set --hotkey-file, $%sHOTKEY_URI or the --wallet.* flags", h.prefix), err)
	}
	return kp, nil
}

// LoadOptional is Load, except that a missing wallet hotkey file gives
// nil, nil (for nodes that can run unsigned).
func (h *Hotkey) LoadOptional(getenv func(string) string) (*keys.Keypair, error) {
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
	if kp, err := EnvHotkey(getenv, h.prefix+"HOTKEY_URI"); kp != nil || err != nil {
		return kp, err
	}
	w, err := h.Wallet()
	if err != nil {
		return nil, err
	}
	kp, err := w.LoadHotkey()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return kp, err
}

// EnvHotkey returns the development key in the variable name, or nil, nil
// when it is unset.
func EnvHotkey(getenv func(string) string, name string) (*keys.Keypair, error) {
	uri := getenv(name)
	if uri == "" {
		return nil, nil
	}
	kp, err := keys.FromURI(uri)
	if err != nil {
		return nil, fmt.Errorf("$%s: %w", name, err)
	}
	return kp, nil
}
