package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, &out, &errb)
	return out.String(), errb.String(), err
}

func TestCIDCommand(t *testing.T) {
	v := make([]float32, protocol.EmbeddingDim)
	v[0] = 1
	b, _ := json.Marshal(v)
	file := filepath.Join(t.TempDir(), "vec.json")
	os.WriteFile(file, b, 0o644)
	out, _, err := runCmd(t, nil, "cid", "--embedding", file, "--metadata", `{"source":"arxiv"}`)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := protocol.CID(v, []byte(`{"source":"arxiv"}`), "v1")
	if strings.TrimSpace(out) != want {
		t.Fatalf("engram cid = %q, want %s", out, want)
	}
	if _, _, err := runCmd(t, nil, "cid", "--embedding", file, "--metadata", `[1]`); err == nil {
		t.Fatal("array metadata accepted")
	}
}

func TestHelpListsEnvVars(t *testing.T) {
	out, _, err := runCmd(t, nil, "miner", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--listen", "[$ENGRAM_MINER_LISTEN]", "[$ENGRAM_DATA_DIR]", "[$REQUIRE_HOTKEY_SIG]", "NOT semantic"} {
		if !strings.Contains(out, want) {
			t.Errorf("miner --help lacks %q", want)
		}
	}
}

func TestEnvSetsFlagAndFlagWins(t *testing.T) {
	// A bad log level from the environment is reported with its variable.
	_, _, err := runCmd(t, map[string]string{"ENGRAM_LOG_LEVEL": "loud"}, "miner", "--data-dir", t.TempDir(), "--listen", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "log-level") {
		t.Fatalf("env log level: err = %v", err)
	}
	_, _, err = runCmd(t, map[string]string{"ENGRAM_ENV": "mainnet"}, "miner", "--require-hotkey-sig", "false", "--data-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "mainnet") {
		t.Fatalf("mainnet without signatures: err = %v", err)
	}
}

// TestEveryFlagHasEnv walks every command and checks each flag names its
// environment variable (help excluded).
func TestEveryFlagHasEnv(t *testing.T) {
	e := &env{getenv: func(string) string { return "" }}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			if len(f.Annotations[envAnnotation]) == 0 {
				t.Errorf("%s --%s has no environment variable", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, sub := range subcommands {
		walk(sub(e))
	}
}

func TestKeysCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ENGRAM_WALLET_PATH": dir}
	out, errOut, err := runCmd(t, env, "keys", "new", "--wallet.hotkey", "m1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "default", "hotkeys", "m1"))
	var f struct {
		SecretPhrase string `json:"secretPhrase"`
		SS58Address  string `json:"ss58Address"`
	}
	json.Unmarshal(b, &f)
	if f.SecretPhrase == "" || !strings.Contains(out, f.SS58Address) {
		t.Fatalf("keys new wrote %s, printed %q", b, out)
	}
	if strings.Contains(out+errOut, f.SecretPhrase) || strings.Contains(out+errOut, strings.Fields(f.SecretPhrase)[0]+" "+strings.Fields(f.SecretPhrase)[1]) {
		t.Fatal("keys new printed the secret phrase")
	}
	show, _, err := runCmd(t, env, "keys", "show", "--wallet.hotkey", "m1", "--json")
	if err != nil || !strings.Contains(show, f.SS58Address) {
		t.Fatalf("keys show = %q, %v", show, err)
	}
	env["ENGRAM_MNEMONIC"] = "caution juice atom organ advance problem want pledge someone senior holiday very"
	imp, _, err := runCmd(t, env, "keys", "import", "--wallet.hotkey", "m2")
	if err != nil || !strings.Contains(imp, "5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR") || strings.Contains(imp, "caution") {
		t.Fatalf("keys import = %q, %v", imp, err)
	}
}
