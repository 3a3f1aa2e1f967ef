package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/miner"
	"github.com/subnetkit/subnetkit/internal/engram/vecstore"
)

func TestIngestAndQueryCommands(t *testing.T) {
	st, err := vecstore.Open(t.Context(), vecstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, _ := miner.New(miner.Config{Store: st, Embedder: embed.Lexical{}, RateLimit: -1})
	defer m.Close()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	out, _, err := runCmd(t, nil, "ingest", "--miner", srv.URL, "--text", "hello vector world", "--metadata", `{"k":1}`, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		CID      string   `json:"cid"`
		Replicas []string `json:"replicas"`
	}
	if json.Unmarshal([]byte(out), &res) != nil || !strings.HasPrefix(res.CID, "v1::") || len(res.Replicas) != 1 {
		t.Fatalf("ingest --json = %q", out)
	}
	out, _, err = runCmd(t, map[string]string{"ENGRAM_MINER_URLS": srv.URL}, "query", "--text", "hello world", "--top-k", "1")
	if err != nil || !strings.HasPrefix(out, res.CID) {
		t.Fatalf("query = %q, %v; want the ingested CID first", out, err)
	}
	if _, _, err := runCmd(t, nil, "ingest", "--miner", srv.URL); err == nil {
		t.Fatal("ingest without content accepted")
	}
}
