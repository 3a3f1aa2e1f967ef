package deptest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type goPackage struct {
	ImportPath string
	Doc        string
	Name       string
	Deps       []string
	GoFiles    []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "github.com/subnetkit/subnetkit/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(out)))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

func TestEveryPackageHasDoc(t *testing.T) {
	for _, p := range listPackages(t) {
		if len(p.GoFiles) == 0 {
			continue
		}
		want := "Package " + p.Name + " "
		if p.Name == "main" {
			want = "Command "
		}
		if !strings.HasPrefix(p.Doc, strings.TrimSpace(want)) {
			t.Errorf("%s: package doc = %q, want it to start %q", p.ImportPath, p.Doc, want)
		}
	}
}

// cores are the pure packages: values in, values out.
var cores = []string{
	"github.com/subnetkit/subnetkit/internal/engram/protocol",
	"github.com/subnetkit/subnetkit/internal/engram/score",
	"github.com/subnetkit/subnetkit/internal/engram/replica",
	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale",
	"github.com/subnetkit/subnetkit/internal/vramhub/compress",
	"github.com/subnetkit/subnetkit/internal/vramhub/openskill",
	"github.com/subnetkit/subnetkit/internal/vramhub/window",
	"github.com/subnetkit/subnetkit/internal/vramhub/data",
	"github.com/subnetkit/subnetkit/internal/vramhub/model",
	"github.com/subnetkit/subnetkit/internal/vramhub/ledger",
	"github.com/subnetkit/subnetkit/internal/vramhub/rewards",
	"github.com/subnetkit/subnetkit/internal/vramhub/enclave",
	"github.com/subnetkit/subnetkit/internal/vramhub/checkpoint",
	"github.com/subnetkit/subnetkit/internal/drain/score",
	"github.com/subnetkit/subnetkit/internal/drain/voucher",
}

var forbiddenInCores = []string{
	"net/http",
	"log/slog",
	"log",
	"github.com/prometheus/client_golang/prometheus",
}

func TestCoresStayPure(t *testing.T) {
	byPath := map[string]goPackage{}
	for _, p := range listPackages(t) {
		byPath[p.ImportPath] = p
	}
	for _, c := range cores {
		p, ok := byPath[c]
		if !ok {
			continue // not written yet
		}
		deps := map[string]bool{}
		for _, d := range p.Deps {
			deps[d] = true
		}
		for _, f := range forbiddenInCores {
			if deps[f] {
				t.Errorf("%s imports %s; cores must not do I/O, logging or metrics", c, f)
			}
		}
	}
}
