package cliflag

import (
	"io"

	"github.com/spf13/cobra"
)

// NewRoot returns a binary's root command: errors and usage are left to
// main, output goes to stdout and stderr, and before any subcommand runs
// its unset flags are filled from their environment variables.
func NewRoot(use, short, long string, args []string, getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           use,
		Short:         short,
		Long:          long + "\n\nEvery flag can also be set by the environment variable named in its help\n(flags win over the environment).",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return Apply(cmd, getenv)
		},
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root
}
