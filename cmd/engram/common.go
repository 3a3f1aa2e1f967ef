package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// logFlags are the logging flags every daemon takes.
type logFlags struct {
	level, format string
}

func (l *logFlags) register(cmd *cobra.Command, prefix, defaultLevel string) {
	cmd.Flags().StringVar(&l.level, "log-level", defaultLevel, "log level: debug, info, warn or error")
	cmd.Flags().StringVar(&l.format, "log-format", "text", "log format: text or json")
	flagEnv(cmd, "log-level", prefix+"LOG_LEVEL")
	flagEnv(cmd, "log-format", prefix+"LOG_FORMAT")
}

func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", l.level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", l.format)
}

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
