package main

import (
	"bytes"
	"encoding/json"
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

func TestLocalDemoJSON(t *testing.T) {
	env := map[string]string{"VRAMHUB_DEMO_WINDOWS": "2", "VRAMHUB_MODEL": "tiny"}
	out, errOut, err := runCmd(t, env, "local-demo", "--json", "--rows", "4", "--row-len", "33")
	if err != nil {
		t.Fatalf("local-demo: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var res struct {
		WindowsScored int       `json:"windows_scored"`
		EvalLoss      []float64 `json:"eval_loss_per_window"`
		Miners        []struct {
			UID     uint64  `json:"uid"`
			Mu      float64 `json:"mu"`
			Sigma   float64 `json:"sigma"`
			Weight  float64 `json:"weight"`
			Cheater bool    `json:"cheater"`
		} `json:"miners"`
		Validators []json.RawMessage `json:"validators"`
		Minted     float64           `json:"miner_tokens_minted"`
		Rejected   int               `json:"rejected_honest_submissions"`
		Forged     bool              `json:"forged_submission_rejected"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last stdout line is not the result: %v\n%s", err, out)
	}
	if res.WindowsScored != 2 || len(res.EvalLoss) != 2 || len(res.Miners) != 6 || len(res.Validators) != 3 || !res.Forged || res.Rejected != 0 {
		t.Fatalf("result = %+v", res)
	}
	if !res.Miners[5].Cheater || res.Miners[5].Weight != 0 {
		t.Fatalf("cheater = %+v, want weight 0", res.Miners[5])
	}
	if !strings.Contains(errOut, "window 1") {
		t.Fatalf("the per-window table did not go to stderr:\n%s", errOut)
	}
}

func TestBadFlags(t *testing.T) {
	tests := [][]string{
		{"sidecar", "--model", "huge"},
		{"nautilus", "--mode", "simulated"},
		{"nautilus", "--dataset", "web"},
		{"sidecar", "--row-len", "1000"},
		{"local-demo", "--log-level", "loud"},
		{"local-demo", "--dataset", "synthetic"},
	}
	for _, args := range tests {
		if _, _, err := runCmd(t, nil, args...); err == nil {
			t.Errorf("vramhub %v: no error", args)
		}
	}
}
