package main

import (
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
)

// logFlags are the logging flags every daemon takes.
type logFlags struct{ cliflag.Log }

func (l *logFlags) register(cmd *cobra.Command, prefix, def string) { l.Register(cmd, prefix, def) }

func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) { return l.Logger(w) }
