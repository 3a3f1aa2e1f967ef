// Command drain runs the DRAIN scoring network (Bittensor subnet 58): AI
// providers paid per request through DRAIN payment channels, and the
// validators that score them from on-chain claims and a wallet-ownership
// proof. Run "drain --help" for the list.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "drain:", err)
		os.Exit(1)
	}
}

type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

var subcommands = []func(*env) *cobra.Command{
	newLocalnetCmd,
	newMinerCmd,
	newValidatorCmd,
	newProviderCmd,
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	root := cliflag.NewRoot("drain", "DRAIN scoring (subnet 58): paid AI providers and their validators", `drain runs subnet 58: providers (miners) serve an OpenAI-compatible API paid
per request with DRAIN payment-channel vouchers and prove which wallet they
claim with; validators scan the channel contract's ChannelClaimed events,
verify the proofs, score 0.4 + 0.6·claims/max_claims and set weights.
Keys never come from flag values.`, args, getenv, stdout, stderr)
	for _, sub := range subcommands {
		root.AddCommand(sub(e))
	}
	return root.ExecuteContext(ctx)
}

// logger builds the logger of a command's --log-* flags.
func logger(l *cliflag.Log, w io.Writer) (*slog.Logger, error) { return l.Logger(w) }
