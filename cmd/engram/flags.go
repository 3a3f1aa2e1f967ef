package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envAnnotation is the flag annotation naming a flag's environment variable.
const envAnnotation = "subnetkit/env"

// flagEnv names envName as the environment variable that sets flag name of
// cmd when the flag is not given, and shows it in the flag's help.
func flagEnv(cmd *cobra.Command, name, envName string) {
	f := cmd.Flags().Lookup(name)
	if f == nil {
		panic("flagEnv: no flag " + name) // a programming error in this package
	}
	f.Usage += " [$" + envName + "]"
	_ = cmd.Flags().SetAnnotation(name, envAnnotation, []string{envName})
}

// applyEnv sets every flag of cmd that was not given on the command line
// from its environment variable, if that is set. Precedence is therefore
// default < environment < flag.
func applyEnv(cmd *cobra.Command, getenv func(string) string) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		names := f.Annotations[envAnnotation]
		if err != nil || f.Changed || len(names) == 0 {
			return
		}
		v := getenv(names[0])
		if v == "" {
			return
		}
		if e := f.Value.Set(v); e != nil {
			err = fmt.Errorf("$%s=%q: %w", names[0], v, e)
		}
	})
	return err
}
