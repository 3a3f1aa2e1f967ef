package cliflag

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// Log holds the --log-level and --log-format flags every daemon takes.
type Log struct {
	Level, Format string
}

// Register adds the flags to cmd with variables prefix+"LOG_LEVEL" and
// prefix+"LOG_FORMAT".
func (l *Log) Register(cmd *cobra.Command, prefix, defaultLevel string) {
	cmd.Flags().StringVar(&l.Level, "log-level", defaultLevel, "log level: debug, info, warn or error")
	cmd.Flags().StringVar(&l.Format, "log-format", "text", "log format: text or json")
	Env(cmd, "log-level", prefix+"LOG_LEVEL")
	Env(cmd, "log-format", prefix+"LOG_FORMAT")
}

// Logger builds the structured logger the flags describe, writing to w.
func (l *Log) Logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.Level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", l.Level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch l.Format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", l.Format)
}
