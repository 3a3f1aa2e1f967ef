// Package cliflag ties cobra flags to environment variables the same way in
// every subnetkit binary: each flag names its variable (shown in --help),
// and a variable sets the flag only when the flag was not given, so the
// precedence is default < environment < flag.
package cliflag

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Annotation is the flag annotation naming a flag's environment variable.
const Annotation = "subnetkit/env"

// Env names envName as the environment variable that sets flag name of cmd
// when the flag is not given, and shows it in the flag's help. It panics
// if cmd has no such flag (a programming error).
func Env(cmd *cobra.Command, name, envName string) {
	f := cmd.Flags().Lookup(name)
	if f == nil {
		panic("cliflag: no flag " + name)
	}
	f.Usage += " [$" + envName + "]"
	_ = cmd.Flags().SetAnnotation(name, Annotation, []string{envName})
}

// Apply sets every flag of cmd that was not given on the command line from
// its environment variable, if that is set.
func Apply(cmd *cobra.Command, getenv func(string) string) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		names := f.Annotations[Annotation]
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

// Unnamed returns "command --flag" for every flag under cmd (recursively,
// help excluded) that names no environment variable.
func Unnamed(cmd *cobra.Command) []string {
	var out []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" && len(f.Annotations[Annotation]) == 0 {
			out = append(out, cmd.CommandPath()+" --"+f.Name)
		}
	})
	for _, sub := range cmd.Commands() {
		out = append(out, Unnamed(sub)...)
	}
	return out
}
