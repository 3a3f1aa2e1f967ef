// Command engram runs the Engram network's nodes and tools: the miner, the
// validator, a local devchain, the one-command local network, and helpers
// for CIDs, keys and benchmarks. Run "engram --help" for the list.
package main

import (
	"context"
	"fmt"
	"io"
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
		fmt.Fprintln(os.Stderr, "engram:", err)
		os.Exit(1)
	}
}

// env gives commands what main took from the process, so they are testable
// without globals.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// subcommands lists the constructors of engram's subcommands; each lives in
// its own file of this package.
var subcommands = []func(*env) *cobra.Command{
	newMinerCmd,
	newCIDCmd,
	newBenchCmd,
	newModelCmd,
	newLocalnetCmd,
	newKeysCmd,
	newDevchainCmd,
	newValidatorCmd,
	newIngestCmd,
	newQueryCmd,
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	root := cliflag.NewRoot("engram", "Engram: decentralized semantic memory nodes and tools", `engram runs the nodes of the Engram network (miners that store 384-d
embeddings, validators that score them) and the tools around them.`, args, getenv, stdout, stderr)
	for _, sub := range subcommands {
		root.AddCommand(sub(e))
	}
	return root.ExecuteContext(ctx)
}
