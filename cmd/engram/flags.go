package main

import (
	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
)

// envAnnotation is the flag annotation naming a flag's environment variable.
const envAnnotation = cliflag.Annotation

// flagEnv names envName as the environment variable of flag name of cmd.
func flagEnv(cmd *cobra.Command, name, envName string) { cliflag.Env(cmd, name, envName) }

// applyEnv sets unset flags of cmd from their environment variables.
func applyEnv(cmd *cobra.Command, getenv func(string) string) error {
	return cliflag.Apply(cmd, getenv)
}
