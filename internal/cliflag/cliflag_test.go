package cliflag

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestPrecedence(t *testing.T) {
	newCmd := func() (*cobra.Command, *int) {
		var n int
		c := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		c.Flags().IntVar(&n, "n", 1, "a number")
		Env(c, "n", "X_N")
		return c, &n
	}
	env := map[string]string{"X_N": "5"}
	tests := []struct {
		args []string
		env  map[string]string
		want int
	}{
		{nil, nil, 1},
		{nil, env, 5},
		{[]string{"--n", "7"}, env, 7},
	}
	for _, tt := range tests {
		c, n := newCmd()
		if err := c.ParseFlags(tt.args); err != nil {
			t.Fatal(err)
		}
		if err := Apply(c, func(k string) string { return tt.env[k] }); err != nil {
			t.Fatal(err)
		}
		if *n != tt.want {
			t.Errorf("args %v env %v: n = %d, want %d", tt.args, tt.env, *n, tt.want)
		}
	}
	c, _ := newCmd()
	if err := Apply(c, func(string) string { return "five" }); err == nil || !strings.Contains(err.Error(), "$X_N") {
		t.Errorf("Apply(bad value) err = %v, want it to name $X_N", err)
	}
	if !strings.Contains(c.Flags().Lookup("n").Usage, "[$X_N]") {
		t.Error("help does not name the variable")
	}
	c.Flags().Bool("loose", false, "no variable")
	if got := Unnamed(c); len(got) != 1 || got[0] != "x --loose" {
		t.Errorf("Unnamed = %v", got)
	}
}
