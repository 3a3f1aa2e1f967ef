package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/subnetkit/subnetkit/internal/cliflag"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestEveryFlagHasEnv(t *testing.T) {
	e := &env{getenv: func(string) string { return "" }}
	for _, sub := range subcommands {
		for _, f := range cliflag.Unnamed(sub(e)) {
			t.Errorf("%s has no environment variable", f)
		}
	}
}

func TestLocalnetJSON(t *testing.T) {
	out, errOut, err := runCmd(t, map[string]string{"DRAIN_LOCALNET_ROUNDS": "1"}, "localnet", "--json")
	if err != nil {
		t.Fatalf("localnet: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var res struct {
		MaxClaims float64 `json:"max_claims_usdc"`
		Miners    []struct {
			UID        uint16  `json:"uid"`
			Wallet     string  `json:"wallet"`
			ClaimsUSDC float64 `json:"claims_usdc"`
			ProofValid bool    `json:"proof_valid"`
			Score      float64 `json:"score"`
			Weight     float64 `json:"weight"`
		} `json:"miners"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last stdout line: %v\n%s", err, out)
	}
	if len(res.Miners) != 3 || res.MaxClaims <= 0 || res.Miners[2].ProofValid || res.Miners[2].Weight != 0 || res.Miners[0].Score != 1 {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(errOut, "round 1") {
		t.Fatalf("table not on stderr:\n%s", errOut)
	}
}

func TestKeysNeverFromFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "key")
	if err := os.WriteFile(bad, []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no wallet key", map[string]string{"DRAIN_HOTKEY_URI": "//Alice"}, []string{"miner", "--api-url", "http://x"}, "no wallet key"},
		{"bad wallet key file", map[string]string{"DRAIN_HOTKEY_URI": "//Alice"}, []string{"miner", "--api-url", "http://x", "--wallet-key-file", bad}, "wallet-key-file"},
		{"bad wallet key env", map[string]string{"DRAIN_HOTKEY_URI": "//Alice", "DRAIN_WALLET_KEY": "zz"}, []string{"miner", "--api-url", "http://x"}, "DRAIN_WALLET_KEY"},
		{"provider needs upstream", nil, []string{"provider"}, "--upstream"},
		{"validator needs rpc", nil, []string{"validator"}, "--rpc"},
		{"validator bad contract", nil, []string{"validator", "--contract", "nope"}, "--contract"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, tt.env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	// A private key given as a flag value is not accepted at all.
	if _, _, err := runCmd(t, nil, "miner", "--wallet-key", "0x01"); err == nil || !strings.Contains(err.Error(), "unknown flag") {
		t.Fatalf("--wallet-key accepted: %v", err)
	}
}
