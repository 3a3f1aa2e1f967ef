package contracts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

// repoRoot returns the module root (the directory holding go.mod).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}

// TestArtifactsUpToDate recompiles sol/ with the pinned solc-js and requires
// the output to equal the committed artifacts byte for byte.
func TestArtifactsUpToDate(t *testing.T) {
	root := repoRoot(t)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the artifacts check needs node and solc-js (tools/contracts/deps.sh, run by make test)")
	}
	if _, err := os.Stat(filepath.Join(root, ".cache/test-deps/evm/node_modules/solc/package.json")); err != nil {
		t.Skip("solc-js is not installed under .cache/test-deps/evm; run tools/contracts/deps.sh (make test does)")
	}
	out := t.TempDir()
	cmd := exec.Command(node, filepath.Join(root, "tools/contracts/compile.js"), "sol", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compile.js: %v\n%s", err, b)
	}
	compareDirs(t, out, "artifacts")
}

func compareDirs(t *testing.T, fresh, committed string) {
	t.Helper()
	want, _ := filepath.Glob(filepath.Join(fresh, "*"))
	have, _ := filepath.Glob(filepath.Join(committed, "*"))
	if len(want) != len(have) {
		t.Errorf("artifacts: %d files committed, compiler writes %d (run make contracts)", len(have), len(want))
	}
	for _, f := range want {
		name := filepath.Base(f)
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(committed, name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("artifacts/%s differs from a fresh compile of sol/ (run make contracts and commit)", name)
		}
	}
}

// TestBindingsUpToDate regenerates the Go bindings from the committed
// artifacts with go-ethereum's abigen (v2), as `make contracts` does.
func TestBindingsUpToDate(t *testing.T) {
	for _, c := range []struct{ name, file string }{
		{"DrainChannel", "drainchannel.go"},
		{"TestUSDC", "testusdc.go"},
	} {
		t.Run(c.name, func(t *testing.T) {
			abiJSON, err := os.ReadFile(filepath.Join("artifacts", c.name+".abi.json"))
			if err != nil {
				t.Fatal(err)
			}
			bin, err := os.ReadFile(filepath.Join("artifacts", c.name+".bin"))
			if err != nil {
				t.Fatal(err)
			}
			code, err := abigen.BindV2([]string{c.name}, []string{string(abiJSON)}, []string{string(bin)}, "bindings", map[string]string{}, map[string]string{})
			if err != nil {
				t.Fatal(err)
			}
			have, err := os.ReadFile(filepath.Join("bindings", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if code != string(have) {
				t.Errorf("bindings/%s differs from abigen --v2 over artifacts/%s (run make contracts and commit)", c.file, c.name)
			}
		})
	}
}
