package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// logFlags are the logging flags every daemon takes.
type logFlags struct{ cliflag.Log }

func (l *logFlags) register(cmd *cobra.Command, prefix, def string) { l.Register(cmd, prefix, def) }

func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) { return l.Logger(w) }

// loadHotkey returns the node's hotkey: from a file holding a secret URI or
// mnemonic (--hotkey-file), else from $ENGRAM_HOTKEY_URI (development).
// Secrets are never taken from flag values. It returns nil, nil when
// neither is set.
func loadHotkey(file string, getenv func(string) string) (*keys.Keypair, error) {
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read hotkey file: %w", err)
		}
		kp, err := keys.FromURI(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("hotkey file %s: %w", file, err)
		}
		return kp, nil
	case getenv("ENGRAM_HOTKEY_URI") != "":
		kp, err := keys.FromURI(getenv("ENGRAM_HOTKEY_URI"))
		if err != nil {
			return nil, fmt.Errorf("$ENGRAM_HOTKEY_URI: %w", err)
		}
		return kp, nil
	}
	return nil, nil
}
