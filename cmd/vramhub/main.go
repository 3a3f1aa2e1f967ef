// Command vramhub runs VRAM HUB, decentralized LLM training where nobody
// has to be trusted to say whose gradient was good: the one-command local
// demo, the ledger server, the Go trainer sidecar and the scoring enclave.
// Run "vramhub --help" for the list.
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
		fmt.Fprintln(os.Stderr, "vramhub:", err)
		os.Exit(1)
	}
}

// env gives commands what main took from the process.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// subcommands lists vramhub's subcommands; each lives in its own file.
var subcommands = []func(*env) *cobra.Command{
	newLocalDemoCmd,
	newLedgerCmd,
	newSidecarCmd,
	newNautilusCmd,
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	root := cliflag.NewRoot("vramhub", "VRAM HUB: decentralized LLM training nodes", `vramhub runs VRAM HUB: miners train a shared model on deterministically
assigned data and upload compressed gradients; validators have an enclave
score each gradient by the loss it removes on the miner's own batch and sign
the scores; a ledger checks the signatures, rates miners with OpenSkill and
mints rewards; an aggregator merges the best gradients into the next
checkpoint.`, args, getenv, stdout, stderr)
	for _, sub := range subcommands {
		root.AddCommand(sub(e))
	}
	return root.ExecuteContext(ctx)
}

// logFlags are the logging flags every daemon takes.
type logFlags struct{ cliflag.Log }

func (l *logFlags) register(cmd *cobra.Command, prefix, def string) { l.Register(cmd, prefix, def) }

func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) { return l.Logger(w) }
