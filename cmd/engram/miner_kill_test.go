//go:build integration

package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/subnetkit/subnetkit/internal/engram/protocol"
)

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startMiner(t *testing.T, bin, addr, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "miner", "--listen", addr, "--data-dir", dir, "--log-level", "warn", "--rate-limit", "-1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("miner not healthy within 30s: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
}

// TestMinerSurvivesSIGKILL ingests from several clients, SIGKILLs the real
// miner process mid-stream, restarts it on the same data directory, and
// proves every acknowledged CID is retrievable and provable.
func TestMinerSurvivesSIGKILL(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "engram")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir, addr := t.TempDir(), freePort(t)
	proc := startMiner(t, bin, addr, dir)
	vecs := clusteredVectors(5000, 50, 3)
	var mu sync.Mutex
	acked := map[string][]float32{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(vecs); i += 8 {
				select {
				case <-stop:
					return
				default:
				}
				body, _ := json.Marshal(protocol.IngestRequest{RawEmbedding: vecs[i], Metadata: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))})
				resp, err := http.Post("http://"+addr+"/IngestSynapse", "application/json", bytes.NewReader(body))
				if err != nil {
					return // the process is gone
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var ir protocol.IngestResponse
				if resp.StatusCode == 200 && json.Unmarshal(b, &ir) == nil && ir.CID != nil {
					mu.Lock()
					acked[*ir.CID] = vecs[i]
					n := len(acked)
					mu.Unlock()
					if n == 400 {
						proc.Process.Signal(syscall.SIGKILL)
					}
				}
			}
		})
	}
	wg.Wait()
	proc.Process.Signal(syscall.SIGKILL) // in case fewer than 400 were acknowledged
	proc.Wait()
	close(stop)
	if len(acked) < 400 {
		t.Fatalf("only %d ingests acknowledged before the kill", len(acked))
	}
	proc = startMiner(t, bin, addr, dir)
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	var nonce [32]byte
	nonce[0] = 42
	for cid, v := range acked {
		resp, err := http.Get("http://" + addr + "/retrieve/" + cid)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("acknowledged %s not retrievable after SIGKILL: %v %v", cid, err, resp)
		}
		resp.Body.Close()
		body := fmt.Sprintf(`{"cid":%q,"nonce_hex":%q,"expires_at":%d}`, cid, hex.EncodeToString(nonce[:]), time.Now().Unix()+30)
		resp, err = http.Post("http://"+addr+"/ChallengeSynapse", "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		var cr protocol.ChallengeResponse
		json.NewDecoder(resp.Body).Decode(&cr)
		resp.Body.Close()
		if cr.Proof == nil || !protocol.VerifyProof(v, nonce, *cr.EmbeddingHash, *cr.Proof) {
			t.Fatalf("acknowledged %s not provable after SIGKILL: %+v", cid, cr)
		}
	}
	t.Logf("%d acknowledged ingests survived SIGKILL and prove", len(acked))
}
